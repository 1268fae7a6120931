"""A faster writer of a worksheet's cell rows (<sheetData>) for XlsxWriter, byte for byte what
XlsxWriter's own `Worksheet._write_rows` writes.

Why: with half a million cells (the Raw votes of a large workshop) XlsxWriter's row writer was
the export's largest cost: per cell it builds an attribute list, escapes each attribute and looks
up the column name. Here the common cells (text, number, date; a plain row without height or
format) are written with one f-string from values looked up once per sheet; every other cell and
row goes through XlsxWriter's own methods. tests/core/test_xlsx_rows.py compares the two writers'
XML on sheets with every kind of cell and row, so a change in XlsxWriter shows there first.
"""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def worksheet_class() -> type:
    """XlsxWriter's Worksheet writing its rows with `write_rows` (for `add_worksheet`'s
    worksheet_class). A subclass, not a method set on each sheet: that would be a reference
    cycle, and half a million cells left for the cycle collector (measured: 0.2 s later)."""
    from xlsxwriter.worksheet import Worksheet  # the app starts without it (tests/test_architecture.py)

    class FastRowsWorksheet(Worksheet):  # type: ignore[misc]
        def _write_rows(self) -> None:
            if self.constant_memory:  # constant_memory writes rows as they come, not here
                super()._write_rows()
            else:
                write_rows(self)

    return FastRowsWorksheet


def write_rows(ws: Any) -> None:
    """What `Worksheet._write_rows` writes (same rows, same order, same bytes), faster."""
    # Imported here: the app starts without the workbook library (tests/test_architecture.py).
    from xlsxwriter.utility import xl_col_to_name
    from xlsxwriter.worksheet import CellDatetimeTuple, CellNumberTuple, CellStringTuple

    spans = ws.row_spans = row_spans(ws)
    table, row_info, comments = ws.table, ws.row_info, ws.comments
    cols = range(ws.dim_colmin, ws.dim_colmax + 1)
    names = {c: xl_col_to_name(c) for c in cols}
    # The style a cell without a format of its own takes from its column (XlsxWriter's order:
    # the cell's format, then the row's, then the column's).
    col_style = {}
    for c in cols:
        info = ws.col_info.get(c)
        if info is not None and info.column_format is not None:
            col_style[c] = f' s="{info.column_format._get_xf_index()}"'
    # A row without attributes of its own has only r and spans unless the sheet's default row
    # height or Excel version adds attributes to every row: then XlsxWriter writes each row.
    plain_rows = ws.default_row_height == ws.original_row_height and ws.excel_version == 2007
    write = ws.fh.write
    number, string, stamp = CellNumberTuple, CellStringTuple, CellDatetimeTuple
    for row in range(ws.dim_rowmin, ws.dim_rowmax + 1):
        cells = table.get(row)
        info = row_info.get(row)
        if not cells:
            if info is not None or row in comments:
                ws._write_empty_row(row, spans.get(row // 16), info)
            continue
        span = spans.get(row // 16)
        if info is not None or not plain_rows:
            ws._write_row(row, span, info)
        elif span:
            write(f'<row r="{row + 1}" spans="{span}">')
        else:
            write(f'<row r="{row + 1}">')
        fallback = info is not None and info.row_format  # the row's format beats the column's
        r = str(row + 1)
        for c in cols:
            cell = cells.get(c)
            if cell is None:
                continue
            kind = cell.__class__
            if fallback or (kind is not string and kind is not number and kind is not stamp):
                ws._write_cell(row, c, cell)
                continue
            fmt = cell.format
            style = f' s="{fmt._get_xf_index()}"' if fmt else col_style.get(c, "")
            if kind is string:
                write(f'<c r="{names[c]}{r}"{style} t="s"><v>{cell.string}</v></c>')
            else:
                write(f'<c r="{names[c]}{r}"{style}><v>{cell.number:.16G}</v></c>')
        write("</row>")


def row_spans(ws: Any) -> dict[int, str]:
    """What `Worksheet._calculate_spans` finds: per block of 16 rows, the first and last column
    holding a cell or a comment ("1:11"), from each row's lowest and highest column at once."""
    # Every cell and comment is inside the used range (XlsxWriter widens it with each), which
    # XlsxWriter's own loop walks: here each row's dict of cells is read as it is.
    blocks: dict[int, tuple[int, int]] = {}
    for source in (ws.table, ws.comments):
        for row, cells in source.items():
            if not cells:
                continue
            lo, hi = min(cells), max(cells)
            seen = blocks.get(row // 16)
            blocks[row // 16] = (lo, hi) if seen is None else (min(seen[0], lo), max(seen[1], hi))
    return {block: f"{lo + 1}:{hi + 1}" for block, (lo, hi) in blocks.items()}
