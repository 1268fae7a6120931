"""The cost of save points to the vote path: the real app (offscreen window, vote server in its own
process, the workshop file) with its keeper checkpointing the WAL as usual, against the same app
with the keeper switched off, the same simulated phones, alternating in the same run.

    python benchmarks/save_points.py [--phones 500] [--votes 10] [--pause 0] [--rounds 3]
    python benchmarks/save_points.py --direct [--rounds 5]   (the vote writer alone, no HTTP: less noise)

Prints votes/s and the p95 acknowledgement time of each, and how many checkpoints the keeper made
during the load (each one copies the WAL into the file and syncs it, while the writer goes on).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

# The app as tools/app_under_load.py runs it; with "off", the keeper never starts. On exit it
# reports how many checkpoints were made and how long they took (on the keeper's own thread).
WRAPPER = """
import atexit, json, runpy, sys
from vbp_workshop.core import keeper
made = []
if sys.argv[1] == "off":
    keeper.Keeper.start = lambda self: None
else:
    real = keeper.Keeper._checkpoint
    def counted(self, conn):
        made.append(self)
        real(self, conn)
    keeper.Keeper._checkpoint = counted
def report():
    ks = set(made)
    print(json.dumps({"checkpoints": sum(k.checkpoints for k in ks),
                      "checkpoint_ms": round(1000 * sum(k.checkpoint_s for k in ks), 1)}), flush=True)
atexit.register(report)
sys.argv = [sys.argv[2], *sys.argv[3:]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run_phones(port: int, code: str, args: argparse.Namespace) -> dict[str, object]:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "phones.py"), "--base", f"http://127.0.0.1:{port}",
                          "--code", code, "--phones", str(args.phones), "--votes", str(args.votes),
                          "--pause", str(args.pause)], capture_output=True, text=True, check=True, timeout=900).stdout
    return json.loads(out.strip().splitlines()[-1])


def app_round(mode: str, args: argparse.Namespace, tmp: Path) -> tuple[dict[str, object], dict[str, object]]:
    path = tmp / f"bench-{mode}-{time.monotonic_ns()}.vbpw"
    subprocess.run([sys.executable, "-m", "vbp_workshop", "demo", str(path)], check=True, capture_output=True)
    stop = tmp / f"stop-{time.monotonic_ns()}"
    app = subprocess.Popen([sys.executable, "-c", WRAPPER, mode, str(ROOT / "tools" / "app_under_load.py"), str(path),
                            "--stop-file", str(stop)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                           env=ENV)
    try:
        assert app.stdout is not None
        info = json.loads(app.stdout.readline())
        stats = run_phones(info["port"], info["code"], args)
        stop.touch()
        app.stdout.readline()  # the app's own summary
        kept = json.loads(app.stdout.readline() or "{}")
        app.wait(60)
        return stats, kept
    finally:
        if app.poll() is None:
            app.kill()


def direct_round(keep: bool, tmp: Path, votes: int = 24000, phones: int = 300) -> tuple[float, float, int]:
    """The vote writer alone (its own connection, synchronous=FULL), fed by `phones` threads voting
    as fast as they are answered: votes/s and the p95 wait for an acknowledgement, with the
    keeper checkpointing (or not) on its own connection meanwhile."""
    from concurrent.futures import ThreadPoolExecutor

    from vbp_workshop.core import operations
    from vbp_workshop.core.file.keeper import Keeper
    from vbp_workshop.core.intake.votes import Vote, VoteWriter
    from vbp_workshop.core.model.room import LiveState
    from vbp_workshop.core.operations.live import open_poll
    from vbp_workshop.core.polls import queries
    from vbp_workshop.core.steps.demo import build_demo

    store = build_demo(tmp / f"direct-{time.monotonic_ns()}.vbpw")
    live = LiveState()
    operations.derive(store, live)
    pid = next(p.id for p in queries.polls(store) if p.kind == "single" and not p.is_open)
    open_poll(store, live, pid)
    writer = VoteWriter(store.path, live)
    writer.start()
    keeper = Keeper(store.path)
    if keep:
        keeper.start()
    waits: list[float] = []

    def phone(n: int) -> None:
        for k in range(votes // phones):
            t = time.perf_counter()
            writer.vote(Vote(pid, 1, f"p{n}", "pharma", k % 2, f"{n:05d}{k:06d}"))
            waits.append(time.perf_counter() - t)

    start = time.perf_counter()
    with ThreadPoolExecutor(phones) as pool:
        list(pool.map(phone, range(phones)))
    took = time.perf_counter() - start
    keeper.stop()
    writer.stop()
    store.close()
    waits.sort()
    return len(waits) / took, 1000 * waits[int(0.95 * len(waits))], keeper.checkpoints


def direct(rounds: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    rate: dict[bool, list[float]] = {False: [], True: []}
    p95: dict[bool, list[float]] = {False: [], True: []}
    made = []
    for _ in range(rounds):
        for keep in (False, True):
            r, p, n = direct_round(keep, tmp)
            rate[keep].append(r)
            p95[keep].append(p)
            if keep:
                made.append(n)
    print(f"the vote writer alone, 300 threads x 80 votes, {rounds} rounds (medians)")
    for keep, label in ((False, "without save points"), (True, "with save points   ")):
        print(f"{label}: {statistics.median(rate[keep]):6.0f} votes/s  p95 ack {statistics.median(p95[keep]):5.1f} ms"
              f"  (rounds: {', '.join(f'{x:.0f}' for x in rate[keep])})")
    print(f"ratio (with / without): {statistics.median(rate[True]) / statistics.median(rate[False]):.2f}; "
          f"checkpoints per round: {made}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--votes", type=int, default=10, help="votes per phone")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds between a phone's votes")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--direct", action="store_true", help="the vote writer alone, in this process")
    args = ap.parse_args()
    if args.direct:
        direct(args.rounds)
        return
    tmp = Path(tempfile.mkdtemp())
    rate: dict[str, list[float]] = {"on": [], "off": []}
    p95: dict[str, list[float]] = {"on": [], "off": []}
    made: list[int] = []
    spent: list[float] = []
    for _ in range(args.rounds):  # alternate, so drift on a noisy machine hits both alike
        for mode in ("off", "on"):
            stats, kept = app_round(mode, args, tmp)
            assert stats["acked"] == args.phones * args.votes, stats
            rate[mode].append(float(stats["votes_per_s"]))  # type: ignore[arg-type]
            p95[mode].append(float(stats["p95_ms"]))  # type: ignore[arg-type]
            if mode == "on":
                made.append(int(kept.get("checkpoints", 0)))
                spent.append(float(kept.get("checkpoint_ms", 0)))
    print(f"{args.phones} phones x {args.votes} votes, pause {args.pause} s, {args.rounds} rounds (medians)")
    for mode, label in (("off", "without save points"), ("on", "with save points   ")):
        print(f"{label}: {statistics.median(rate[mode]):6.0f} votes/s  p95 ack {statistics.median(p95[mode]):5.0f} ms"
              f"  (rounds: {', '.join(f'{x:.0f}' for x in rate[mode])} votes/s;"
              f" {', '.join(f'{x:.0f}' for x in p95[mode])} ms)")
    print(f"ratio (with / without): {statistics.median(rate['on']) / statistics.median(rate['off']):.2f}")
    print(f"checkpoints per round with save points: {made}, time in them: {spent} ms (keeper thread)")


if __name__ == "__main__":
    main()
