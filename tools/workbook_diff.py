"""Are two exported workbooks the same in content? Every sheet's cell values (openpyxl) and every
XML part of the file byte for byte — charts, styles, tables — except the document properties and
the summary's export time, which differ between any two exports.

    python tools/workbook_diff.py before.xlsx after.xlsx    (exit 0: the same; 1: differences listed)

Used to check that moving the workbook's per-kind blocks into the kinds changed nothing: build a
workshop once, export the same file with the old code and the new, compare.
"""

from __future__ import annotations

import re
import sys
import zipfile
from typing import Any

import openpyxl

EXPORT_TIME = "Exported (UTC)"


def _export_time_cells(path: str) -> dict[str, str]:
    """worksheet part -> the cell holding the export time (masked when comparing XML)."""
    out = {}
    for n, ws in enumerate(openpyxl.load_workbook(path).worksheets, 1):
        for row in ws.iter_rows():
            if row and row[0].value == EXPORT_TIME and len(row) > 1:
                out[f"xl/worksheets/sheet{n}.xml"] = row[1].coordinate
    return out


def _values(path: str) -> dict[str, list[list[Any]]]:
    return {ws.title: [[None if r[0] == EXPORT_TIME and i else c for i, c in enumerate(r)]
                       for r in ws.iter_rows(values_only=True)]
            for ws in openpyxl.load_workbook(path).worksheets}


def diff(a: str, b: str) -> list[str]:
    problems = []
    va, vb = _values(a), _values(b)
    if list(va) != list(vb):
        problems.append(f"sheets: {list(va)} != {list(vb)}")
    for name in va.keys() & vb.keys():
        if va[name] != vb[name]:
            at = next((i for i, (x, y) in enumerate(zip(va[name], vb[name], strict=False)) if x != y),
                      min(len(va[name]), len(vb[name])))
            problems.append(f"{name}, row {at + 1}: cell values differ")
    masked = _export_time_cells(a)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        parts_a = {n for n in za.namelist() if not n.startswith("docProps/")}
        parts_b = {n for n in zb.namelist() if not n.startswith("docProps/")}
        if parts_a != parts_b:
            problems.append(f"parts only in one file: {sorted(parts_a ^ parts_b)}")
        for part in sorted(parts_a & parts_b):
            xa, xb = za.read(part), zb.read(part)
            if part in masked:
                cell = re.compile(rb'<c r="' + masked[part].encode() + rb'"[^>]*>.*?</c>')
                xa, xb = cell.sub(b"", xa), cell.sub(b"", xb)
            if xa != xb:
                problems.append(f"{part}: bytes differ")
    return problems


def main() -> int:
    a, b = sys.argv[1], sys.argv[2]
    problems = diff(a, b)
    for p in problems:
        print(p)
    cells = sum(len(r) for rows in _values(a).values() for r in rows)
    print(f"{a} vs {b}: {len(_values(a))} sheets, {cells} cells; {'the same' if not problems else 'DIFFERENT'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
