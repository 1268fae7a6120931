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


def test_polarised_needs_thirty_percent_on_each_side_of_the_middle() -> None:
    # 0..10 scale: the sides are 0–4 and 6–10. 2 of 8 low (25 %), 6 high: not polarised (< 30 %).
    s = spread_of("x", [(2.0, 2.0), (8.0, 6.0)], 0, 10)
    assert (s.low, s.high, s.polarised) == (0.25, 0.75, False)
    # 3 of 8 on each side of the middle (37.5 %), two at 5: polarised though nobody is at an end.
    s = spread_of("x", [(3.0, 3.0), (5.0, 2.0), (7.0, 3.0)], 0, 10)
    assert (s.low, s.high, s.ends, s.polarised) == (0.375, 0.375, 0.0, True)
    # The middle itself (5) is neither side.
    s = spread_of("x", [(5.0, 8.0)], 0, 10)
    assert (s.low, s.high, s.polarised) == (0.0, 0.0, False)
    s = spread_of("x", [(2.0, 1.0), (8.0, 7.0)], 0, 10)
    assert not s.polarised and s.sd == pytest.approx((7 * 0.75**2 + 5.25**2) ** 0.5 / 8**0.5)


def test_nine_at_one_two_against_nine_at_four_five_is_polarised() -> None:
    # The room: professionals rarely pick the extremes. The old rule (a quarter at 1 and
    # a quarter at 5) called this room "not polarised"; 9 of 18 on each side is 50 % each.
    room = [b({"0": 2})] * 6 + [b({"0": 1})] * 3 + [b({"0": 4})] * 6 + [b({"0": 5})] * 3
    s = item_spreads(poll("agreement", ("S",)), room)[0]
    assert (s.low, s.high, s.polarised) == (0.5, 0.5, True)
    assert s.ends == pytest.approx(6 / 18)  # three at 1 and three at 5


def test_a_mild_majority_with_a_few_dissenters_is_not_polarised() -> None:
    s = item_spreads(poll("agreement", ("S",)), [b({"0": 2})] * 2 + [b({"0": 4})] * 6 + [b({"0": 3})] * 2)[0]
    assert (s.low, s.high, s.polarised) == (0.2, 0.6, False)


def test_a_consensus_fist_vote_is_not_at_the_ends_nor_polarised() -> None:
    # 7 people: four at 4, two at 3, one at 5. The old fifth-of-the-range rule counted 4 as an
    # end (71 % "at the ends"; 86 % with one more 4). By its labels the ends are 0 and 5.
    s = item_spreads(poll("fist", ()), [b(4)] * 4 + [b(3)] * 2 + [b(5)])[0]
    assert s.ends == pytest.approx(1 / 7) and not s.polarised
    assert (s.blockers, s.concerns) == (0, 0)


def test_fist_to_five_sides_are_its_objections_and_its_support() -> None:
    s = item_spreads(poll("fist", ()), [b(2)] * 3 + [b(3)] * 2 + [b(4)] * 3)[0]
    assert (s.low, s.high, s.polarised) == (0.375, 0.375, True)


def test_fist_to_five_only_zero_blocks_and_one_two_are_concerns_never_who() -> None:
    s = item_spreads(poll("fist", ()), [b(5, "pharma"), b(4), b(2, "provider"), b(1), b(0, "provider", weight=2)])[0]
    assert s.blockers == 2  # the two hands at 0; the 1 and the 2 are concerns, not blocks
    assert s.concerns == 2
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


def _levels(**partners: str) -> dict[str, dict[str, int]]:
    """'T2 M0 D1 S3' -> {time: 2, money: 0, data: 1, skills: 3}."""
    names = {"T": "time", "M": "money", "D": "data", "S": "skills"}
    return {p: {names[x[0]]: int(x[1:]) for x in v.split()} for p, v in partners.items()}


def test_a_patient_organisation_is_not_judged_like_a_company() -> None:
    # The demo's figures: seven partners, the patient network brings time and lived experience
    # (3 of 43 levels, 6.98 %, under half of 1/7 = 7.14 %): the old rule projected "brings only
    # 7 %" while the concentration index read 0.01. By role it brings what it usually brings.
    levels = _levels(ICB="T2 M1 D2 S1", TrustA="T2 M0 D2 S2", TrustB="T2 M0 D2 S2", TrustC="T2 M0 D2 S2",
                     Pharma="T2 M3 D1 S3", Patients="T2 M0 D0 S1", Network="T2 M0 D2 S3")
    sectors = {"ICB": "nhs", "TrustA": "nhs", "TrustB": "nhs", "TrustC": "nhs", "Pharma": "industry",
               "Patients": "patients", "Network": "wider"}
    r = judge(levels, sectors)
    assert r.shares["Patients"] == pytest.approx(3 / 43)
    assert r.balanced and "Patients" not in r.message and "only" not in r.message
    assert "money" not in r.single  # Pharma and the ICB both fund
    assert r.missing == [] and r.idle == []


