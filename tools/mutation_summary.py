"""Mutants per module from a finished `mutmut run` (mutmut 3: the mutants/**/*.py.meta files).

    python tools/mutation_summary.py            a Markdown table: module, mutants, killed, survived, …
    python tools/mutation_summary.py --list     and every surviving mutant's name (for `mutmut show`)

Run from the project folder after `mutmut run` (tools/mutation.sh does both).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# mutmut 3's exit codes (mutmut/stats.py): 1 and 3 kill, 0 survives, 33 and 5 had no test.
STATUS = {1: "killed", 3: "killed", 0: "survived", 33: "no tests", 5: "no tests", None: "not checked",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout"}
COLUMNS = ("killed", "survived", "no tests", "timeout", "not checked", "other")


def main(argv: list[str]) -> int:
    metas = sorted(Path("mutants").rglob("*.py.meta"))
    if not metas:
        print("no mutants/ here: run `mutmut run` first", file=sys.stderr)
        return 1
    rows, survivors = [], []
    total: Counter[str] = Counter()
    for meta in metas:
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        counts = Counter(STATUS.get(c, "other") for c in codes.values())
        total.update(counts)
        module = str(meta.relative_to("mutants")).removesuffix(".meta")
        rows.append((module, len(codes), counts))
        survivors += sorted((k for k, c in codes.items() if c == 0), key=lambda k: (k.rsplit("_", 1)[0],
                                                                                     int(k.rsplit("_", 1)[1])))
    print("| module | mutants | " + " | ".join(COLUMNS) + " |")
    print("|---|---:|" + "---:|" * len(COLUMNS))
    for module, n, counts in rows:
        print(f"| `{module}` | {n} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |")
    print(f"| **all** | {sum(n for _, n, _ in rows)} | " + " | ".join(str(total[c]) for c in COLUMNS) + " |")
    if "--list" in argv:
        print()
        print("\n".join(survivors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
