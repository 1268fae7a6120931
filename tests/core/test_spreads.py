"""The spread beside a mean in the words read aloud from the projector (`spread_words`), its
figures (`spread_text`, `objection_text`) and how far apart two groups are (`apart_words`).

Every expected line is worked out in the comment above it from the module's rules, not copied
from output: on a lo..hi scale the low side is the values up to floor(mid - span/10) and the
high side from ceil(mid + span/10) (mid = (lo + hi) / 2; 1–5: 1–2 and 4–5; 1–10: 1–4 and 7–10);
fist-to-five's sides are 0–2 and
4–5, its ends 0 and 5, only 0 blocks and 1–2 are concerns. Polarised ("the room is split"):
at least 30 % on each side. "Views vary widely": not split, someone on each side and at least
30 % at the two end values. Fewer than 5 answers adds the small-number note.
"""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.polls.spreads import (
    POLARISED_RULE,
    ItemSpread,
    apart_words,
    item_spreads,
    objection_text,
    sides,
    small_n_note,
    spread_of,
    spread_text,
    spread_words,
)


def on_1_5(*counts: int) -> list[tuple[float, float]]:
    """(value, weight) pairs of a 1–5 rating: counts of people at 1, 2, 3, 4 and 5."""
    return [(float(v), float(c)) for v, c in zip(range(1, 6), counts, strict=True) if c]


def words(*counts: int) -> str:
    return spread_words(spread_of("Q", on_1_5(*counts), 1, 5))


def fist(*values: int) -> ItemSpread:
    poll = Poll(id=1, kind="fist", question="Agree?", options=(), settings={}, state="open")
    return item_spreads(poll, [{"answer": encode(v), "grp": "", "source": "phone", "weight": 1}
                               for v in values])[0]


# -- the sides of a scale ------------------------------------------------------------------------


def test_the_sides_of_a_scale_leave_its_middle_out() -> None:
    assert sides(1, 5) == (2, 4)  # mid 3: 1–2 low, 4–5 high
    assert sides(0, 10) == (4, 6)  # mid 5
    assert sides(1, 4) == (2, 3)  # mid 2.5, no middle value: 1–2 low, 3–4 high
    assert sides(0, 5) == (2, 3)  # fist-to-five's numbers read as a plain scale: mid 2.5
    assert sides(0, 5, consent=True) == (2, 4)  # by its labels: 0–2 object, 3 can live with it
    # 1–10 has no middle value and ten steps: 5 and 6 sit beside the middle (5.5), neighbours
    # rather than sides; a tenth of the span (0.9) from it leaves 1–4 low and 7–10 high.
    assert sides(1, 10) == (4, 7)
    assert sides(1, 7) == (3, 5)  # mid 4, a tenth 0.6 away: 1–3 and 5–7


def test_a_room_half_at_5_and_half_at_6_on_1_to_10_is_not_split() -> None:
    """Neighbouring answers either side of a 1–10 scale's middle are not a split room; 4 against 7
    (a tenth of the scale or more either side) is."""
    near = spread_of("x", [(5, 10), (6, 10)], 1, 10)
    assert not near.polarised and near.low == 0 and near.high == 0
    apart = spread_of("x", [(4, 10), (7, 10)], 1, 10)
    assert apart.polarised and apart.low == 0.5 and apart.high == 0.5


# -- an item nobody rated -----------------------------------------------------------------------


@pytest.mark.parametrize("blockers", [False, True])
def test_an_item_nobody_rated_has_no_figures_and_says_so(blockers: bool) -> None:
    s = spread_of("Trust", [], 1, 5, blockers=blockers)
    # a fist-to-five item counts its blocks and concerns (none yet); any other item has no count
    counted = 0 if blockers else None
    assert s == ItemSpread("Trust", 0, None, None, 0.0, 0.0, False, counted, 0.0, counted)
    assert (s.label, s.n, s.low, s.high, s.ends, s.polarised) == ("Trust", 0, 0.0, 0.0, 0.0, False)
    assert s.blockers is counted and s.concerns is counted
    assert not s.small  # no answers is not "a small number of answers"
    assert spread_words(s) == "no answers"
    assert spread_text(s) == "no answers"
    assert objection_text(s) == ""


def test_only_a_fist_to_five_item_counts_blocks_and_concerns() -> None:
    # the same numbers on a 0–5 scale: 0 is not a block there, 1–2 are not concerns
    plain = spread_of("Q", [(0.0, 1.0), (1.0, 1.0), (5.0, 3.0)], 0, 5)
    assert (plain.blockers, plain.concerns) == (None, None)
    consent = spread_of("Q", [(0.0, 1.0), (1.0, 1.0), (5.0, 3.0)], 0, 5, blockers=True)
    assert (consent.blockers, consent.concerns) == (1, 1)


