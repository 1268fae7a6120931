"""Where the room disagrees, per item, read back from a workshop file: the furthest pair of groups
and sectors, how clearly they differ (the gap over its standard error), the ranking over every
poll, and importance vs satisfaction (gaps, quadrants, ordering).

Expected figures are worked out by hand in the comments. A group's profile is its mean on the
0..1 scale ((mean - lo) / (hi - lo)) or its share per option; the per-person variance on that
scale is p(1 - p) for a share and (sd / (hi - lo))² for a mean (population sd); the standard
error of a gap is √(v1 / n1 + v2 / n2), and with no spread at all a gap is infinitely clear (and
no gap is no difference). The minimum group size is the default, 3: every group below has 3
or 4 people, so none is merged. Groups and sectors here: provider (NHS) and pharma (industry).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert, Update
from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.divergence import (
    WHOLE_ROOM,
    GapRow,
    by_gap,
    centre,
    importance_gaps,
    item_ranking,
    poll_items,
    widest_gap_by_sector,
)


def add_poll(store: Store, kind: str, question: str, answers: list[tuple[str, Any]],
             options: tuple[str, ...] = (), settings: dict[str, Any] | None = None,
             privacy: str = "") -> Poll:
    pid = store.apply([new_poll_edit(2, kind, question, list(options), settings or {})])[0].id
    if privacy:
        store.apply([Update("polls", pid, {"privacy": privacy})])
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": f"v{pid}-{i}", "grp": grp,
                                    "answer": encode(a)}) for i, (grp, a) in enumerate(answers)])
    return queries.get_poll(store, pid)


def scale(store: Store, question: str, provider: list[int], pharma: list[int], **kw: Any) -> Poll:
    return add_poll(store, "scale", question, [("provider", v) for v in provider] + [("pharma", v) for v in pharma],
                    settings={"min": 1, "max": 5}, **kw)


def rows_of(store: Store, poll: Poll) -> list[tuple[Any, ...]]:
    return [(r.label, r.group_gap, r.group_pair, r.sector_gap, r.sector_pair) for r in poll_items(store, poll)]


# -- one poll's items -----------------------------------------------------------------------------


def test_a_small_gap_between_spread_out_groups_is_named_with_its_low_clarity(store: Store) -> None:
    # providers 1, 3, 5: mean 3, profile (3 - 1) / 4 = 1/2, sd² 8/3, variance (8/3) / 16 = 1/6;
    # pharma 1, 3, 4: mean 8/3, profile (5/3) / 4 = 5/12, sd² ((5/3)² + (1/3)² + (4/3)²) / 3 = 14/9,
    # variance (14/9) / 16 = 7/72. Gap 1/2 - 5/12 = 1/12, given to four places: 0.0833, providers
    # above; standard error √((1/6) / 3 + (7/72) / 3) = √(19/216), z = (1/12) / √(19/216) ≈ 0.28.
    poll = scale(store, "How close?", [1, 3, 5], [1, 3, 4])
    z = (1 / 12) / math.sqrt(19 / 216)
    assert rows_of(store, poll) == [("How close?", 0.0833, ("provider", "pharma"), 0.0833, ("nhs", "industry"))]
    row = poll_items(store, poll)[0]
    assert (row.group_z, row.sector_z) == (pytest.approx(z), pytest.approx(z))
    assert row.score == pytest.approx(z) and not row.clear
    # the whole room's spread beside it: six people, mean (1 + 3 + 5 + 1 + 3 + 4) / 6 = 17/6
    assert row.spread is not None and (row.spread.label, row.spread.n) == ("How close?", 6)
    assert row.spread.mean == pytest.approx(17 / 6)


def test_groups_each_unanimous_and_apart_differ_beyond_doubt(store: Store) -> None:
    # providers all 5 (profile 1), pharma all 1 (profile 0): gap 1.0, no spread within either
    # group, so the gap is infinitely clear (not 1 / a made-up spread)
    poll = scale(store, "Apart?", [5, 5, 5], [1, 1, 1])
    assert rows_of(store, poll) == [("Apart?", 1.0, ("provider", "pharma"), 1.0, ("nhs", "industry"))]
    row = poll_items(store, poll)[0]
    assert (row.group_z, row.sector_z) == (math.inf, math.inf) and row.clear


def test_groups_that_answered_alike_have_no_pair_and_no_gap(store: Store) -> None:
    # everyone at 3: no gap, no pair to name, nothing clear (neither 1.0 nor infinite)
    poll = scale(store, "Same?", [3, 3, 3], [3, 3, 3])
    assert rows_of(store, poll) == [("Same?", 0.0, None, 0.0, None)]
    row = poll_items(store, poll)[0]
    assert (row.group_z, row.sector_z, row.score) == (0.0, 0.0, 0.0)
    # spread, but the same spread in both groups: 1, 3, 5 each; still no gap and no pair
    alike = scale(store, "Alike?", [1, 3, 5], [5, 3, 1])
    assert rows_of(store, alike) == [("Alike?", 0.0, None, 0.0, None)]


def test_shares_name_the_higher_group_per_option(store: Store) -> None:
    # providers A, A, A, B (A 3/4, B 1/4); pharma A, B, B, B (A 1/4, B 3/4). Per option: gap 1/2,
    # each share's variance p(1 - p) = 3/16, standard error √(2 · (3/16) / 4) = √(3/32), z ≈ 1.63.
    # On A the providers are higher, on B pharma (the group first in name order: named first).
    poll = add_poll(store, "single", "Which?", [("provider", 0)] * 3 + [("provider", 1)] + [("pharma", 0)]
                    + [("pharma", 1)] * 3, options=("A", "B"))
    assert rows_of(store, poll) == [("A", 0.5, ("provider", "pharma"), 0.5, ("nhs", "industry")),
                                    ("B", 0.5, ("pharma", "provider"), 0.5, ("industry", "nhs"))]
    z = 0.5 / math.sqrt(3 / 32)
    items = poll_items(store, poll)
    assert [(r.group_z, r.sector_z) for r in items] == [(pytest.approx(z), pytest.approx(z))] * 2
    assert [r.spread for r in items] == [None, None]  # a choice is counted, not rated


def test_a_poll_with_no_groups_kept_or_nothing_to_compare_has_no_items(store: Store) -> None:
    # anonymous with no group: the ballots carry no group, so nothing is split (even with answers)
    hidden = scale(store, "Hidden?", [5, 5, 5], [1, 1, 1], privacy="anonymous_nogroup")
    assert not hidden.keeps_groups and queries.ballots(store, hidden.id, 1)
    assert poll_items(store, hidden) == []
    words = add_poll(store, "text", "Why?", [("provider", "Trust")] * 3 + [("pharma", "Speed")] * 3)
    assert poll_items(store, words) == []  # open text: words, not a measure
    empty = scale(store, "Nobody yet?", [], [])
    assert poll_items(store, empty) == []


def test_the_ranking_leads_with_the_clearest_difference_then_the_widest(store: Store) -> None:
    # scores (z) and gaps, worked out in the tests above: Apart? inf and 1.0; Half? (providers all
    # 5, pharma all 3) inf and 0.5; Which? A and B 1.63 and 0.5 each (in the poll's order);
    # How close? 0.28; Same? 0
    scale(store, "Same?", [3, 3, 3], [3, 3, 3])
    scale(store, "How close?", [1, 3, 5], [1, 3, 4])
    scale(store, "Half?", [5, 5, 5], [3, 3, 3])
    add_poll(store, "single", "Which?", [("provider", 0)] * 3 + [("provider", 1)] + [("pharma", 0)]
             + [("pharma", 1)] * 3, options=("A", "B"))
    scale(store, "Apart?", [5, 5, 5], [1, 1, 1])
    ranked = [(r.poll.question, r.label, r.group_gap) for r in item_ranking(store)]
    assert ranked == [("Apart?", "Apart?", 1.0), ("Half?", "Half?", 0.5), ("Which?", "A", 0.5),
                      ("Which?", "B", 0.5), ("How close?", "How close?", 0.0833), ("Same?", "Same?", 0.0)]


# -- importance vs satisfaction -------------------------------------------------------------------


def test_importance_gaps_per_sector_and_an_attribute_nobody_rated(store: Store) -> None:
    # providers rate Trust 5 important, 2 satisfied; pharma 4 and 4; nobody rates Data. Room:
    # importance (15 + 12) / 6 = 4.5, satisfaction (6 + 12) / 6 = 3.0; NHS 5 and 2, industry 4 and 4.
    poll = add_poll(store, "importance", "Partnership", [("provider", {"0": [5, 2]})] * 3
                    + [("pharma", {"0": [4, 4]})] * 3, options=("Trust", "Data"))
    rows = importance_gaps(store, poll)
    assert rows[0] == GapRow("Trust", WHOLE_ROOM, 6, 4.5, 3.0)
    assert sorted(rows[1:], key=lambda r: r.who) == [GapRow("Trust", "industry", 3, 4.0, 4.0),
                                                     GapRow("Trust", "nhs", 3, 5.0, 2.0)]
    assert widest_gap_by_sector(rows) == {"Trust": GapRow("Trust", "nhs", 3, 5.0, 2.0)}  # gap 3 vs 0
    assert importance_gaps(store, scale(store, "Not importance", [1, 1, 1], [5, 5, 5])) == []


def test_the_widest_sector_gap_ignores_the_whole_room_and_keeps_the_first_on_a_tie() -> None:
    # Trust: room gap 2.0, NHS 1.0, industry 0.5 -> NHS (the room is not a sector);
    # Data: NHS 1.0, industry 1.0 -> NHS, listed first
    rows = [GapRow("Trust", WHOLE_ROOM, 10, 5.0, 3.0), GapRow("Trust", "nhs", 5, 4.0, 3.0),
            GapRow("Trust", "industry", 5, 4.0, 3.5), GapRow("Data", WHOLE_ROOM, 10, 4.0, 3.0),
            GapRow("Data", "nhs", 5, 4.0, 3.0), GapRow("Data", "industry", 5, 3.0, 2.0)]
    widest = widest_gap_by_sector(rows)
    assert {a: r.who for a, r in widest.items()} == {"Trust": "nhs", "Data": "nhs"}


def test_the_quadrants_cross_at_the_centre_which_counts_as_low() -> None:
    # "high" means above the room's average: exactly at it is not high
    c = (4.0, 3.0)
    assert GapRow("a", WHOLE_ROOM, 5, 4.0, 3.5).quadrant(c) == "Possible overkill"  # importance at the centre
    assert GapRow("a", WHOLE_ROOM, 5, 4.01, 3.5).quadrant(c) == "Keep up"
    assert GapRow("a", WHOLE_ROOM, 5, 4.5, 3.0).quadrant(c) == "Fix first"  # satisfaction at the centre
    assert GapRow("a", WHOLE_ROOM, 5, 4.5, 3.01).quadrant(c) == "Keep up"
    assert GapRow("a", WHOLE_ROOM, 5, 4.0, 3.0).quadrant(c) == "Low priority"


def test_the_centre_is_the_whole_rooms_average_not_the_sectors() -> None:
    # room rows: importance (4 + 5) / 2 = 4.5, satisfaction (2 + 4) / 2 = 3.0; the sector rows
    # (1 and 1) do not count while room rows exist; with none, every row counts
    room = [GapRow("T", WHOLE_ROOM, 6, 4.0, 2.0), GapRow("D", WHOLE_ROOM, 6, 5.0, 4.0)]
    sectors = [GapRow("T", "nhs", 3, 1.0, 1.0), GapRow("D", "nhs", 3, 2.0, 3.0)]
    assert centre(room + sectors) == (4.5, 3.0)
    assert centre(sectors) == (1.5, 2.0)
    assert centre([]) == (0.0, 0.0)


def test_attributes_are_ordered_by_the_whole_rooms_gap_with_the_room_first() -> None:
    # room gaps: Trust 1.0, Data 0.5; the sectors' gaps (Trust NHS 0.2, Data NHS 1.5) do not
    # reorder the attributes, and each attribute's room row leads its sector rows
    rows = [GapRow("Data", "nhs", 3, 4.5, 3.0), GapRow("Data", WHOLE_ROOM, 6, 4.0, 3.5),
            GapRow("Trust", "nhs", 3, 4.2, 4.0), GapRow("Trust", WHOLE_ROOM, 6, 4.5, 3.5)]
    assert [(r.attribute, r.who) for r in by_gap(rows)] == [
        ("Trust", WHOLE_ROOM), ("Trust", "nhs"), ("Data", WHOLE_ROOM), ("Data", "nhs")]
    # without room rows an attribute goes by its own row's gap: Data 1.5 before Trust 0.2
    assert [r.attribute for r in by_gap([rows[2], rows[0]])] == ["Data", "Trust"]