def test_a_resource_nobody_brings_and_one_resting_on_one_partner() -> None:
    r = judge(_levels(A="T2 M0 D0 S1", B="T1 M2 D0 S1"), {"A": "nhs", "B": "industry"})
    assert r.missing == ["data"] and not r.balanced
    assert r.single == {"money": "B"}
    assert r.message.startswith("To discuss: nobody brings data yet; money rests on B alone")


def test_a_partner_with_nothing_its_role_usually_brings_is_a_question_not_a_size() -> None:
    r = judge(_levels(Trust="T2 M0 D3 S2", Co="T0 M0 D1 S0"), {"Trust": "nhs", "Co": "industry"})
    assert r.idle == ["Co"] and ("Co", "time") in r.to_ask and not r.balanced
    assert "nothing is recorded yet for Co in what a company usually brings (time, money or skills)" in r.message
    assert "%" not in r.message


def test_balance_needs_two_partners_and_something_recorded() -> None:
    assert judge(_levels(A="T1")).message.startswith("Record what each partner brings")
    assert judge(_levels(A="T0", B="T0")).message.startswith("Record what each partner brings")


def test_concentration_is_one_when_one_partner_brings_everything() -> None:
    assert concentration([1.0, 0.0, 0.0]) == pytest.approx(1.0)
    assert concentration([0.5, 0.5]) == pytest.approx(0.0)


def test_the_result_line_leads_with_blockers_then_polarisation() -> None:
    from vbp_workshop.core.polls.spreads import spread_text

    fist = item_spreads(poll("fist", ()), [b(5), b(5), b(1), b(0)])[0]
    line = spread_text(fist)
    assert line.startswith("1 BLOCK (0) · 1 with concerns (1–2): hear them")
    assert "POLARISED (50% below the middle, 50% above; polarised = at least 30%" in line
    assert "Only 4 answers" in line
    calm = spread_text(item_spreads(poll("fist", ()), [b(4)] * 6)[0])
    assert "BLOCK" not in calm and "POLARISED" not in calm and calm.startswith("mean 4.0 · sd 0.0")


def test_the_rooms_words_say_it_without_statistics() -> None:
    from vbp_workshop.core.polls.spreads import apart_words, spread_words

    fist = item_spreads(poll("fist", ()), [b(5), b(5), b(1), b(0)])[0]
    line = spread_words(fist)
    assert line.startswith("1 blocks: hear why · 1 with concerns: hear them"), line
    assert "sd" not in line and "POLARISED" not in line and "Only 4 answers" in line
    calm = spread_words(item_spreads(poll("fist", ()), [b(4)] * 6)[0])
    assert calm == "views are close · average 4.0"
    assert [apart_words(d) for d in (0.0, 0.2, 0.35, 0.8)] == [
        "much the same", "a little apart", "clearly apart", "far apart"]


def test_an_agreement_hand_count_spreads_like_the_same_hands_from_phones() -> None:
    # A hand-count entry holds the hands at each level; its spread is that of one phone per hand.
    hands = item_spreads(poll("agreement", ("S",)), [b({"0": [5, 0, 0, 0, 5]}, weight=5)])[0]
    phones = item_spreads(poll("agreement", ("S",)), [b({"0": 1})] * 5 + [b({"0": 5})] * 5)[0]
    assert hands == phones


def test_hand_count_answers_read_as_hands_in_the_workbook() -> None:
    from vbp_workshop.core.workbook.poll_sheets import readable_answer

    assert readable_answer(poll("multiple", ("A", "B")), {"0": 8, "1": 6}) == "A: 8 hands; B: 6 hands"
    assert readable_answer(poll("agreement", ("S",)), {"0": [0, 2, 0, 3, 0]}) == "S: Disagree 2, Agree 3"


# -- importance vs satisfaction: quadrants centred on the data -----------------------------------


def test_satisfaction_305_with_a_gap_of_153_is_fix_first_not_keep_up() -> None:
    from vbp_workshop.core.polls.divergence import WHOLE_ROOM, GapRow, by_gap, centre

    # The attribute: importance 4.58, satisfaction 3.05 (gap 1.53). Crossing at the
    # scale's middle (3, 3) read it "Keep up"; every attribute is important, so the room's own
    # averages decide: importance 4.3825, satisfaction 3.4875.
    rows = [GapRow("Trust", WHOLE_ROOM, 20, 4.58, 3.05), GapRow("Vision", WHOLE_ROOM, 20, 4.25, 3.60),
            GapRow("Data", WHOLE_ROOM, 20, 4.40, 3.90), GapRow("Pace", WHOLE_ROOM, 20, 4.30, 3.40)]
    assert rows[0].quadrant((3.0, 3.0)) == "Keep up"  # the old rule, for the record
    c = centre(rows)
    assert c == (pytest.approx(4.3825), pytest.approx(3.4875))
    assert [r.quadrant(c) for r in rows] == ["Fix first", "Possible overkill", "Keep up", "Low priority"]
    assert [r.attribute for r in by_gap(rows)] == ["Trust", "Pace", "Vision", "Data"]  # 1.53, 0.9, 0.65, 0.5


