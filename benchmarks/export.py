"""Export of a large workshop (500 participants, 100 polls, 50 000 votes) against bare openpyxl
writing the same cell values (write-only, no styles, tables or charts) in the same run.

    python benchmarks/export.py [--runs 3]

Targets: export < 3 s; ratio <= 2.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from vbp_workshop.core.export import export_workbook
from vbp_workshop.core.pollops import new_poll_edit
from vbp_workshop.core.polls import KINDS, Poll, encode
from vbp_workshop.core.store import Insert, Store
from vbp_workshop.core.template import new_workshop

GROUPS = ["provider", "pharma", "payer", "patient", "clinician", "policy"]


def answer(poll: Poll, rng: random.Random) -> object:
    n = len(poll.options)
    k = poll.kind
    if k == "single":
        return rng.randrange(n)
    if k == "multiple":
        return sorted(rng.sample(range(n), 2))
    if k in ("scale", "fist"):
        lo, hi = poll.scale_range
        return rng.randint(lo, hi)
    if k == "agreement":
        return {str(i): rng.randint(1, 5) for i in range(n)}
    if k == "ranking":
        order = list(range(n))
        rng.shuffle(order)
        return order
    if k == "points":
        return {"0": 5, str(rng.randrange(1, n)): 5}
    if k in ("matrix", "importance"):
        return {str(i): [rng.randint(1, 5), rng.randint(1, 5)] for i in range(n)}
    return rng.choice(["Better outcomes for patients", "Shared data", "Faster decisions", "Trust"])


def large_workshop(path: Path, participants: int = 500, polls: int = 100, votes: int = 50_000) -> Store:
    rng = random.Random(1)
    store = new_workshop(path, "Regional event")
    store.apply([Insert("partners", {"name": f"Partner {i}", "stakeholder": GROUPS[i % 6]}) for i in range(12)])
    store.apply([Insert("participants", {"display_name": f"Person {i}", "partner_id": 1 + i % 12, "role": "Member"})
                 for i in range(participants)])
    store.conn.execute("DELETE FROM polls")
    kinds = list(KINDS)
    store.apply([new_poll_edit(1 + i % 5, kinds[i % len(kinds)], f"Question {i}?",
                               [f"Option {j}" for j in range(5)], {"budget": 10, "max_choices": 3})
                 for i in range(polls)])
    per_poll = votes // polls
    rows = []
    for p in store.rows("polls"):
        poll = Poll.from_row(p)
        for v in range(per_poll):
            rows.append((poll.id, 1, f"d-{v:05d}", GROUPS[v % 6], encode(answer(poll, rng)), f"u{poll.id}-{v}",
                         "2026-11-24T10:00:00"))
    with store.transaction() as conn:
        conn.executemany("INSERT INTO ballots(poll_id, round, voter, grp, answer, ballot_uid, created_at, updated_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?7)", rows)
        conn.execute("UPDATE polls SET state = 'closed'")
    return store


def bare_openpyxl(values: dict[str, list[list[object]]], out: Path) -> float:
    from openpyxl import Workbook

    t0 = time.perf_counter()
    wb = Workbook(write_only=True)
    for title, rows in values.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(out)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    store = large_workshop(tmp / "large.vbpw")
    print(f"built the workshop in {time.perf_counter() - t0:.1f} s: "
          f"{store.scalar('SELECT COUNT(*) FROM participants')} participants, "
          f"{store.scalar('SELECT COUNT(*) FROM polls')} polls, {store.scalar('SELECT COUNT(*) FROM ballots')} votes")
    export_workbook(store, tmp / "warm.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(tmp / "warm.xlsx", read_only=True)
    values = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    cells = sum(len(r) for rows in values.values() for r in rows)
    ours, bare = [], []
    for i in range(args.runs):
        t = time.perf_counter()
        export_workbook(store, tmp / f"out{i}.xlsx")
        ours.append(time.perf_counter() - t)
        bare.append(bare_openpyxl(values, tmp / f"bare{i}.xlsx"))
    a, b = statistics.median(ours), statistics.median(bare)
    print(f"{cells} cells in {len(values)} sheets")
    print(f"VBP Workshop export: median {a:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in ours)})  target < 3 s")
    print(f"bare openpyxl, same cells: median {b:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in bare)})")
    print(f"ratio: {a / b:.2f}  (target <= 2)")
    store.close()


if __name__ == "__main__":
    main()
