"""The frozen bundle against the venv install, in the same run (alternating, median of N):
cold start to the demo shown, and "Start phone voting" to the first phone joined.

    python -m benchmarks.bundle_startup dist/vbp-workshop [--runs 5]

Each run is a fresh process of the windowed app with --demo (a fresh copy of the demo, built on
a worker), offscreen, timed from spawn to its "opened:" line (ui/automation.py). For voting, the
app starts phone voting itself (VBP_AUTOMATION_VOTING) and a phone (urllib) loads the page,
joins and votes; the app reports milliseconds from "Start phone voting" to the join.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def spawn(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def cold_start(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    p = spawn([*cmd, "--demo", "--no-crash-dialog"], {**env, "VBP_AUTOMATION_QUIT_MS": "0"})
    assert p.stdout is not None
    for line in p.stdout:
        if line.startswith("opened:"):
            took = time.perf_counter() - t0
            break
    else:
        raise RuntimeError("the app never opened the demo")
    p.wait(60)
    return took


def to_first_join(cmd: list[str], env: dict[str, str]) -> tuple[int, int]:
    """(ms to start the server, ms from Start phone voting to the phone joined), as the app counts."""
    p = spawn([*cmd, "--demo", "--no-crash-dialog"], {**env, "VBP_AUTOMATION_QUIT_MS": "0",
                                                      "VBP_AUTOMATION_VOTING": "1"})
    assert p.stdout is not None
    lines = iter(p.stdout)
    voting = next(line for line in lines if line.startswith("voting:"))
    found = re.match(r"voting: (\S+)\?c=(\w+) poll (\d+) \((\d+) ms\)", voting)
    assert found, voting
    base, code, poll = found[1].rstrip("/"), found[2], int(found[3])
    phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    phone.open(f"{base}/?c={code}", timeout=30).read()

    def post(path: str, body: dict[str, object]) -> dict[str, object]:
        answer: dict[str, object] = json.loads(phone.open(urllib.request.Request(
            base + path, json.dumps(body).encode(), {"Content-Type": "application/json"}), timeout=30).read())
        return answer

    joining = post("/api/join", {"code": code, "group": "provider"})
    joined = next(line for line in lines if line.startswith("joined:"))
    post("/api/vote", {"poll_id": poll, "round": 1, "ballot_id": "bench" * 4, "answer": 1,
                       "workshop": joining.get("workshop"), "sitting": joining.get("sitting")})
    p.wait(60)
    return int(found[4]), int(joined.split()[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "HOME": str(tmp),
           "XDG_CONFIG_HOME": str(tmp / "cfg"), "XDG_DATA_HOME": str(tmp / "data"), "VBP_LOG_DIR": str(tmp / "log")}
    frozen = [str(args.bundle.resolve() / "vbp-workshop")]
    venv = [sys.executable, "-m", "vbp_workshop"]
    cold_start(frozen, env)  # warm the disk cache for both, so neither pays it alone
    cold_start(venv, env)
    times: dict[str, list[float]] = {"bundle": [], "venv": []}
    joins: dict[str, list[tuple[int, int]]] = {"bundle": [], "venv": []}
    for _ in range(args.runs):
        for name, cmd in (("bundle", frozen), ("venv", venv)):
            times[name].append(cold_start(cmd, env))
            joins[name].append(to_first_join(cmd, env))
    for name in ("bundle", "venv"):
        ts = times[name]
        print(f"{name:6} cold start to the demo shown: median {statistics.median(ts) * 1000:.0f} ms "
              f"(runs: {', '.join(f'{t * 1000:.0f}' for t in ts)})")
        up, joined = statistics.median(j[0] for j in joins[name]), statistics.median(j[1] for j in joins[name])
        print(f"{name:6} Start phone voting -> server up: median {up:.0f} ms; "
              f"-> first phone joined: median {joined:.0f} ms "
              f"(runs: {', '.join(str(j[1]) for j in joins[name])})")
    ratio = statistics.median(times["bundle"]) / statistics.median(times["venv"])
    print(f"ratio bundle / venv, cold start: {ratio:.2f}")


if __name__ == "__main__":
    main()