# -- where groups disagree: ranked by how clearly, not by the raw gap ----------------------------


def test_a_gap_between_groups_of_four_and_five_does_not_lead_a_clear_one_between_large_groups() -> None:
    from vbp_workshop.core.polls.divergence import _furthest
    from vbp_workshop.core.polls.sectors import group_ballots_in_sectors as group_ballots
    from vbp_workshop.core.polls.tally import tally_by_group

    p = poll("scale", (), min=1, max=5)
    # Small: 4 providers at 5, 4, 2, 5 (mean 4.0) and 5 payers at 2, 3, 1, 4, 2 (mean 2.4): a gap
    # of 0.40 of the scale, with an SE of 0.19 (z 2.1).
    small = [b(v, "provider") for v in (5, 4, 2, 5)] + [b(v, "payer") for v in (2, 3, 1, 4, 2)]
    # Large: 20 providers at 4 and 3 alternately (mean 3.5) and 20 payers at 3 and 2 (mean 2.5):
    # a gap of 0.25 with an SE of 0.04 (z 6.3).
    large = [b(4 - i % 2, "provider") for i in range(20)] + [b(3 - i % 2, "payer") for i in range(20)]

    def row(ballots):
        split = group_ballots(ballots, 3)
        return _furthest(p, tally_by_group(p, ballots, 3), split, 1)[0]

    gap_s, pair_s, z_s = row(small)
    gap_l, pair_l, z_l = row(large)
    assert (gap_s, gap_l) == (pytest.approx(0.4), pytest.approx(0.25))  # the old ranking led with the small one
    assert pair_s == ("provider", "payer") == pair_l
    sd_p, sd_q = (6 / 4) ** 0.5 / 4, (5.2 / 5) ** 0.5 / 4  # population sds on the 0..1 scale
    assert z_s == pytest.approx(0.4 / (sd_p**2 / 4 + sd_q**2 / 5) ** 0.5)
    assert z_l == pytest.approx(0.25 / ((0.125**2 / 20) * 2) ** 0.5)
    assert z_l > z_s  # the clear difference ranks first


def test_the_furthest_pair_reads_as_one_above_the_other_in_their_own_words() -> None:
    from vbp_workshop.core.polls.divergence import pair_text, sector_pair_text

    assert pair_text(("provider", "pharma"), {"provider": "NHS providers"}) == "NHS providers above pharma"
    assert pair_text(("a", "b"), {"a": "Alpha", "b": "Beta"}) == "Alpha above Beta"
    assert pair_text(("x", "y"), {}) == "x above y"  # a name without a label is shown as it is
    assert pair_text(None, {"a": "Alpha"}) == ""
    assert sector_pair_text(("industry", "other")) == "Industry above Other (merged)"
    assert sector_pair_text(("nhs", "patients")) == "NHS above Patients and public"


def test_a_hand_count_weighs_as_many_people_as_hands_when_a_group_or_sector_is_sized() -> None:
    hands = [b(0, "provider", weight=3)]  # one hand-count ballot: three people
    assert list(group_ballots_in_sectors(hands, 3)) == ["provider"]
    assert list(sector_ballots(hands, 3)) == ["nhs"]
    assert group_ballots_in_sectors(hands, 4) == {} and sector_ballots(hands, 4) == {}


def test_the_merged_other_is_shown_once_it_reaches_the_minimum_exactly() -> None:
    # no sector reaches 3 alone (nhs 2, industry 1): together 3, the minimum, so shown as "other"
    ballots = [b(0, "provider"), b(0, "payer"), b(1, "pharma")]
    assert {s: len(bs) for s, bs in sector_ballots(ballots, 3).items()} == {"other": 3}
    assert sector_ballots(ballots[:2], 3) == {}


def test_the_group_called_other_joins_the_cross_sector_other_not_its_sectors_rest() -> None:
    # two from "other" and two from "policy" (both in the wider sector), minimum 3: the policy
    # pair has no sector partner large enough, so all four end in the one cross-sector "other"
    ballots = [b(0, "other")] * 2 + [b(1, "policy")] * 2
    assert {g: len(bs) for g, bs in group_ballots_in_sectors(ballots, 3).items()} == {"other": 4}
