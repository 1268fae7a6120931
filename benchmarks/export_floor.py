"""How much of the export could any code on XlsxWriter's public API save? The export's sheets are
built once (the Raw votes rows materialised), then timed two ways in the same run:

- the export's writer (`WorkbookWriter.write` for each sheet, then XlsxWriter's close): the cells
  with their formats, fitted columns, print set-up, tables and native charts;
- bare XlsxWriter writing the same values (`write_string`/`write_number`) and the same buffered
  tables, with no formats, no charts, nothing fitted: the floor for these cells on its public API.

    python benchmarks/export_floor.py [WORKSHOP.vbpw]     (default: benchmarks/export.py's workshop)

The < 3 s bar for the whole export (reading and tallying 50 000 votes included) cannot be met
where the floor alone is near it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.workbook import export
from vbp_workshop.core.workbook.xlsx import Sheet, WorkbookWriter


def built_sheets(store: Store, tmp: Path) -> list[Sheet]:
    """Every sheet the export writes, its streamed rows read into a list."""
    sheets: list[Sheet] = []

    class Keep(WorkbookWriter):
        def write(self, sheet: Sheet, cancelled: Callable[[], bool] = lambda: False) -> None:
            if sheet.stream is not None:
                rows = [list(r) for r in sheet.stream.rows()]
                sheet.stream.rows = lambda rows=rows: rows  # type: ignore[misc]
            sheets.append(sheet)

    original = export.WorkbookWriter
    export.WorkbookWriter = Keep  # type: ignore[misc]
    try:
        export.export_workbook(store, tmp / "kept.xlsx")
    finally:
        export.WorkbookWriter = original  # type: ignore[misc]
    return sheets


def values(sheet: Sheet) -> list[list[Any]]:
    return [*sheet.rows, *(sheet.stream.rows() if sheet.stream else [])]  # type: ignore[list-item]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    if len(sys.argv) > 1:
        store = Store.open(Path(sys.argv[1]))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from export import large_workshop  # benchmarks/export.py

        store = large_workshop(tmp / "large.vbpw")
    sheets = built_sheets(store, tmp)
    cells = sum(len(r) for sh in sheets for r in values(sh))
    c0 = time.process_time()
    writer = WorkbookWriter(tmp / "ours.xlsx")
    for sh in sheets:
        writer.write(sh)
    writer.wb.close()
    ours = time.process_time() - c0
    c0 = time.process_time()
    wb = xlsxwriter.Workbook(str(tmp / "bare.xlsx"), {"in_memory": True, "strings_to_formulas": False,
                                                      "strings_to_numbers": False, "strings_to_urls": False})
    for sh in sheets:
        ws = wb.add_worksheet(sh.title[:31])
        for r, row in enumerate(values(sh)):
            for c, v in enumerate(row):
                if isinstance(v, str):
                    if v:
                        ws.write_string(r, c, v)
                elif isinstance(v, int | float) and not isinstance(v, bool) and v - v == 0:
                    ws.write_number(r, c, v)
        for t in sh.tables:
            ws.add_table(t.first_row - 1, 0, t.last_row - 1, len(t.headers) - 1,
                         {"name": t.name, "columns": [{"header": h} for h in t.headers]})
    wb.close()
    bare = time.process_time() - c0
    print(f"{cells:,} cells in {len(sheets)} sheets (CPU seconds)")
    print(f"  the export's writer (formats, tables, charts, fitting) and close: {ours:.2f} s")
    print(f"  bare XlsxWriter, the same values and tables, nothing else:      {bare:.2f} s")
    print(f"  ratio: {ours / bare:.2f}")


if __name__ == "__main__":
    main()
