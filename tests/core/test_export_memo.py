"""During an export each poll round is tallied once whole, once per group and once per sector,
however many sheets show it (poll results, sectors, divergence, readiness, ideas); outside an
export nothing is kept, so a live tally always reads the file as it is now."""

from __future__ import annotations

import gc
from collections import Counter
from pathlib import Path

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import REGISTRY, encode
from vbp_workshop.core.polls import queries
from vbp_workshop.core.workbook.export import export_workbook


def count_tallies(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """poll id -> how many times a kind tallied ballots of it (every tally goes through one)."""
    calls: Counter[int] = Counter()
    for kind in REGISTRY.values():
        original = kind.tally

        def counted(poll, ballots, t, original=original):
            calls[poll.id] += 1
            return original(poll, ballots, t)

        monkeypatch.setattr(kind, "tally", counted)
    return calls


def test_an_export_tallies_each_round_and_split_once(demo: Store, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # What the sheets need, at most: every round whole, and the latest round per group and sector,
    # and once with each group counted once.
    needed = {p.id: p.round + len(queries.group_tallies(demo, p)) + len(queries.sector_tallies(demo, p))
              + (queries.equal_tally(demo, p) is not None) for p in queries.polls(demo)}
    calls = count_tallies(monkeypatch)
    export_workbook(demo, tmp_path / "out.xlsx")
    assert sum(calls.values()) > 50  # the demo's polls were tallied (the count means something)
    over = {p: (n, needed[p]) for p, n in calls.items() if n > needed[p]}
    assert not over, f"polls tallied more often than they have rounds, groups and sectors: {over}"
    assert demo.ballot_memo is None and demo.tally_memo is None  # nothing kept after the export


def test_outside_an_export_a_tally_reads_the_ballots_as_they_are_now(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo) if p.kind == "single" and queries.round_tally(demo, p).respondents)
    before = queries.round_tally(demo, poll)
    demo.apply([Insert("ballots", {"poll_id": poll.id, "round": poll.round, "voter": "late-phone", "grp": "payer",
                                   "answer": encode(0), "ballot_uid": "late", "created_at": "", "updated_at": ""})])
    assert queries.round_tally(demo, poll).respondents == before.respondents + 1
    with queries.ballots_kept(demo):
        kept = queries.round_tally(demo, poll)
        assert queries.round_tally(demo, poll) is kept  # one tally shared by every sheet
        assert queries.group_tallies(demo, poll) == queries.group_tallies(demo, poll)
        assert queries.group_tallies(demo, poll) is not queries.group_tallies(demo, poll)  # each caller's own dict


def test_an_export_leaves_its_cells_to_reference_counting_not_the_cycle_collector(store: Store,
                                                                                   tmp_path: Path) -> None:
    """Half a million cell records left in reference cycles cost a slow pass of the cycle
    collector (after the export, in whatever the app does next): the export frees them itself."""
    poll = next(p for p in queries.polls(store) if p.kind == "fist")  # answers 0-5
    with store.transaction() as conn:
        conn.executemany("INSERT INTO ballots(poll_id, round, voter, grp, answer, ballot_uid, created_at, updated_at)"
                         " VALUES (?, 1, ?, 'payer', ?, ?, '', '')",
                         [(poll.id, f"d{i}", encode(i % 6), f"u{i}") for i in range(3000)])
    gc.collect()
    export_workbook(store, tmp_path / "out.xlsx")
    left = gc.collect()
    assert left < 3000 * 11 / 4, f"{left} objects left for the cycle collector"  # 33,000 raw-vote cells
