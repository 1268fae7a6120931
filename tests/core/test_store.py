"""The workshop file: round trips, undo by inverse edits, durability, and bad files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vbp_workshop.core.file.schema import SCHEMA_VERSION
from vbp_workshop.core.file.store import Store, WorkshopFileError, init_file
from vbp_workshop.core.model.changes import Delete, Insert, Update

ENTITIES = {
    "partners": {"name": "Acme Pharma", "stakeholder": "pharma", "goals": "Reach patients"},
    "agenda": {"title": "Welcome", "step": 0, "planned_min": 15, "actual_min": 12, "notes": "n"},
    "actions": {"kind": "action", "step": 3, "what": "Draft agreement", "owner": "Jo",
                "due": "2027-01-01", "status": "open"},
    "ambitions": {"text": "Fewer second heart attacks", "chosen": 1},
    "barriers": {"kind": "soft", "text": "Trust", "note": "Publish summary"},
    "activities": {"name": "Steering"},
    "rules": {"category": "data", "text": "Aggregated data only", "consent": ""},
    "glossary": {"term": "Value", "meaning": "Outcomes over cost"},
    "milestones": {"what": "Sign", "date": "2027-01-31"},
    "pilots": {"name": "Lipid clinics", "description": "d", "impact": 4.5, "effort": 2.0,
               "chosen": 1, "success": "70% at target"},
    "metrics": {"name": "LDL at target", "type": "outcome", "unit": "%", "numerator": "a",
                "denominator": "b", "direction": "higher", "baseline_value": 41.0,
                "baseline_date": "2026-09-30", "target_value": 70.0, "target_date": "2027-12-31",
                "source": "GP", "frequency": "Monthly", "owner": "Fed"},
    "lessons": {"text": "Pharmacist time was the bottleneck"},
}


def test_every_entity_round_trips_through_the_file(tmp_path: Path, store: Store) -> None:
    ids = {}
    for table, values in ENTITIES.items():
        store.apply([Insert(table, values)])
        ids[table] = store.rows(table)[-1]["id"]
    pid = ids["partners"]
    store.apply([Insert("participants", {"display_name": "Ann", "partner_id": pid, "role": "GP"}),
                 Insert("alignment", {"partner_id": pid, "status": "yes", "note": ""}),
                 Insert("contributions", {"partner_id": pid, "resource": "money", "level": 3}),
                 Insert("raci", {"activity_id": ids["activities"], "partner_id": pid, "role": "A"}),
                 Insert("actuals", {"metric_id": ids["metrics"], "date": "2027-03-31", "value": 55.0}),
                 Update("workshop", 1, {"title": "T", "venue": "Leeds", "min_group_size": 4}),
                 Update("steps", 2, {"status": "done", "fields": json.dumps({"risk_appetite": "low"})})])
    path = store.path
    store.close()
    again = Store.open(path)
    try:
        for table, values in ENTITIES.items():
            row = again.rows(table)[-1]
            assert {k: row[k] for k in values} == values
        assert again.rows("participants")[-1]["display_name"] == "Ann"
        assert again.rows("raci")[-1]["role"] == "A"
        assert again.rows("actuals")[-1]["value"] == 55.0
        assert again.workshop()["venue"] == "Leeds"
        assert again.workshop()["min_group_size"] == 4
        assert again.step_fields(2) == {"risk_appetite": "low"}
        assert again.row("steps", 2)["status"] == "done"
    finally:
        again.close()


def test_undo_is_the_inverse_batch_and_redo_restores_the_same_ids(store: Store) -> None:
    back = store.apply([Insert("partners", {"name": "A"}), Insert("partners", {"name": "B"})])
    names = [p["name"] for p in store.rows("partners")]
    ids = [p["id"] for p in store.rows("partners")]
    forward = store.apply(back)
    assert store.rows("partners") == []
    store.apply(forward)
    assert [p["name"] for p in store.rows("partners")] == names
    assert [p["id"] for p in store.rows("partners")] == ids


def test_deleting_a_partner_is_undone_with_everything_it_cascaded_to(store: Store) -> None:
    store.apply([Insert("partners", {"id": 1, "name": "P"}), Insert("activities", {"id": 1, "name": "A"}),
                 Insert("participants", {"id": 1, "display_name": "Ann", "partner_id": 1}),
                 Insert("alignment", {"partner_id": 1, "status": "yes"}),
                 Insert("raci", {"activity_id": 1, "partner_id": 1, "role": "A"})])
    before = {t: store.rows(t) for t in ("partners", "participants", "alignment", "raci")}
    back = store.apply([Delete("partners", 1)])
    assert store.rows("alignment") == [] and store.rows("raci") == []
    assert store.rows("participants")[0]["partner_id"] is None  # ON DELETE SET NULL
    store.apply(back)
    assert {t: store.rows(t) for t in before} == before


def test_a_failed_batch_changes_nothing(store: Store) -> None:
    store.apply([Insert("partners", {"id": 1, "name": "P"})])
    with pytest.raises(sqlite3.IntegrityError):
        store.apply([Update("partners", 1, {"name": "Changed"}), Insert("partners", {"id": 1, "name": "dup"})])
    assert store.row("partners", 1)["name"] == "P"


def test_listeners_hear_which_tables_changed(store: Store) -> None:
    heard = []
    store.listeners.append(heard.append)
    store.apply([Insert("partners", {"name": "P"}), Insert("lessons", {"text": "x"})])
    assert heard[-1].tables == {"partners", "lessons"}
    assert heard[-1].touches("lessons") and not heard[-1].touches("metrics")


def test_save_a_copy_gives_an_independent_openable_file(tmp_path: Path, store: Store) -> None:
    store.apply([Insert("partners", {"name": "P"})])
    store.save_copy(tmp_path / "copy.vbpw")
    store.apply([Insert("partners", {"name": "Later"})])
    copy = Store.open(tmp_path / "copy.vbpw")
    try:
        assert [p["name"] for p in copy.rows("partners")] == ["P"]
    finally:
        copy.close()
    with pytest.raises(WorkshopFileError, match="over the open workshop"):
        store.save_copy(store.path)


def test_an_older_file_is_upgraded_on_opening(tmp_path: Path) -> None:
    init_file(tmp_path / "v1.vbpw", upto=1)
    old = sqlite3.connect(tmp_path / "v1.vbpw")
    old.execute("INSERT INTO partners(name) VALUES ('Kept')")
    old.commit()
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert not old.execute("SELECT name FROM sqlite_master WHERE name = 'polls'").fetchall()
    old.close()
    s = Store.open(tmp_path / "v1.vbpw")
    try:
        assert s.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert s.rows("partners")[0]["name"] == "Kept"
        assert s.rows("polls") == []  # a table the upgrade added
    finally:
        s.close()


# -- bad files: a clear message, the file byte for byte unchanged ----------------------------------


def _bytes(p: Path) -> bytes:
    return p.read_bytes()


def _raw_sql(path: Path, sql: str) -> None:
    """Change a file behind the store's back, as another program would."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    p = tmp_path / "notes.vbpw"
    p.write_text("minutes of the meeting\n")
    before = _bytes(p)
    with pytest.raises(WorkshopFileError, match="not a VBP Workshop file"):
        Store.open(p)
    assert _bytes(p) == before