def test_a_spread_of_weighted_values() -> None:
    # two people at 1 (one hand-count entry of 2) and one at 4, on 1–5: n 3, mean (2 + 4) / 3 = 2,
    # variance (2·1² + 1·2²) / 3 = 2, sd √2; low (≤ 2) 2/3, high (≥ 4) 1/3, ends (1 or 5) 2/3
    s = spread_of("Q", [(1.0, 2.0), (4.0, 1.0)], 1, 5)
    assert (s.n, s.mean, s.sd) == (3.0, 2.0, pytest.approx(2 ** 0.5))
    third = pytest.approx(1 / 3)
    assert (s.low, s.high, s.ends, s.polarised) == (pytest.approx(2 / 3), third, pytest.approx(2 / 3), True)


# -- the room's words: representative rooms -----------------------------------------------------


def test_a_room_in_agreement_reads_close() -> None:
    # ten at 4: nobody on the low side, no one at an end
    assert words(0, 0, 0, 10, 0) == "views are close · average 4.0"
    # a consensus around the middle with a few on each side but nobody at the ends: 1 at 2, 8 at
    # 3, 1 at 4 (low 10 %, high 10 %, ends 0 %)
    assert words(0, 1, 8, 1, 0) == "views are close · average 3.0"


def test_a_split_room_reads_split_not_its_average() -> None:
    # five at 1, five at 5: average 3.0 like a room of ten at 3, but 50 % on each side
    assert words(5, 0, 0, 0, 5) == "the room is split · average 3.0"
    # professionals avoid the extremes: nine at 2, nine at 4 is split with nobody at 1 or 5
    assert words(0, 9, 0, 9, 0) == "the room is split · average 3.0"


def test_a_room_at_both_ends_but_not_split_reads_wide() -> None:
    # 2 at 1, 7 at 3, 1 at 5: low 20 %, high 10 % (not split), ends 30 %; average (2 + 21 + 5) / 10
    assert words(2, 0, 7, 0, 1) == "views vary widely · average 2.8"


def test_many_at_one_end_only_is_not_wide() -> None:
    # 4 at 1, 6 at 3: 40 % at an end, but nobody on the high side; average (4 + 18) / 10 = 2.2
    assert words(4, 0, 6, 0, 0) == "views are close · average 2.2"
    # the mirror: 6 at 3, 4 at 5 (average (18 + 20) / 10 = 3.8)
    assert words(0, 0, 6, 0, 4) == "views are close · average 3.8"
    # one on the low side, none high, nobody at an end: 1 at 2, 9 at 3 (average 2.9)
    assert words(0, 1, 9, 0, 0) == "views are close · average 2.9"


def test_a_small_room_says_so_after_its_words() -> None:
    # 2 at 1, 2 at 5: split, four answers
    assert words(2, 0, 0, 0, 2) == \
        "the room is split · average 3.0 · Only 4 answers: fewer than 5, read with care"
    # one person at 3
    assert words(0, 0, 1, 0, 0) == "views are close · average 3.0 · Only 1 answer: fewer than 5, read with care"
    # five people: enough, no note
    assert words(0, 0, 5, 0, 0) == "views are close · average 3.0"


def test_a_fist_to_five_with_blocks_leads_with_them() -> None:
    # 0, 0, 1, 5, 5, 5: two block (0), one has concerns (1); low (0–2) 3/6, high (4–5) 3/6: split;
    # average 16/6 = 2.67
    s = fist(0, 0, 1, 5, 5, 5)
    assert spread_words(s) == "2 block: hear why · 1 with concerns: hear them · the room is split · average 2.7"
    assert objection_text(s) == "2 BLOCKS (0) · 1 with concerns (1–2): hear them"
    # one block alone, the rest at 4: "1 blocks"; low 1/5, high 4/5: not split; ends (0 or 5)
    # 1/5 < 30 %: close; average 16/5 = 3.2
    one = fist(0, 4, 4, 4, 4)
    assert spread_words(one) == "1 blocks: hear why · views are close · average 3.2"
    assert objection_text(one) == "1 BLOCK (0): hear them"
    # concerns only: 2, 2, 3, 4, 4, 4: low 2/6 (33 %), high 3/6: split; average 19/6 = 3.17
    concerns = fist(2, 2, 3, 4, 4, 4)
    assert spread_words(concerns) == "2 with concerns: hear them · the room is split · average 3.2"
    assert objection_text(concerns) == "2 with concerns (1–2): hear them"
    assert objection_text(fist(3, 4, 5)) == ""


