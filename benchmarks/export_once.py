"""One export of a saved workshop file: wall and CPU seconds and the process's peak memory.

    python benchmarks/export_once.py WORKSHOP.vbpw OUT.xlsx

To compare two versions of the code, alternate runs of this script with PYTHONPATH pointing at
each checkout (`git archive REV | tar -x -C DIR`) over the same file: the figures then share the
machine's load. Build the 500-participant workshop once with `benchmarks/export.py`'s
`large_workshop`. (It also imports the old flat core layout, so it runs on code before the move.)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

try:
    from vbp_workshop.core.file.store import Store
    from vbp_workshop.core.workbook.export import export_workbook
except ImportError:  # the code before core/ was split into floors
    from vbp_workshop.core.export import export_workbook  # type: ignore[import-not-found,no-redef]
    from vbp_workshop.core.store import Store  # type: ignore[import-not-found,no-redef]


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store.open(src)
    base = peak_mb()
    t, c = time.perf_counter(), time.process_time()
    export_workbook(store, out)
    print(json.dumps({"wall": round(time.perf_counter() - t, 2), "cpu": round(time.process_time() - c, 2),
                      "peak_mb": round(peak_mb(), 1), "grown_mb": round(peak_mb() - base, 1)}))


if __name__ == "__main__":
    main()