def test_an_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.vbpw"
    p.write_bytes(b"")
    with pytest.raises(WorkshopFileError, match="not a VBP Workshop file"):
        Store.open(p)
    assert _bytes(p) == b""


def test_another_programs_database(tmp_path: Path) -> None:
    p = tmp_path / "other.vbpw"
    _raw_sql(p, "CREATE TABLE t(x)")
    before = _bytes(p)
    with pytest.raises(WorkshopFileError, match="not one written by VBP Workshop"):
        Store.open(p)
    assert _bytes(p) == before


def test_a_damaged_file(tmp_path: Path, demo: Store) -> None:
    path = demo.path
    demo.close()
    data = bytearray(path.read_bytes())
    # Keep the header (so it is recognised as ours) and wreck pages in the middle.
    for i in range(4096 * 2, min(len(data), 4096 * 6)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    before = _bytes(path)
    with pytest.raises(WorkshopFileError, match="damaged"):
        Store.open(path)
    assert _bytes(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_a_file_from_a_newer_version(tmp_path: Path, store: Store) -> None:
    path = store.path
    store.close()
    _raw_sql(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _bytes(path)
    with pytest.raises(WorkshopFileError, match="newer version"):
        Store.open(path)
    assert _bytes(path) == before


def test_a_file_already_open_elsewhere_in_this_process(store: Store) -> None:
    before = _bytes(store.path)
    with pytest.raises(WorkshopFileError, match="already open"):
        Store.open(store.path)
    assert _bytes(store.path) == before
    store.apply([Insert("partners", {"name": "still works"})])


def test_a_file_already_open_in_another_process(tmp_path: Path, store: Store) -> None:
    path = store.path
    store.close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from vbp_workshop.core.file.store import Store; "
        f"s = Store.open({str(path)!r}); print('open', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = _bytes(path)
        with pytest.raises(WorkshopFileError, match="already open"):
            Store.open(path)
        assert _bytes(path) == before
    finally:
        holder.kill()
        holder.wait()
    Store.open(path).close()  # the lock went with the process


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(WorkshopFileError, match="does not exist"):
        Store.open(tmp_path / "nope.vbpw")
    with pytest.raises(WorkshopFileError, match="folder"):
        Store.open(tmp_path)


# -- durability ---------------------------------------------------------------------------------


CHILD = """
import os, sys
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
s = Store.open(sys.argv[1])
s.apply([Insert("partners", {"name": "made before the kill"})])
print("edited", flush=True)
import time; time.sleep(60)
"""


def test_an_edit_survives_sigkill_right_after_it_returns(tmp_path: Path, store: Store) -> None:
    """A killed process loses nothing. (A kill cannot tell synchronous=FULL from NORMAL — the
    page cache survives it — so the tests below count the disk syncs themselves.)"""
    path = store.path
    store.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "edited"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()  # reaped: the kernel has released its file and its locks, nothing to wait for
    again = Store.open(path)
    try:
        assert [p["name"] for p in again.rows("partners")] == ["made before the kill"]
    finally:
        again.close()


def test_old_demo_copies_are_pruned_but_never_an_open_one(tmp_path: Path) -> None:
    from vbp_workshop.core.steps.demo import build_demo, prune_demo_copies

    old, open_one, fresh = (tmp_path / f"demo-{n}.vbpw" for n in ("old", "open", "fresh"))
    for p in (old, open_one, fresh):
        build_demo(p).close()
    week_ago = time.time() - 8 * 86400
    for p in (old, open_one):
        os.utime(p, (week_ago, week_ago))
    held = Store.open(open_one)
    try:
        assert prune_demo_copies(tmp_path) == [old]
    finally:
        held.close()
    assert not old.exists() and open_one.exists() and fresh.exists()


SYNC_CHILD = """
import sys
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.intake.votes import Vote, VoteWriter
from vbp_workshop.core.polls import queries
from vbp_workshop.core.operations.live import open_poll
s = Store.open(sys.argv[1])
if sys.argv[2] == "edits":
    for i in range(20):
        s.apply([Insert("partners", {"name": f"p{i}"})])
else:
    live = LiveState()
    pid = [p.id for p in queries.polls(s) if p.kind == "scale"][0]
    open_poll(s, live, pid)
    w = VoteWriter(s.path, live)
    w.start()
    for i in range(20):  # one at a time: each its own batch, so its own commit
        w.vote(Vote(pid, 1, f"d-{i}", "", 3, f"uid-sync-{i:04d}"))
    w.stop()
s.close()
"""


def _syncs(path: Path, what: str, tmp_path: Path) -> int:
    """How many times the file was synced to disk (fsync/fdatasync) while doing `what`."""
    from tests.conftest import need_tool

    strace = need_tool("strace")
    log = tmp_path / f"strace-{what}.txt"
    subprocess.run([strace, "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", str(log),
                    sys.executable, "-c", SYNC_CHILD, str(path), what], check=True, timeout=120)
    return sum(1 for line in log.read_text().splitlines() if "sync(" in line and "= 0" in line)


@pytest.mark.parametrize("what", ["edits", "votes"])
def test_every_commit_is_synced_to_disk(tmp_path: Path, store: Store, what: str) -> None:
    """synchronous=FULL: each of 20 commits (edits, or votes through the writer) reaches the disk
    before it returns, so a power cut loses none. With NORMAL, WAL commits are not synced
    (measured: 8 syncs for 20 commits, all at setup, against 29 with FULL)."""
    path = store.path
    store.close()
    assert _syncs(path, what, tmp_path) >= 20
