"""Cold start to a shown main window with the demo workshop, against a bare PySide6 QMainWindow
holding a pyqtgraph PlotWidget, measured in the same run (alternating, median of N).

    python benchmarks/startup.py [--runs 7]

Prints both times and the ratio (target <= 1.3). Each measurement is a fresh process, timed from
spawn until the child reports its window shown (after the first paint events are processed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(pg.PlotWidget()); w.resize(1200, 800); w.show()
app.processEvents()
print("shown", flush=True)
"""

APP = """
import os, sys
os.environ["VBP_AUTOMATION_QUIT_MS"] = "0"
from vbp_workshop.app import run_gui
demo = sys.argv[1] == "--demo"
sys.exit(run_gui(None if demo else sys.argv[1], demo=demo, crash_dialog=False))
"""


def once(code: str, *args: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, env=env)
    assert p.stdout is not None
    for line in p.stdout:
        if line.startswith(("shown", "opened")):
            took = time.perf_counter() - t0
            break
    else:
        raise RuntimeError("the child never showed its window")
    p.wait(timeout=60)
    return took


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp / "cfg"), "XDG_DATA_HOME": str(tmp / "data")}
    demo = tmp / "demo.vbpw"
    subprocess.run([sys.executable, "-m", "vbp_workshop", "demo", str(demo)], check=True, env=env,
                   capture_output=True)
    once(BARE, env=env)  # warm the disk cache for both, so neither pays it alone
    once(APP, str(demo), env=env)
    bare, app, fresh = [], [], []
    for _ in range(args.runs):
        bare.append(once(BARE, env=env))
        app.append(once(APP, str(demo), env=env))
        fresh.append(once(APP, "--demo", env=env))
    b, a, f = statistics.median(bare), statistics.median(app), statistics.median(fresh)
    def runs(xs: list[float]) -> str:
        return ", ".join(f"{x * 1000:.0f}" for x in xs)

    print(f"bare PySide6 + pyqtgraph window: median {b * 1000:.0f} ms  (runs: {runs(bare)})")
    print(f"VBP Workshop on the demo:        median {a * 1000:.0f} ms  (runs: {runs(app)})")
    print(f"VBP Workshop --demo (builds a fresh copy first): median {f * 1000:.0f} ms")
    print(f"ratio, opening the demo file: {a / b:.2f}  (target <= 1.3)")
    print(f"ratio, --demo:                {f / b:.2f}")


if __name__ == "__main__":
    main()
