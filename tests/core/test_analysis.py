"""Investment balance, RACI rules, metric validation and the RAG status."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.steps.balance import investment_balance
from vbp_workshop.core.steps.checks import RaciError, check_raci_assignment, metric_problems, raci_problems, rag
from vbp_workshop.core.steps.template import ensure_partner_rows


def _partners(store: Store, levels: dict[str, tuple[int, int, int, int]]) -> None:
    for i, name in enumerate(levels, 1):
        store.apply([Insert("partners", {"id": i, "name": name})])
        store.apply(ensure_partner_rows(store, i))
        for resource, level in zip(("time", "money", "data", "skills"), levels[name], strict=True):
            store.conn.execute("UPDATE contributions SET level = ? WHERE partner_id = ? AND resource = ?",
                               (level, i, resource))


def test_balanced_investment(store: Store) -> None:
    _partners(store, {"ICB": (2, 1, 2, 1), "Trust": (2, 1, 1, 2), "Pharma": (1, 2, 1, 2)})
    b = investment_balance(store)
    assert b.balanced and "Balanced" in b.message


def test_a_resource_resting_on_one_partner_is_a_dependency_not_a_size(store: Store) -> None:
    # Partners are stored with stakeholder "other" (read as the wider sector: time and skills).
    _partners(store, {"ICB": (1, 0, 0, 0), "Trust": (1, 0, 0, 1), "Pharma": (3, 3, 3, 3)})
    b = investment_balance(store)
    assert b.single == {"money": "Pharma", "data": "Pharma"}
    assert "money rests on Pharma alone" in b.message and "carries" not in b.message


def test_a_partner_bringing_nothing_is_a_question_to_ask(store: Store) -> None:
    _partners(store, {"ICB": (2, 2, 2, 2), "Trust": (2, 2, 2, 2), "Patients": (0, 0, 0, 0)})
    b = investment_balance(store)
    assert b.idle == ["Patients"] and not b.balanced
    assert "nothing is recorded yet for Patients" in b.message


def test_raci_refuses_a_second_accountable(store: Store) -> None:
    store.apply([Insert("partners", {"id": 1, "name": "ICB"}), Insert("partners", {"id": 2, "name": "Trust"}),
                 Insert("activities", {"id": 1, "name": "Steering"}),
                 Insert("raci", {"activity_id": 1, "partner_id": 1, "role": "A"})])
    with pytest.raises(RaciError, match="already has an Accountable partner \\(ICB\\)"):
        check_raci_assignment(store, 1, 2, "A")
    check_raci_assignment(store, 1, 2, "R")
    check_raci_assignment(store, 1, 1, "A")  # re-setting the same partner is fine
    store.apply([Insert("activities", {"id": 2, "name": "Data"})])
    assert raci_problems(store) == {2: "No Accountable partner yet"}


GOOD: dict[str, Any] = {"name": "LDL at target", "unit": "%", "numerator": "n", "denominator": "d",
                        "direction": "higher", "baseline_value": 41, "baseline_date": "2026-09-30",
                        "target_value": 70, "target_date": "2027-12-31"}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"baseline_value": "forty"}, "baseline_value", "not a number"),
    ({"target_date": "12/31/2027"}, "target_date", "not a date"),  # month first: no 31st month
    ({"target_date": "2026-01-01"}, "target_date", "after the baseline date"),
    ({"denominator": ""}, "denominator", "needs a denominator"),
    ({"numerator": "", "denominator": "", "unit": "per 1,000"}, "denominator", "needs a denominator"),
    ({"direction": "lower"}, "target_value", "Lower is better"),
    ({"target_value": 30}, "target_value", "Higher is better"),
    ({"name": " "}, "name", "name"),
])
def test_metric_validation_names_the_field(change: dict[str, Any], field: str, message: str) -> None:
    problems = metric_problems({**GOOD, **change})
    assert message in problems[field]


def test_a_good_metric_has_no_problems_and_counts_are_not_rates() -> None:
    assert metric_problems(GOOD) == {}
    assert metric_problems({"name": "Clinics held", "unit": "clinics", "baseline_value": "1,200"}) == {}


M = {"baseline_value": 40.0, "target_value": 60.0, "baseline_date": "2026-01-01",
     "target_date": "2027-01-01", "direction": "higher"}


def actual(value: float | None, day: str = "2026-07-02", id_: int = 1) -> dict[str, Any]:
    return {"id": id_, "value": value, "date": day}


@pytest.mark.parametrize(("metric", "actuals", "status"), [
    (M, [], "grey"),
    (M, [actual(None)], "grey"),
    ({**M, "target_value": None}, [actual(50)], "grey"),
    (M, [actual(61)], "green"),                       # target met
    (M, [actual(50)], "green"),                       # half way at half time
    (M, [actual(46)], "amber"),                       # 30% at 50% time
    (M, [actual(42)], "red"),                         # 10% at 50% time
    (M, [actual(35)], "red"),                         # going the wrong way
    (M, [actual(35, "2026-03-01"), actual(51, "2026-07-02", 2)], "green"),  # latest counts
    ({**M, "baseline_date": "", "target_date": ""}, [actual(55)], "amber"),  # no dates: 75% of way
    ({**M, "baseline_value": None}, [actual(55)], "amber"),                 # no baseline
    ({**M, "direction": "lower", "baseline_value": 48.0, "target_value": 38.0}, [actual(37)], "green"),
    ({**M, "direction": "lower", "baseline_value": 48.0, "target_value": 38.0}, [actual(43)], "green"),
    ({**M, "direction": "lower", "baseline_value": 48.0, "target_value": 38.0}, [actual(50)], "red"),
    ({**M, "direction": "lower", "baseline_value": 48.0, "target_value": 38.0}, [actual(46)], "red"),
])
def test_rag_status_is_direction_aware_and_handles_missing_data(metric: dict[str, Any],
                                                                actuals: list[dict[str, Any]], status: str) -> None:
    assert rag(metric, actuals).status == status


@pytest.mark.parametrize(("metric", "rate"), [
    ({"numerator": "patients at target"}, True),
    ({"numerator": "  "}, False),
    ({"unit": "%"}, True),
    ({"unit": "Rate"}, True),
    ({"unit": "per 1,000"}, True),
    ({"unit": "Admissions PER month"}, True),
    ({"unit": "perfusion units"}, False),  # "per" only as a word
    ({"unit": "days"}, False),
    ({}, False),
])
def test_what_counts_as_a_rate(metric: dict[str, Any], rate: bool) -> None:
    from vbp_workshop.core.steps.checks import is_rate

    assert is_rate(metric) is rate


def test_metric_messages_in_full() -> None:
    assert metric_problems({**GOOD, "name": ""})["name"] == "Give the metric a name."
    same_day = metric_problems({**GOOD, "target_date": GOOD["baseline_date"]})
    assert same_day["target_date"] == "The target date must be after the baseline date."
    assert metric_problems({**GOOD, "denominator": ""})["denominator"] == (
        "A rate needs a denominator (who is counted in the total).")
    assert metric_problems({**GOOD, "target_value": 41}) == {}  # a target equal to the baseline: no direction rule


UNDATED = {"baseline_value": 40.0, "target_value": 60.0, "direction": "higher"}  # expected progress: all of it


@pytest.mark.parametrize(("metric", "actuals", "expected"), [
    (M, [], ("grey", None, None, "No actual value yet.")),
    ({**M, "target_value": None}, [actual(50)], ("grey", None, 50.0, "No target set.")),
    (M, [actual(60)], ("green", 1.0, 60.0, "Target met.")),  # exactly on target
    ({**M, "direction": "lower", "baseline_value": 60.0, "target_value": 40.0}, [actual(40)],
     ("green", 1.0, 40.0, "Target met.")),
    ({**M, "baseline_value": None}, [actual(50)],
     ("amber", None, 50.0, "Target not met yet (no baseline to measure progress).")),
    (M, [actual(35)], ("red", -0.25, 35.0, "Moving away from the target.")),
    (M, [actual(40, day="2026-01-01")], ("green", 0.0, 40.0, "On track: 0% of the way.")),  # no time gone yet
    (UNDATED, [actual(58)], ("green", 0.9, 58.0, "On track: 90% of the way.")),  # 10 points short: on track
    (UNDATED, [actual(50)], ("amber", 0.5, 50.0, "Behind: 50% of the way, 100% expected.")),  # half: amber
    (UNDATED, [actual(44)], ("red", 0.2, 44.0, "Off track: 20% of the way, 100% expected.")),
    (UNDATED, [actual(44, "2026-06-01", id_=1), actual(58, "2026-01-01", id_=2)],
     ("red", 0.2, 44.0, "Off track: 20% of the way, 100% expected.")),  # the latest by date, not by id
])
def test_rag_in_full(metric: dict[str, Any], actuals: list[dict[str, Any]], expected: tuple[Any, ...]) -> None:
    r = rag(metric, actuals)
    status, progress, latest, reason = expected
    assert (r.status, r.latest, r.reason) == (status, latest, reason)
    assert r.progress == (pytest.approx(progress) if progress is not None else None)


@pytest.mark.parametrize(("typed", "read"), [
    ("58,5", 58.5),  # a decimal comma: was read as 585, ten times too much, without a word
    ("0,125", 0.125), ("1.234,5", 1234.5),
    ("1,200", 1200.0), ("12.5", 12.5), ("45%", 45.0), (" 7 ", 7.0), (7, 7.0), ("", None), (None, None),
])
def test_a_number_typed_in_a_form_is_read_by_the_one_number_rule(typed: Any, read: float | None) -> None:
    from vbp_workshop.core.steps.checks import parse_number

    assert parse_number(typed) == read


@pytest.mark.parametrize("typed", ["forty", "1,2,3", "1e3", float("nan"), True])
def test_a_form_refuses_what_is_not_a_number(typed: Any) -> None:
    from vbp_workshop.core.steps.checks import parse_number

    with pytest.raises(ValueError, match=r"not a number|fits|finite"):
        parse_number(typed)


def test_a_metric_form_reads_a_decimal_comma_as_a_decimal() -> None:
    # Baseline 58,5 and target 60: "higher is better" holds (585 would have made it a fall).
    assert metric_problems({**GOOD, "baseline_value": "58,5", "target_value": "60"}) == {}


@pytest.mark.parametrize(("typed", "iso"), [
    ("2026-11-24", "2026-11-24"), ("2026-11-24T10:00", "2026-11-24"), ("2026-1-5", "2026-01-05"),
    ("24/11/2026", "2026-11-24"), ("24/11/26", "2026-11-24"), ("24-11-2026", "2026-11-24"),
    ("24.11.2026", "2026-11-24"), ("3/4/2027", "2027-04-03"), ("03/04/2027", "2027-04-03"),
    ("24 Nov 2026", "2026-11-24"), ("24 November 2026", "2026-11-24"), ("1st March 2027", "2027-03-01"),
    (" 24 / 11 / 2026 ", "2026-11-24"), ("29/02/2028", "2028-02-29"),
])
def test_dates_are_read_as_iso_or_day_first(typed: str, iso: str) -> None:
    """A UK facilitator types 24/11/2026: it was refused (ISO only)."""
    from vbp_workshop.core.steps.checks import parse_date

    assert parse_date(typed) == iso


@pytest.mark.parametrize("typed", ["11/24/2026", "31/02/2027", "29/02/2027", "24/13/2026", "next Tuesday",
                                   "24 Smarch 2026", "2026-13-01", "24/11", "24112026"])
def test_what_is_not_a_date_is_refused_with_the_forms_it_takes(typed: str) -> None:
    from vbp_workshop.core.steps.checks import parse_date

    with pytest.raises(ValueError, match=r"not a date: write it day/month/year, e\.g\. 24/11/2026, or 2026-11-24"):
        parse_date(typed)
