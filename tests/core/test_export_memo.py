"""During an export each poll round is tallied once whole, once per group and once per sector,
however many sheets show it (poll results, sectors, divergence, readiness, ideas); outside an
export nothing is kept, so a live tally always reads the file as it is now."""

from __future__ import annotations

import functools
import gc
import sys
from collections import Counter
from pathlib import Path

import pytest

from vbp_workshop.core.file.memo import BallotMemo
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import REGISTRY, encode
from vbp_workshop.core.polls import queries
from vbp_workshop.core.workbook import export, xlsx
from vbp_workshop.core.workbook.export import ExportCancelled, export_workbook
from vbp_workshop.core.workbook.poll_sheets import poll_sheets
from vbp_workshop.core.workbook.xlsx import WorkbookWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import workbook_diff  # tools/ is not a package: found through the path above


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


def test_an_export_leaves_the_collector_on_for_the_rest_of_the_app(store: Store, tmp_path: Path) -> None:
    """The export runs on a worker thread while the GUI takes votes: it once switched the cycle
    collector off for the whole process until it finished."""
    seen: list[bool] = []
    export_workbook(store, tmp_path / "out.xlsx", progress=lambda _f: seen.append(gc.isenabled()))
    assert seen and all(seen) and gc.isenabled()


# -- memory that does not grow with the votes ----------------------------------------------------


def test_the_ballot_memo_holds_at_most_its_budget_dropping_the_rounds_read_longest_ago() -> None:
    memo = BallotMemo(budget=10)
    memo[(1, 1)] = [{"id": i} for i in range(4)]
    memo[(2, 1)] = [{"id": i} for i in range(4)]
    assert memo.get((1, 1)) is not None  # read again: now the newest
    memo[(3, 1)] = [{"id": i} for i in range(4)]  # 12 > 10: the round read longest ago goes
    assert memo.get((2, 1)) is None and memo.get((1, 1)) is not None and memo.get((3, 1)) is not None
    assert len(memo) == 8
    memo[(4, 1)] = [{"id": i} for i in range(30)]  # one round over the budget is still kept alone
    assert len(memo) == 30 and memo.get((4, 1)) is not None and memo.get((3, 1)) is None


def _votes(store: Store, n: int) -> None:
    polls = [p for p in queries.polls(store) if p.kind in ("single", "fist", "scale")]
    groups = ["payer", "provider", "pharma", "patient"]
    with store.transaction() as conn:
        conn.executemany("INSERT INTO ballots(poll_id, round, voter, grp, answer, ballot_uid, created_at, updated_at)"
                         " VALUES (?, 1, ?, ?, ?, ?, '', '2026-11-24T10:00:00+00:00')",
                         [(polls[i % len(polls)].id, f"d{i}", groups[i % 4], encode(i % 2), f"u{i}")
                          for i in range(n)])


def test_a_workbook_read_with_a_small_memo_and_through_temporary_files_is_the_same(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The large-workshop path (rounds read again once the memo is full; each part through a
    temporary file) writes the very same workbook as the quick one."""
    _votes(store, 2500)
    quick = export_workbook(store, tmp_path / "quick.xlsx")
    held: list[int] = []
    small = functools.partial(BallotMemo, budget=300)
    monkeypatch.setattr(queries, "BallotMemo", small)
    monkeypatch.setattr(export, "IN_MEMORY_VOTES", 100)
    original = queries.ballots

    def watched(s: Store, poll_id: int, round_: int) -> list:
        rows = original(s, poll_id, round_)
        held.append(len(s.ballot_memo or ()))
        return rows

    monkeypatch.setattr(queries, "ballots", watched)
    large = export_workbook(store, tmp_path / "large.xlsx")
    biggest = int(store.scalar("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM ballots GROUP BY poll_id, round)"))
    assert held and max(held) <= max(300, biggest) < 2500  # never every vote at once
    assert workbook_diff.diff(str(quick), str(large)) == []


def test_the_raw_votes_are_read_as_they_are_written_not_held_by_the_sheet(store: Store) -> None:
    _votes(store, 1200)
    with queries.ballots_kept(store):
        raw = next(s for s in poll_sheets(store, lambda _f: None) if s.title == "Raw votes")
        assert len(raw.rows) == 1 and raw.stream is not None  # the header; the rows come from the stream
        rows = raw.stream.rows()
        first = next(iter(rows))
        assert isinstance(first, list) and len(first) == len(raw.stream.headers)
        assert sum(1 for _ in rows) + 1 == store.scalar("SELECT COUNT(*) FROM ballots") == 1200


def test_an_export_cancelled_while_the_raw_votes_stream_writes_nothing(store: Store, tmp_path: Path) -> None:
    _votes(store, 12_000)
    asked = {"n": 0}
    streaming = {"on": False}
    original = WorkbookWriter._stream

    def stream(self, ws, sheet, s, start, cancelled):
        streaming["on"] = True
        try:
            return original(self, ws, sheet, s, start, cancelled)
        finally:
            streaming["on"] = False  # asked after this: not inside the stream

    def cancel() -> bool:
        asked["n"] += streaming["on"]
        return streaming["on"] and asked["n"] >= 2  # the second check inside the stream

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(WorkbookWriter, "_stream", stream)
        with pytest.raises(ExportCancelled):
            export_workbook(store, tmp_path / "out.xlsx", cancel=cancel)
    assert not (tmp_path / "out.xlsx").exists() and not list(tmp_path.glob("*.tmp*"))


def test_a_raw_votes_sheet_too_long_for_a_table_keeps_its_filters_and_says_why(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past TABLE_ROWS votes the Raw votes are an autofilter, not a table (XlsxWriter records
    every cell a table covers); the cells are the same and the Audit sheet says why."""
    import openpyxl

    _votes(store, 300)
    as_table = export_workbook(store, tmp_path / "table.xlsx")
    monkeypatch.setattr(xlsx, "TABLE_ROWS", 299)
    filtered = export_workbook(store, tmp_path / "filtered.xlsx")
    book = openpyxl.load_workbook(filtered)
    raw = book["Raw votes"]
    assert "RawVotes" not in raw.tables and raw.auto_filter.ref == f"A1:K{300 + 1}"
    assert "RawVotes" in openpyxl.load_workbook(as_table)["Raw votes"].tables
    notes = [c for row in book["Audit"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("holds 300 votes" in n and "not an Excel table" in n for n in notes)
    same = workbook_diff._values(str(as_table)), workbook_diff._values(str(filtered))
    assert same[0]["Raw votes"] == same[1]["Raw votes"]
