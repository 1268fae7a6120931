"""Each poll kind's own rules, through the registry: the headline read aloud, the revealed result
a phone shows, what a phone is sent, the group measure, the forms. Exact values, so a changed
rule fails here (these close the gaps mutation testing found)."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.model.poll import KINDS, REGISTRY, BallotError, Poll, encode, settings_problem, validate
from vbp_workshop.core.polls import kinds
from vbp_workshop.core.polls.queries import public_result
from vbp_workshop.core.polls.tally import divergence, headline, profile, tally


def poll(kind: str, options: tuple[str, ...] = ("A", "B", "C"), privacy: str = "anonymous",
         **settings: Any) -> Poll:
    return Poll(id=7, kind=kind, question="Q?", options=options, settings=settings, state="open",
                round=2, privacy=privacy)


def b(answer: Any, source: str = "phone", weight: int = 1) -> dict[str, Any]:
    return {"answer": encode(answer), "source": source, "weight": weight, "id": 1}


def test_the_registry_holds_every_kind_once_in_the_editors_order() -> None:
    assert tuple(KINDS) == kinds.ORDER
    assert {k: kinds.get(k).name for k in kinds.ORDER} == {k: k for k in kinds.ORDER}
    assert KINDS["fist"] == "Fist-to-five" and KINDS["matrix"] == "2×2 matrix" and len(KINDS) == 11
    assert KINDS["number"] == "Number (estimate)"
    with pytest.raises(kinds.UnknownKind):
        kinds.get("poker")
    with pytest.raises(BallotError, match="cannot take answers"):
        validate(poll("poker"), 1)
    assert tally(poll("poker"), [b(0)]).respondents == 1  # an unknown kind is counted, not crashed


@pytest.mark.parametrize(("kind", "ballots", "expected"), [
    ("single", [b(1), b(1), b(0)], "Leading: B"),
    ("multiple", [b([0, 2]), b([2])], "Leading: C"),
    ("points", [b({"0": 3, "1": 7})], "Leading: B"),
    ("ranking", [b([2, 0, 1]), b([2, 1])], "Leading: C"),
    ("scale", [b(2), b(4), b(9)], "Mean 5.0, median 4"),
    ("fist", [b(3), b(5), b(4)], "Consensus (mean 4.0)"),
    ("fist", [b(1), b(5)], "No consensus: 1 with concerns (mean 3.0)"),
    ("agreement", [b({"0": 5, "1": 2}), b({"0": 4, "1": 4})], "Most agreed: A (100%)"),
    ("importance", [b({"0": [5, 1], "1": [3, 3]})], "Biggest gap: A (+4.0)"),
    ("matrix", [b({"0": [5, 1], "1": [1, 5]})], "Best impact for effort: B"),
    ("text", [b("one"), b("two")], "2 answers"),
    ("text", [b("one")], "1 answer"),
    ("number", [b(8), b(12), b(15)], "Median 12 (middle half 10–13.5)"),
    ("number", [b(12.5), b(7)], "Median 9.8 (middle half 8.4–11.1)"),  # 9.75 reads 9.8, 8.375 8.4
])
def test_each_kind_has_its_headline(kind: str, ballots: list[dict[str, Any]], expected: str) -> None:
    p = poll(kind, () if kind in ("scale", "fist", "text") else ("A", "B", "C"), min=0, max=10) \
        if kind == "scale" else poll(kind, () if kind in ("fist", "text") else ("A", "B", "C"))
    assert headline(tally(p, ballots)) == expected


def test_a_headline_with_nothing_placed_falls_back_to_the_count() -> None:
    assert headline(tally(poll("matrix", ("A",)), [b({}, weight=2)])) == "2 answers"


@pytest.mark.parametrize(("kind", "ballots", "extra"), [
    ("single", [b(0), b(0), b(1)], {"bars": [["A", 66.7], ["B", 33.3], ["C", 0.0]]}),
    ("multiple", [b([0, 1]), b([1])], {"bars": [["A", 50.0], ["B", 100.0], ["C", 0.0]]}),
    ("points", [b({"0": 1, "2": 3})], {"bars": [["A", 25.0], ["B", 0.0], ["C", 75.0]]}),
    ("ranking", [b([1, 0, 2])], {"bars": [["A", 50.0], ["B", 100.0], ["C", 0.0]]}),
    ("agreement", [b({"0": 4, "1": 2})], {"bars": [["A", 100.0], ["B", 0.0], ["C", 0]]}),
    ("matrix", [b({"0": [2, 4]})], {"points": [["A", (2.0, 4.0)], ["B", None], ["C", None]]}),
    ("text", [b("Heart health"), b("heart care")], {"words": [("heart", 2), ("care", 1), ("health", 1)]}),
])
def test_each_kind_reveals_its_result(kind: str, ballots: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    p = poll(kind, () if kind == "text" else ("A", "B", "C"))
    t = tally(p, ballots)
    assert public_result(p, t) == {"poll_id": 7, "kind": kind, "respondents": len(ballots),
                                   "headline": headline(t), **extra}


def test_scale_and_fist_reveal_a_bar_per_level() -> None:
    p = poll("scale", (), min=1, max=3)
    assert public_result(p, tally(p, [b(1), b(3), b(3), b(3)]))["bars"] == [["1", 25.0], ["2", 0.0], ["3", 75.0]]
    f = poll("fist", ())
    assert [lv for lv, _ in public_result(f, tally(f, [b(5)]))["bars"]] == ["0", "1", "2", "3", "4", "5"]


def test_what_a_phone_is_sent_of_each_kind() -> None:
    base = {"id": 7, "question": "Q?", "round": 2, "state": "open",
            "privacy": "Anonymous: no name is stored, only the group you chose"}
    assert poll("single").public() == {**base, "kind": "single", "options": ["A", "B", "C"], "min": 0, "max": 10}
    assert poll("multiple", max_choices=2).public()["max_choices"] == 2
    assert poll("multiple").public()["max_choices"] == 3  # every option, unless the poll says
    assert poll("points").public()["budget"] == 10 and poll("points", budget=0).public()["budget"] == 1
    m = poll("matrix").public()
    assert (m["x_label"], m["y_label"], m["min"], m["max"]) == ("Effort", "Impact", 1, 5)
    assert "x_label" not in poll("importance").public() and "budget" not in poll("single").public()
    assert (poll("agreement").public()["min"], poll("fist").public()["max"]) == (1, 5)
    assert (poll("importance").public()["min"], poll("importance").public()["max"]) == (1, 5)
    assert poll("fist").public()["min"] == 0
    nogroup = poll("single", privacy="anonymous_nogroup").public()["privacy"]
    assert nogroup == "Anonymous: no name and no group is stored"


@pytest.mark.parametrize(("kind", "ballots", "measure"), [
    ("single", [b(0), b(0), b(0), b(1)], [0.75, 0.25, 0.0]),
    ("points", [b({"0": 2, "1": 8})], [0.2, 0.8, 0.0]),
    ("ranking", [b([0, 1, 2])], [1.0, 0.5, 0.0]),
    ("agreement", [b({"0": 5, "1": 1})], [1.0, 0.0, 0.5]),  # unanswered: neutral
    ("matrix", [b({"0": [1, 5]})], [0.0, 1.0, 0.5, 0.5, 0.5, 0.5]),
    ("text", [b("words")], []),
    ("number", [b(20), b(40), b(90)], [0.4]),  # the median on the range (0–100 unless set)
])
def test_each_kind_has_its_group_measure(kind: str, ballots: list[dict[str, Any]], measure: list[float]) -> None:
    p = poll(kind, () if kind == "text" else ("A", "B", "C"))
    assert profile(tally(p, ballots), p) == pytest.approx(measure)


def test_scale_measure_is_the_mean_on_the_range() -> None:
    p = poll("scale", (), min=0, max=10)
    assert profile(tally(p, [b(2), b(4)]), p) == [0.3]
    assert profile(tally(p, []), p) == [0.0]
    f = poll("fist", ())
    assert profile(tally(f, [b(5)]), f) == [1.0]


def test_shares_use_total_variation_and_means_the_largest_gap() -> None:
    single = poll("single", ("A", "B"))
    groups = {"x": tally(single, [b(0), b(0), b(0), b(1)]), "y": tally(single, [b(1), b(1), b(1), b(0)])}
    assert divergence(single, groups) == (0.5, ("x", "y"))
    multi = poll("multiple", ("A", "B"))
    groups = {"x": tally(multi, [b([0]), b([0, 1])]), "y": tally(multi, [b([1]), b([1])])}
    assert divergence(multi, groups) == (1.0, ("x", "y"))  # A: 100% vs 0%
    groups["z"] = tally(multi, [])
    assert divergence(multi, groups) == (1.0, ("x", "y"))  # a group with no answers is left out
    assert divergence(multi, {"x": groups["x"]}) == (0.0, None)


@pytest.mark.parametrize(("kind", "form", "people", "fields"), [
    ("single", "options", False, set()), ("multiple", "options", True, {"max_choices"}),
    ("points", "options", True, {"budget"}), ("ranking", "options", False, set()),
    ("scale", "levels", False, {"min", "max"}), ("fist", "levels", False, {"statement"}),
    ("agreement", "statements", False, set()), ("matrix", "placing", False, {"x_label", "y_label"}),
    ("importance", "placing", False, set()), ("text", "text", False, set()),
    ("number", "value", False, {"min", "max", "unit"}),
])
def test_each_kind_says_its_forms(kind: str, form: str, people: bool, fields: set[str]) -> None:
    k = kinds.get(kind)
    assert (k.hand_form, k.hand_people, set(k.editor_fields)) == (form, people, fields)
    assert k.hand_hint.endswith(".")


@pytest.mark.parametrize(("kind", "options", "settings", "problem"), [
    ("single", ["One"], {}, "Add the options"),
    ("single", ["One", " "], {}, "Add the options"),
    ("single", ["One", "Two"], {}, ""),
    ("agreement", ["Only"], {}, ""),
    ("matrix", ["Only"], {}, ""),
    ("matrix", [], {}, "Add the options"),
    ("scale", [], {"min": 5, "max": 5}, "maximum must be above"),
    ("scale", [], {"min": 0, "max": 1}, ""),
    ("fist", [], {"min": 5, "max": 5}, ""),
    ("text", [], {}, ""),
    ("number", [], {"min": 0, "max": 36, "unit": "months"}, ""),
    ("number", [], {}, ""),  # 0 to 100
    ("number", [], {"min": 10, "max": 10}, "highest answer must be above"),
    ("number", [], {"min": 0.5, "max": 10}, "whole numbers"),
    ("number", [], {"min": float("nan"), "max": 10}, "whole numbers"),
    ("number", [], {"min": "0", "max": 10}, "whole numbers"),
    ("number", [], {"min": 0, "max": 10**10}, "Keep the range within"),
    ("number", [], {"unit": "a unit far too long"}, "Keep the unit to 12 characters"),
    ("single", [str(i) for i in range(31)], {}, "at most 30"),
    ("single", [str(i) for i in range(30)], {}, ""),
    ("poker", ["a", "b"], {}, "Unknown poll type"),
])
def test_what_stops_a_poll_opening(kind: str, options: list[str], settings: dict[str, Any], problem: str) -> None:
    found = settings_problem(kind, options, settings)
    assert (problem in found and bool(found)) if problem else found == ""


def test_hand_counts_relax_the_per_person_limits_only() -> None:
    assert validate(poll("multiple", max_choices=1), [0, 2], hand=True) == [0, 2]
    with pytest.raises(BallotError, match="at most 1"):
        validate(poll("multiple", max_choices=1), [0, 2])
    assert validate(poll("points", budget=5), {"0": 400}, hand=True) == {"0": 400}
    with pytest.raises(BallotError, match="whole number from 0 to 5"):
        validate(poll("points", budget=5), {"0": 6})
    assert validate(poll("points"), {"0": 3, "1": 0}) == {"0": 3}  # zeros are dropped
    with pytest.raises(BallotError, match="at least one point"):
        validate(poll("points"), {"0": 0})


def test_a_hand_count_row_stands_for_a_valid_answer() -> None:
    rows = {"single": 1, "multiple": 1, "ranking": 1, "scale": 4, "fist": 4, "agreement": (1, 4)}
    for kind, key in rows.items():
        p = poll(kind, () if kind in ("scale", "fist") else ("A", "B", "C"))
        answer = kinds.get(kind).hand_answer(key)
        assert validate(p, answer, hand=True) == {"single": 1, "multiple": [1], "ranking": [1], "scale": 4,
                                                  "fist": 4, "agreement": {"1": 4}}[kind]
    assert kinds.get("matrix").axes(poll("matrix", x_label="Cost")) == ("Cost", "Impact")
    assert kinds.get("importance").axes(poll("importance")) == ("Importance", "Satisfaction")
    # A number's hand count is the value the group agreed, weighted by how many people agreed it.
    n = poll("number", (), unit="%")
    assert validate(n, 12.5, hand=True) == 12.5 and kinds.get("number").hand_weight(12.5, 7) == 7


def test_a_new_kind_needs_only_its_module(monkeypatch) -> None:
    """What docs/ARCHITECTURE.md promises: a kind registered in one place is validated, tallied,
    measured, sent to phones and revealed with no other core change."""
    from vbp_workshop.core.polls.kinds.single import Single

    class YesNo(Single):
        name = "yesno"
        label = "Yes or no"
        fewest_options = 2

        def public(self, poll: Poll) -> dict[str, Any]:
            return {"buttons": "big"}

    monkeypatch.setitem(REGISTRY, "yesno", YesNo())  # what `model.poll.register` does
    p = poll("yesno", ("Yes", "No"))
    assert KINDS["yesno"] == "Yes or no" and settings_problem("yesno", ["Yes", "No"], {}) == ""
    t = tally(p, [b(validate(p, 0)), b(validate(p, 0)), b(validate(p, 1))])
    assert t.counts == [2, 1] and headline(t) == "Leading: Yes"
    assert p.public()["buttons"] == "big"
    assert public_result(p, t)["bars"] == [["Yes", 66.7], ["No", 33.3]]
    assert divergence(p, {"a": tally(p, [b(0)] * 3), "b": tally(p, [b(1)] * 3)}) == (1.0, ("a", "b"))


def test_results_are_rounded_to_one_decimal() -> None:
    r = poll("ranking")
    assert public_result(r, tally(r, [b([0, 1]), b([0, 1]), b([1, 0]), b([0])]))["bars"] == [
        ["A", 100.0], ["B", 57.1], ["C", 0.0]]  # Borda 7, 4, 0: 4/7 = 57.14…
    a = poll("agreement", ("S",))
    assert public_result(a, tally(a, [b({"0": 5}), b({"0": 4}), b({"0": 1})]))["bars"] == [["S", 66.7]]


def test_headlines_fall_back_to_the_count_when_nothing_was_rated() -> None:
    for kind in ("agreement", "importance", "matrix"):
        assert headline(tally(poll(kind), [b({})])) == "1 answer", kind


def test_the_2x2_ranks_impact_minus_effort_and_keeps_both_values() -> None:
    m = poll("matrix", ("Big", "Cheap"))
    t = tally(m, [b({"0": [5, 5], "1": [1, 4]})])
    assert headline(t) == "Best impact for effort: Cheap"  # 4-1 beats 5-5 (a sum would pick Big)
    assert validate(m, {"1": [2, 3]}) == {"1": [2, 3]}
    with pytest.raises(BallotError, match="from 1 to 5"):
        validate(m, {"0": [2, 6]})
    with pytest.raises(BallotError, match=r"^Each item needs two values\.$"):
        validate(m, {"0": [2]})
    wide = poll("matrix", ("A",), min=0, max=10)
    assert (wide.public()["min"], wide.public()["max"]) == (0, 10)
    assert validate(wide, {"0": [0, 10]}) == {"0": [0, 10]}
    assert profile(tally(m, [b({"0": [3, 2]})]), m) == [0.5, 0.25, 0.5, 0.5]
    assert poll("agreement").public()["max"] == 5


def test_multiple_choice_measure_is_each_options_share() -> None:
    p = poll("multiple")
    assert profile(tally(p, [b([0, 1]), b([0])]), p) == [1.0, 0.5, 0.0]


def test_a_text_answer_is_cleaned_by_the_one_rule_wherever_it_comes_from() -> None:
    """The server cleaned a phone's answer, but a hand-counted text answer (typed by the
    facilitator) reached the file with the characters a workbook cannot hold."""
    p = poll("text", ())
    for hand in (False, True):
        assert validate(p, "  Shared\x01 data\x7f\n and trust ", hand=hand) == "Shared data and trust"
