"""Does the export's memory grow with the number of votes? Peak memory of one export (a fresh
process each) of the large workshop (500 participants, 100 polls) at several vote counts, beside
bare XlsxWriter writing the same number of Raw votes rows as an Excel table in the same run — the
floor of any export through XlsxWriter's public API, which keeps every cell until it closes the
file (its constant_memory mode would not, but it cannot write tables).

    python benchmarks/export_memory.py [--votes 50000 100000 200000 400000]

Prints, per vote count: the export's wall time and peak RSS, bare XlsxWriter's peak RSS, the
ratio, and the export's MB per 1,000 votes. The bar (DESIGN): 400,000 votes under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--votes", type=int, nargs="+", default=[50_000, 100_000, 200_000, 400_000])
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from export import large_workshop  # benchmarks/export.py

    tmp = Path(tempfile.mkdtemp())
    print(f"{'votes':>8} {'export s':>9} {'export MB':>10} {'bare XlsxWriter MB':>19} {'ratio':>6} "
          f"{'MB/1000 votes':>14}")
    for votes in args.votes:
        src = tmp / f"w{votes}.vbpw"
        large_workshop(src, votes=votes).close()
        ours = run(str(HERE / "export_once.py"), str(src), str(tmp / f"w{votes}.xlsx"))
        bare = run(str(HERE / "export.py"), "--write-raw", "xlsxwriter-table", str(tmp / f"bare{votes}.xlsx"),
                   "--raw-rows", str(votes))
        print(f"{votes:>8,} {ours['wall']:>9.1f} {ours['peak_mb']:>10.0f} {bare['peak_mb']:>19.0f} "
              f"{ours['peak_mb'] / bare['peak_mb']:>6.2f} {1000 * ours['peak_mb'] / votes:>14.1f}", flush=True)


if __name__ == "__main__":
    main()
