"""Phone votes per second: the real app (offscreen window, vote server, workshop file) against
a bare aiohttp endpoint, with the same simulated phones, in the same run. Also the p95 time to
acknowledge a vote, and the app's peak memory.

    python benchmarks/vote_server.py [--phones 500] [--votes 10] [--rounds 3]

Targets: ratio >= 0.5; app peak memory < 350 MB.
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


def run_phones(port: int, code: str, phones: int, votes: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "phones.py"), "--base",
                          f"http://127.0.0.1:{port}", "--code", code, "--phones", str(phones), "--votes", str(votes)],
                         capture_output=True, text=True, check=True, timeout=900).stdout
    return json.loads(out.strip().splitlines()[-1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bare_round(phones: int, votes: int) -> dict[str, object]:
    server = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bare_server.py")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = json.loads(server.stdout.readline())["port"]
        time.sleep(0.3)
        return run_phones(port, "X", phones, votes)
    finally:
        server.terminate()
        server.wait(10)


def app_round(phones: int, votes: int, tmp: Path) -> tuple[dict[str, object], float, dict[str, object]]:
    path = tmp / f"bench-{time.monotonic_ns()}.vbpw"
    subprocess.run([sys.executable, "-m", "vbp_workshop", "demo", str(path)], check=True, capture_output=True)
    stop = tmp / f"stop-{time.monotonic_ns()}"
    app = subprocess.Popen([sys.executable, str(ROOT / "tools" / "app_under_load.py"), str(path), "--stop-file",
                            str(stop)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV)
    try:
        assert app.stdout is not None
        info = json.loads(app.stdout.readline())
        stats = run_phones(info["port"], info["code"], phones, votes)
        rss = peak_rss_mb(app.pid)
        stop.touch()
        summary = json.loads(app.stdout.readline())
        app.wait(30)
        return stats, rss + float(summary.get("server_hwm_mb", 0)), summary
    finally:
        if app.poll() is None:
            app.kill()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=500)
    ap.add_argument("--votes", type=int, default=10, help="votes per phone")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    bare, real, p95, rss, stalls = [], [], [], [], []
    for _ in range(args.rounds):  # alternate, so drift on a noisy machine hits both alike
        b = bare_round(args.phones, args.votes)
        a, mem, summary = app_round(args.phones, args.votes, tmp)
        assert a["acked"] == args.phones * args.votes, a
        bare.append(float(b["votes_per_s"]))  # type: ignore[arg-type]
        real.append(float(a["votes_per_s"]))  # type: ignore[arg-type]
        p95.append(float(a["p95_ms"]))  # type: ignore[arg-type]
        rss.append(mem)
        stalls.append(float(summary["max_stall_ms"]))  # type: ignore[arg-type]
    b, a = statistics.median(bare), statistics.median(real)
    print(f"{args.phones} phones x {args.votes} votes, {args.rounds} rounds (medians)")
    print(f"bare aiohttp endpoint: {b:.0f} votes/s  (rounds: {', '.join(f'{x:.0f}' for x in bare)})")
    print(f"VBP Workshop app:      {a:.0f} votes/s  (rounds: {', '.join(f'{x:.0f}' for x in real)})")
    print(f"ratio: {a / b:.2f}  (target >= 0.8)")
    print(f"acknowledgement p95: {statistics.median(p95):.0f} ms (every phone voting at once)")
    print(f"app peak memory: {max(rss):.0f} MB, the GUI's and the vote server's process together  (target < 350 MB)")
    print(f"longest GUI stall during the load: {max(stalls):.0f} ms")


if __name__ == "__main__":
    main()
