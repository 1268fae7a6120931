"""Hand counts saved by earlier builds (one ballot per option or per statement and level, each
weighed as people) are rewritten on opening so that they count people: schema 4.

The old files are written here with sqlite3, row by row, as the old hand-count form saved them
(see `core/file/hand_count_upgrade.py`); the real Store opens them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from vbp_workshop.core.file.schema import MIGRATIONS, SCHEMA_VERSION
from vbp_workshop.core.file.store import Store, WorkshopFileError, init_file
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.operations.polls import hand_count_edits
from vbp_workshop.core.polls import queries

# The moments two counts were saved: every cell of one count carries the same stamp.
FIRST, SECOND, THIRD = "2026-11-24T10:00:00.000+00:00", "2026-11-24T10:05:00.000+00:00", "2026-11-24T10:09:00.000+00:00"


def _poll(conn: sqlite3.Connection, kind: str, options: list[str], **settings: Any) -> int:
    cur = conn.execute("INSERT INTO polls(step, kind, question, options, settings, state) "
                       "VALUES (2, ?, ?, ?, ?, 'closed')",
                       (kind, f"A {kind} poll", json.dumps(options), json.dumps(settings)))
    assert cur.lastrowid is not None
    return cur.lastrowid


def _ballot(conn: sqlite3.Connection, poll_id: int, answer: Any, weight: int, *, grp: str = "",
            stamp: str = FIRST, source: str = "hand") -> None:
    n = conn.execute("SELECT COUNT(*) FROM ballots").fetchone()[0]
    conn.execute("INSERT INTO ballots(poll_id, round, voter, grp, source, weight, answer, created_at, updated_at) "
                 "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
                 (poll_id, f"{source}-{n:04d}", grp, source, weight, json.dumps(answer), stamp, stamp))


def _ballots(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM ballots ORDER BY id").fetchall()
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def old_file(path: Path, version: int) -> dict[str, int]:
    """A workshop in format `version` holding hand counts as the form saved them before."""
    init_file(path, upto=version)
    conn = sqlite3.connect(path)
    ids = {
        "multiple": _poll(conn, "multiple", ["A", "B", "C"], max_choices=2),
        "agreement": _poll(conn, "agreement", ["S1", "S2"]),
        "points": _poll(conn, "points", ["X", "Y", "Z"], budget=3),
        "single": _poll(conn, "single", ["Yes", "No"]),
        "odd": _poll(conn, "multiple", ["A", "B"]),
    }
    # Multiple choice: payers raised 8 hands for A and 6 for B; later the room 3 for C; a phone A+C.
    _ballot(conn, ids["multiple"], [0], 8, grp="payer")
    _ballot(conn, ids["multiple"], [1], 6, grp="payer")
    _ballot(conn, ids["multiple"], [2], 3, stamp=SECOND)
    _ballot(conn, ids["multiple"], [0, 2], 1, grp="payer", source="phone")
    # Agreement: hands at each level, one ballot per statement and level. 10 people rate S1,
    # 8 of them S2.
    for statement, hands in {"0": [0, 1, 2, 3, 4], "1": [0, 0, 0, 5, 3]}.items():
        for lvl, n in enumerate(hands, 1):
            if n:
                _ballot(conn, ids["agreement"], {statement: lvl}, n)
    # Points (before eaae5ed): the dots on each option, one ballot of weight 1 each; 3 dots a person.
    for option, dots in {"0": 12, "1": 9, "2": 9}.items():
        _ballot(conn, ids["points"], {option: dots}, 1)
    _ballot(conn, ids["single"], 1, 2)  # single choice always counted people: never touched
    # A count with a cell that is not as the old form wrote it (a weight of 0): left as it is.
    _ballot(conn, ids["odd"], [0], 2, stamp=THIRD)
    _ballot(conn, ids["odd"], [1], 0, stamp=THIRD)
    conn.commit()
    conn.close()
    return ids


@pytest.mark.parametrize("version", [2, 3])
def test_old_hand_counts_count_people_and_keep_every_hand(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.vbpw"
    ids = old_file(path, version)
    before = {row[0]: row for row in _ballots(path)}
    store = Store.open(path)
    try:
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION >= 4

        def tally(kind: str) -> Any:
            return queries.round_tally(store, queries.get_poll(store, ids[kind]))

        multiple = tally("multiple")
        # The payers were at least 8 people (8 hands for A), the room at least 3: with the phone,
        # 12 respondents (the old rows counted 8 + 6 + 3 + 1 = 18). Every hand is still there.
        assert multiple.counts == [9, 6, 4]
        assert multiple.respondents == 12 and multiple.by_source == {"hand": 11, "phone": 1}
        payers = queries.group_tallies(store, queries.get_poll(store, ids["multiple"]))["payer"]
        assert payers.respondents == 9 and payers.counts == [9, 6, 1]  # 8 by hand, 1 by phone

        agreement = tally("agreement")
        assert agreement.distribution == [[0, 1, 2, 3, 4], [0, 0, 0, 5, 3]]
        assert agreement.respondents == 10  # the old rows counted 18
        assert agreement.share_agreeing == [pytest.approx(70), pytest.approx(100)]

        points = tally("points")
        assert points.counts == [12, 9, 9]
        assert points.respondents == 10  # 30 dots at 3 a person (the old rows counted 3)

        assert tally("single").respondents == 2
        odd = tally("odd")
        assert odd.counts == [2, 0] and odd.respondents == 2

        hands = store.rows("ballots", "poll_id = ? AND source = 'hand'", (ids["multiple"],))
        assert sorted((r["grp"], json.loads(r["answer"]), r["weight"]) for r in hands) == [
            ("", {"2": 3}, 3), ("payer", {"0": 8, "1": 6}, 8)]
        grid = store.rows("ballots", "poll_id = ?", (ids["agreement"],))
        assert [(json.loads(r["answer"]), r["weight"]) for r in grid] == [
            ({"0": [0, 1, 2, 3, 4], "1": [0, 0, 0, 5, 3]}, 10)]
        # The first ballot of each count keeps its row, voter and stamp.
        first = before[grid[0]["id"]]
        assert (grid[0]["voter"], grid[0]["created_at"]) == (first[3], first[10])
    finally:
        store.close()
    after = {row[0]: row for row in _ballots(path)}
    for kind in ("single", "odd"):  # untouched, row for row
        assert [r for r in after.values() if r[1] == ids[kind]] == [r for r in before.values() if r[1] == ids[kind]]


def test_a_file_in_the_new_format_is_untouched(tmp_path: Path) -> None:
    """A schema-3 file saved by a build after 72d0170: its counts already count people."""
    path = tmp_path / "new.vbpw"
    init_file(path, upto=3)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    multi = _poll(conn, "multiple", ["A", "B", "C"])
    agree = _poll(conn, "agreement", ["S1", "S2"])
    dots = _poll(conn, "points", ["X", "Y"], budget=3)
    one_dot = _poll(conn, "points", ["X", "Y"], budget=3)
    polls = {r["id"]: Poll.from_row(dict(r)) for r in conn.execute("SELECT * FROM polls")}
    entries: dict[int, list[tuple[str, Any, int]]] = {
        multi: [("payer", {"0": 8, "1": 6}, 10)],
        agree: [("", {"0": [0, 1, 2, 3, 4], "1": [0, 0, 0, 5, 3]}, 0)],
        dots: [("", {"0": 7, "1": 2}, 3)],
        # One option's points with one person: the shape an old cell had, and more points than
        # one person's budget, which the upgrade would raise to 2 people if it took it for old.
        one_dot: [("", {"1": 5}, 1)],
    }
    for pid, rows in entries.items():  # as today's form writes them
        for edit in hand_count_edits(polls[pid], 1, rows):
            values = edit.values  # type: ignore[union-attr]
            conn.execute(f"INSERT INTO ballots({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                         list(values.values()))
    conn.commit()
    conn.close()
    before = _ballots(path)
    assert len(before) == 4
    store = Store.open(path)
    try:
        assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert queries.round_tally(store, queries.get_poll(store, multi)).respondents == 10
        assert queries.round_tally(store, queries.get_poll(store, agree)).respondents == 10
    finally:
        store.close()
    assert _ballots(path) == before


def test_the_upgrade_is_one_transaction(tmp_path: Path) -> None:
    """If the rewrite fails half way, the file keeps its old rows and its old version."""
    path = tmp_path / "old.vbpw"
    old_file(path, 3)
    before = _ballots(path)
    upgrade = MIGRATIONS[3]
    assert callable(upgrade)

    def half_way(conn: sqlite3.Connection) -> None:
        upgrade(conn)
        raise sqlite3.OperationalError("disk I/O error")

    MIGRATIONS[3] = half_way
    try:
        with pytest.raises(WorkshopFileError, match="disk I/O error"):
            Store.open(path)
    finally:
        MIGRATIONS[3] = upgrade
    assert _version(path) == 3 and _ballots(path) == before
    Store.open(path).close()
    assert _version(path) == SCHEMA_VERSION and len(_ballots(path)) < len(before)