def test_the_figures_line_of_a_blocked_fist_to_five() -> None:
    # 0, 0, 1, 5, 5, 5 (as above): mean 8/3 = 2.67; deviations² 2·(8/3)² + (5/3)² + 3·(7/3)²
    # = (128 + 25 + 147) / 9 = 300/9, over 6 people 50/9, sd √(50/9) = 2.36; ends 5/6 = 83 %
    assert spread_text(fist(0, 0, 1, 5, 5, 5)) == (
        "2 BLOCKS (0) · 1 with concerns (1–2): hear them · "
        f"POLARISED (50% below the middle, 50% above; {POLARISED_RULE}) · mean 2.7 · sd 2.4 · "
        "83% at the end values")


# -- the thresholds, from both sides ------------------------------------------------------------


def test_split_starts_at_exactly_30_percent_on_each_side() -> None:
    # 3 at 1, 4 at 3, 3 at 5: 30 % and 30 % -> split
    assert words(3, 0, 4, 0, 3) == "the room is split · average 3.0"
    assert spread_of("Q", on_1_5(3, 0, 4, 0, 3), 1, 5).polarised
    # one side just under 30 % (3 of 11, 27 %), the other above: not split
    assert not spread_of("Q", on_1_5(4, 0, 4, 0, 3), 1, 5).polarised  # low 4/11 36 %, high 3/11 27 %
    assert not spread_of("Q", on_1_5(3, 0, 4, 0, 4), 1, 5).polarised  # low 3/11 27 %, high 4/11 36 %
    assert spread_of("Q", on_1_5(3, 0, 4, 0, 4), 1, 5).low == pytest.approx(3 / 11)
    # exactly 30 % low with more high, and exactly 30 % high with more low: split
    assert spread_of("Q", on_1_5(3, 0, 3, 0, 4), 1, 5).polarised  # 30 %, 40 %
    assert spread_of("Q", on_1_5(4, 0, 3, 0, 3), 1, 5).polarised  # 40 %, 30 %
    # 4 at 1, 4 at 3, 3 at 5: low 36 %, high 27 %, ends 7/11 -> wide; average (4 + 12 + 15) / 11 = 2.82
    assert words(4, 0, 4, 0, 3) == "views vary widely · average 2.8"


def test_wide_starts_at_exactly_30_percent_at_the_ends() -> None:
    # 1 at 1, 1 at 2, 7 at 3, 1 at 5: ends 2/10 = 20 %: close; average (1 + 2 + 21 + 5) / 10 = 2.9
    assert words(1, 1, 7, 0, 1) == "views are close · average 2.9"
    # 1 at 1, 5 at 3, 1 at 5: ends 2/7 = 29 %: close; average 21 / 7 = 3.0
    assert words(1, 0, 5, 0, 1) == "views are close · average 3.0"
    # 2 at 1, 7 at 3, 1 at 5: ends 3/10 = 30 % exactly: wide (see above); and 1 at 1, 2 at 5,
    # 7 at 3: ends 30 %, low 10 %, high 20 %: wide; average (1 + 21 + 10) / 10 = 3.2
    assert words(2, 0, 7, 0, 1) == "views vary widely · average 2.8"
    assert words(1, 0, 7, 0, 2) == "views vary widely · average 3.2"


def test_the_small_number_note_from_both_sides() -> None:
    assert small_n_note(0) == ""  # nobody: "no answers" says it
    assert small_n_note(1) == "Only 1 answer: fewer than 5, read with care"
    assert small_n_note(2) == "Only 2 answers: fewer than 5, read with care"
    assert small_n_note(4) == "Only 4 answers: fewer than 5, read with care"
    assert small_n_note(5) == "" and small_n_note(12) == ""


def test_how_far_apart_two_groups_are_at_each_threshold() -> None:
    # below 0.1 the same; from 0.1 a little; from 0.25 clearly; from 0.5 far
    assert apart_words(0.0) == "much the same"
    assert apart_words(0.0999) == "much the same"
    assert apart_words(0.1) == "a little apart"
    assert apart_words(0.2499) == "a little apart"
    assert apart_words(0.25) == "clearly apart"
    assert apart_words(0.4999) == "clearly apart"
    assert apart_words(0.5) == "far apart"
    assert apart_words(1.0) == "far apart"


def test_spreads_follow_the_kinds_items() -> None:
    # an agreement poll of two statements: one spread each, labelled by the statement
    poll = Poll(id=1, kind="agreement", question="Q?", options=("S1", "S2"), settings={}, state="open")
    ballots: list[dict[str, Any]] = [{"answer": encode({"0": 5, "1": 1}), "grp": "", "source": "phone",
                                      "weight": 1}]
    s = item_spreads(poll, ballots)
    assert [(x.label, x.mean) for x in s] == [("S1", 5.0), ("S2", 1.0)]
