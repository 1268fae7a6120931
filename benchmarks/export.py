"""Export of a large workshop (500 participants, 100 polls, 50 000 votes) against bare openpyxl
writing the same cell values (write-only, no styles, tables or charts) in the same run.

    python benchmarks/export.py [--runs 3]

Then the choice of writer for the Raw votes sheet (50 000 rows), each option in a fresh process
so its peak memory is its own: openpyxl write-only with every text typed as text (the cell's
data_type set to "s", so "=…" is never a formula), XlsxWriter's default mode, and XlsxWriter's
constant_memory mode (which cannot write Excel tables, so the export cannot use it).

Targets: export < 3 s; ratio <= 2. The figures depend on the machine's load: compare the ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import KINDS, Poll, encode
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.steps.template import new_workshop
from vbp_workshop.core.workbook.export import export_workbook

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
    if k == "number":  # the default range 0-100, one decimal
        return rng.randint(0, 1000) / 10
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


def raw_rows(n: int = 50_000) -> list[list[object]]:
    rng = random.Random(1)
    return [[1 + i // 500, 1, i + 1, json.dumps({"0": rng.randint(1, 5), "1": rng.randint(1, 5)}), "Pharma",
             "phone", 1, 1 + i % 5, f"Question {i // 500}?", f"Option 0: Agree; Option 1: Disagree {i % 7}",
             "2026-11-24 10:00:00"] for i in range(n)]


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image (reset at
    exec); ru_maxrss can carry the parent's peak into a child."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_raw(option: str, out: Path, n: int = 50_000) -> None:
    """One writer option for the Raw votes rows; prints seconds and peak RSS (MB) as JSON."""
    rows = raw_rows(n)
    base = peak_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    if option == "openpyxl-write-only":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Raw votes")
        for row in rows:
            cells: list[object] = []
            for v in row:
                if isinstance(v, str):
                    cell = WriteOnlyCell(ws, value=v)
                    cell.data_type = "s"  # text, never a formula
                    cells.append(cell)
                else:
                    cells.append(v)
            ws.append(cells)
        wb.save(out)
    else:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(out), {"constant_memory": option == "xlsxwriter-constant-memory",
                                            "in_memory": option != "xlsxwriter-constant-memory"})
        ws = wb.add_worksheet("Raw votes")
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                else:
                    ws.write_number(r, c, v)
        if option == "xlsxwriter-table":  # what the export's Raw votes sheet is: an Excel table
            ws.add_table(0, 0, len(rows) - 1, len(rows[0]) - 1, {"name": "RawVotes"})
        wb.close()
    peak = peak_rss_mb()
    print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "peak_mb": peak,
                      "rows_mb": peak - base}))


def compare_writers(tmp: Path, runs: int) -> None:
    print("\nRaw votes sheet (50 000 rows x 11 columns), each option in a fresh process:")
    for option in ("openpyxl-write-only", "xlsxwriter", "xlsxwriter-table", "xlsxwriter-constant-memory"):
        figures = []
        for i in range(runs):
            done = subprocess.run([sys.executable, __file__, "--write-raw", option, str(tmp / f"{option}{i}.xlsx")],
                                  capture_output=True, text=True, check=True)
            figures.append(json.loads(done.stdout))
        secs = statistics.median(f["seconds"] for f in figures)
        cpu = statistics.median(f["cpu"] for f in figures)
        peak = max(f["peak_mb"] for f in figures)
        grown = max(f["rows_mb"] for f in figures)
        print(f"  {option:28s} median {secs:5.2f} s (CPU {cpu:5.2f} s)   "
              f"peak RSS {peak:6.1f} MB (+{grown:5.1f} MB while writing)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write-raw", nargs=2, metavar=("OPTION", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--raw-rows", type=int, default=50_000, help=argparse.SUPPRESS)
    ap.add_argument("--skip-writers", action="store_true", help="do not compare the Raw votes writers")
    args = ap.parse_args()
    if args.write_raw:
        write_raw(args.write_raw[0], Path(args.write_raw[1]), args.raw_rows)
        return
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
    ours, bare, ours_cpu, bare_cpu = [], [], [], []
    for i in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        export_workbook(store, tmp / f"out{i}.xlsx")
        ours.append(time.perf_counter() - t)
        ours_cpu.append(time.process_time() - c)
        c = time.process_time()
        bare.append(bare_openpyxl(values, tmp / f"bare{i}.xlsx"))
        bare_cpu.append(time.process_time() - c)
    import tracemalloc  # an untimed run: tracemalloc slows what it traces

    tracemalloc.start()
    export_workbook(store, tmp / "traced.xlsx")
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    a, b = statistics.median(ours), statistics.median(bare)
    print(f"{cells} cells in {len(values)} sheets")
    print(f"VBP Workshop export: median {a:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in ours)})  target < 3 s")
    print(f"bare openpyxl, same cells: median {b:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in bare)})")
    print(f"ratio: {a / b:.2f}  (target <= 2)")
    # On a shared machine the wall time is mostly waiting for a core: the CPU time is the work.
    ac, bc = statistics.median(ours_cpu), statistics.median(bare_cpu)
    print(f"CPU time: export {ac:.2f} s, bare openpyxl {bc:.2f} s, ratio {ac / bc:.2f}")
    print(f"export's peak Python memory (tracemalloc, an untimed run): {peak:.0f} MB")
    store.close()
    if not args.skip_writers:
        compare_writers(tmp, args.runs)


if __name__ == "__main__":
    main()
