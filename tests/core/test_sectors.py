"""Sectors, per-item spread (polarisation, blockers, small numbers) and the balance rule, with
expectations computed by hand in each test."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors, sector_ballots, sector_of
from vbp_workshop.core.polls.spreads import item_spreads, small_n_note, spread_of
from vbp_workshop.core.polls.tally import tally_by_sector
from vbp_workshop.core.steps.balance import concentration, judge


def poll(kind: str, options: tuple[str, ...] = ("A", "B"), **settings: Any) -> Poll:
    return Poll(id=1, kind=kind, question="Q?", options=options, settings=settings, state="open")


def b(answer: Any, grp: str = "", weight: int = 1) -> dict[str, Any]:
    return {"answer": encode(answer), "grp": grp, "source": "phone", "weight": weight}


# -- sectors ------------------------------------------------------------------------------------


def test_every_group_has_its_sector() -> None:
    assert [sector_of(g) for g in ("provider", "payer", "clinician", "pharma", "medtech", "patient",
                                   "policy", "other", "", "nonsense")] == \
        ["nhs", "nhs", "nhs", "industry", "industry", "patients", "wider", "wider", "", ""]


def test_sector_roll_up_adds_the_groups_of_a_sector() -> None:
    # NHS: 2 providers + 1 payer + 1 clinician = 4; industry: 2 pharma + 1 medtech = 3;
    # patients 1 and not-given 1 merge into "other" (2 < 3: withheld).
    ballots = [b(0, "provider"), b(0, "provider"), b(0, "payer"), b(1, "clinician"),
               b(1, "pharma"), b(1, "pharma"), b(1, "medtech"), b(0, "patient"), b(0, "")]
    out = sector_ballots(ballots, 3)
    assert {k: len(v) for k, v in out.items()} == {"nhs": 4, "industry": 3}
    t = tally_by_sector(poll("single"), ballots, 3)
    assert t["nhs"].counts == [3, 1] and t["industry"].counts == [0, 3]
    # one more patient and a hand count of 2 from policy: other = 1 + 1 + 1 + 2 = 5 >= 3
    more = sector_ballots([*ballots, b(0, "patient"), b(0, "policy", weight=2)], 3)
    assert sum(int(x["weight"]) for x in more["other"]) == 5 and "patients" not in more


def test_small_groups_merge_within_their_sector_before_across_sectors() -> None:
    # provider 3 stands alone; payer 2 + clinician 1 = 3 NHS -> "NHS: other groups";
    # pharma 1 + medtech 1 = 2 industry, too few -> "other" with patient 1 = 3.
    ballots = [b(0, "provider")] * 3 + [b(0, "payer")] * 2 + [b(0, "clinician"), b(1, "pharma"),
                                                                 b(1, "medtech"), b(1, "patient")]
    out = group_ballots_in_sectors(ballots, 3)
    assert {k: len(v) for k, v in out.items()} == {"provider": 3, "nhs_rest": 3, "other": 3}
    assert {x["grp"] for x in out["nhs_rest"]} == {"payer", "clinician"}  # never mixed with industry


# -- polarisation -------------------------------------------------------------------------------


def test_a_split_room_and_an_all_three_room_differ() -> None:
    split = item_spreads(poll("agreement", ("S",)), [b({"0": 1})] * 5 + [b({"0": 5})] * 5)[0]
    middle = item_spreads(poll("agreement", ("S",)), [b({"0": 3})] * 10)[0]
    assert split.mean == middle.mean == 3.0
    assert split.sd == pytest.approx(2.0) and middle.sd == 0.0  # sqrt(mean of (±2)^2)
    assert (split.low, split.high, split.extremes) == (0.5, 0.5, 1.0)
    assert middle.extremes == 0.0
    assert split.polarised and not middle.polarised


def test_polarised_needs_a_quarter_at_each_end() -> None:
    # 0..10 scale: ends are <= 2 and >= 8 (a fifth of the range). 2 of 8 low (25%), 6 high: polarised.
    s = spread_of("x", [(2.0, 2.0), (8.0, 6.0)], 0, 10)
    assert (s.low, s.high, s.polarised) == (0.25, 0.75, True)
    # Just inside the middle (3 and 7) is not an end.
    s = spread_of("x", [(3.0, 4.0), (7.0, 4.0)], 0, 10)
    assert (s.low, s.high, s.polarised) == (0.0, 0.0, False)
    # 1 of 8 low (12.5%): not polarised, though the spread is still shown
    s = spread_of("x", [(2.0, 1.0), (8.0, 7.0)], 0, 10)
    assert not s.polarised and s.sd == pytest.approx((7 * 0.75**2 + 5.25**2) ** 0.5 / 8**0.5)


def test_on_a_five_point_scale_only_the_strong_answers_are_the_ends() -> None:
    # Half disagree (2), half agree (4): apart, but nobody at an end; 1 and 5 are the ends.
    mild = item_spreads(poll("agreement", ("S",)), [b({"0": 2})] * 4 + [b({"0": 4})] * 4)[0]
    assert (mild.low, mild.high, mild.polarised) == (0.0, 0.0, False)
    strong = item_spreads(poll("agreement", ("S",)), [b({"0": 1})] * 2 + [b({"0": 4})] * 4 + [b({"0": 5})] * 2)[0]
    assert (strong.low, strong.high, strong.polarised) == (0.25, 0.25, True)


def test_fist_to_five_counts_blockers_never_who() -> None:
    s = item_spreads(poll("fist", ()), [b(5, "pharma"), b(4), b(2, "provider"), b(0, "provider", weight=2)])[0]
    assert s.blockers == 3  # the 2 and the two hands at 0
    assert not hasattr(s, "groups") and "provider" not in repr(s)


def test_small_numbers_are_flagged_below_five() -> None:
    four = item_spreads(poll("scale", (), min=0, max=10), [b(5)] * 4)[0]
    five = item_spreads(poll("scale", (), min=0, max=10), [b(5)] * 5)[0]
    assert four.small and not five.small
    assert small_n_note(4) == "Only 4 answers: fewer than 5, read with care"
    assert small_n_note(5) == "" and small_n_note(0) == ""


def test_importance_items_are_importance_then_satisfaction() -> None:
    s = item_spreads(poll("importance", ("Trust",)), [b({"0": [5, 1]}), b({"0": [5, 2]})])
    assert [x.label for x in s] == ["Trust (importance)", "Trust (satisfaction)"]
    assert (s[0].mean, s[1].mean) == (5.0, 1.5)


# -- the balance rule ---------------------------------------------------------------------------


def test_balance_two_partners() -> None:
    assert judge({"A": 6, "B": 6}).balanced
    # 10 vs 2: shares 5/6 and 1/6; equal 1/2, limits 3/4 and 1/4: A over, B under.
    r = judge({"A": 10, "B": 2})
    assert (r.over, r.under) == (["A"], ["B"])
    assert r.concentration == pytest.approx((104 / 144 - 0.5) / 0.5)  # 0.4444
    # exactly on the limit (3/4 and 1/4) is still within tolerance
    assert judge({"A": 9, "B": 3}).balanced


def test_balance_three_partners() -> None:
    r = judge({"A": 8, "B": 3, "C": 1})  # 2/3, 1/4, 1/12 against 1/3 (limits 1/2 and 1/6)
    assert (r.over, r.under, r.balanced) == (["A"], ["C"], False)
    assert r.concentration == pytest.approx((74 / 144 - 1 / 3) / (2 / 3))  # 0.2708
    assert "A carries 67%" in r.message and "C brings only 8%" in r.message


def test_balance_seven_partners_no_longer_calls_48_percent_balanced() -> None:
    r = judge({"A": 12, "B": 2, "C": 2, "D": 2, "E": 2, "F": 2, "G": 3})  # A = 12/25 = 48%
    assert not r.balanced and r.over == ["A"] and r.under == []  # 2/25 = 8% > 1/14 = 7.1%
    assert r.concentration == pytest.approx(4102 / 26250)  # (173/625 - 1/7) / (6/7)
    assert "A carries 48%" in r.message


def test_balance_twelve_partners() -> None:
    even = judge({f"P{i}": 3 for i in range(12)})
    assert even.balanced and even.concentration == pytest.approx(0.0)
    # ten at 3, one at 6 (6/37 = 16% > 1/8), one at 1 (1/37 = 2.7% < 1/24)
    r = judge({**{f"P{i}": 3 for i in range(10)}, "Big": 6, "Small": 1})
    assert (r.over, r.under) == (["Big"], ["Small"])
    none = judge({**{f"P{i}": 3 for i in range(11)}, "Absent": 0})
    assert none.under == ["Absent"] and "Absent brings nothing" in none.message


def test_concentration_is_one_when_one_partner_brings_everything() -> None:
    assert concentration([1.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert concentration([0.5, 0.5]) == pytest.approx(0.0)


def test_the_result_line_leads_with_blockers_then_polarisation() -> None:
    from vbp_workshop.core.polls.spreads import spread_text

    fist = item_spreads(poll("fist", ()), [b(5), b(5), b(1), b(0)])[0]
    line = spread_text(fist)
    assert line.startswith("2 BLOCKERS (below 3")
    assert "POLARISED (50% low, 50% high)" in line and "Only 4 answers" in line
    calm = spread_text(item_spreads(poll("fist", ()), [b(4)] * 6)[0])
    assert "BLOCKER" not in calm and "POLARISED" not in calm and calm.startswith("mean 4.0 · sd 0.0")


def test_an_agreement_hand_count_spreads_like_the_same_hands_from_phones() -> None:
    # A hand-count entry holds the hands at each level; its spread is that of one phone per hand.
    hands = item_spreads(poll("agreement", ("S",)), [b({"0": [5, 0, 0, 0, 5]}, weight=5)])[0]
    phones = item_spreads(poll("agreement", ("S",)), [b({"0": 1})] * 5 + [b({"0": 5})] * 5)[0]
    assert hands == phones


def test_hand_count_answers_read_as_hands_in_the_workbook() -> None:
    from vbp_workshop.core.workbook.poll_sheets import readable_answer

    assert readable_answer(poll("multiple", ("A", "B")), {"0": 8, "1": 6}) == "A: 8 hands; B: 6 hands"
    assert readable_answer(poll("agreement", ("S",)), {"0": [0, 2, 0, 3, 0]}) == "S: Disagree 2, Agree 3"
