"""The fast row writer (core/workbook/xlsx_rows.py) writes exactly what XlsxWriter's own writer writes:
the same workbook built twice, once with it, compared part by part, byte for byte, on sheets
with every kind of cell, format and row the export (or XlsxWriter) can produce."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.worksheet

from vbp_workshop.core.workbook import xlsx_rows
from vbp_workshop.core.workbook.xlsx import Sheet, WorkbookWriter


def build(path: Path, fast: bool) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(2026, 1, 1)})
    bold, money = wb.add_format({"bold": True}), wb.add_format({"num_format": "0.00"})
    col_fmt, row_fmt = wb.add_format({"italic": True}), wb.add_format({"font_color": "#FF0000"})

    def sheet(name: str, fill: Callable[[Any], None]) -> None:
        fill(wb.add_worksheet(name, worksheet_class=xlsx_rows.worksheet_class() if fast else None))

    def cells(ws: Any) -> None:
        ws.set_column(1, 2, 20, col_fmt)  # cells without a format take the column's
        ws.set_row(3, 30)  # a taller row
        ws.set_row(5, None, row_fmt)  # a row format beats the column's
        ws.set_row(7, 15, None, {"hidden": True})
        ws.set_row(40, 25)  # a row with attributes and no cells
        for r in range(60):  # more than 16 rows: spans differ per block
            if r in (20, 21):
                continue  # gaps
            ws.write_string(r, 0, f"text {r} & <more> \"quoted\"", bold if r % 3 == 0 else None)
            ws.write_number(r, 1, r * 0.1 if r % 2 else -r * 10**15, money if r % 5 == 0 else None)
            ws.write_string(r, 2, "=not a formula")
            if r % 4 == 0:
                ws.write_datetime(r, 3, datetime(2026, 11, 24, 10, r % 60), money)
                ws.write_datetime(r, 4, date(2026, 1, 1 + r % 28))
            if r % 7 == 0:
                ws.write_boolean(r, 5, r % 2 == 0)
                ws.write_blank(r, 6, None, bold)
                ws.write_formula(r, 7, "=B1*2", None, 3)
                ws.write_rich_string(r, 8, "plain ", bold, "bold")
            if r == 30:
                ws.write_number(r, 12, float("1e300"))
                ws.write_string(r, 15, "far right")
        ws.write_comment(50, 3, "a note")  # a comment in a row with cells
        ws.write_comment(70, 1, "a note on an empty row")

    sheet("Cells", cells)
    sheet("Tall rows", lambda ws: (ws.set_default_row(24), cells(ws)))  # every row gets a height
    sheet("Data bars", lambda ws: (cells(ws), ws.conditional_format(  # Excel 2010 rows (dyDescent)
        "B1:B60", {"type": "data_bar", "data_bar_2010": True})))
    sheet("Empty", lambda ws: None)
    sheet("Formats only", lambda ws: (ws.set_row(2, 40), ws.set_row(9, None, row_fmt)))
    wb.close()


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def test_the_fast_writer_writes_every_part_byte_for_byte_as_xlsxwriter(tmp_path: Path) -> None:
    build(tmp_path / "own.xlsx", fast=False)
    build(tmp_path / "fast.xlsx", fast=True)
    own, fast = parts(tmp_path / "own.xlsx"), parts(tmp_path / "fast.xlsx")
    assert own.keys() == fast.keys()
    for name in own:
        assert fast[name] == own[name], name
    # the sheets hold what the test means them to: rows with spans, heights, formats, dyDescent
    cells = own["xl/worksheets/sheet1.xml"].decode()
    assert '<row r="1" spans="1:9">' in cells and 'customHeight="1"' in cells and 'customFormat="1"' in cells
    assert "x14ac:dyDescent" in own["xl/worksheets/sheet3.xml"].decode()


def test_the_workbook_writer_uses_the_fast_writer_on_its_own_sheets_only(tmp_path: Path) -> None:
    writer = WorkbookWriter(tmp_path / "x.xlsx")
    sheet = Sheet("Votes")
    sheet.add(["a", 1])
    writer.write(sheet)
    other = writer.wb.add_worksheet("not the export's")
    ours = writer.wb.worksheets()[0]
    assert type(ours) is xlsx_rows.worksheet_class() and type(other) is xlsxwriter.worksheet.Worksheet
    writer.wb.close()


def test_the_workbook_writer_stores_cells_as_xlsxwriters_own_writers_do(tmp_path: Path) -> None:
    """WorkbookWriter puts text, numbers and times straight into XlsxWriter's cell table: the
    same cells, formats and used range as XlsxWriter's write_* methods give (the reference
    sheet, in the same workbook so that shared strings and formats are the same objects)."""
    writer = WorkbookWriter(tmp_path / "cells.xlsx")
    sheet = Sheet("Cells")
    sheet.blank(2)  # the used range starts below
    when = datetime(2026, 11, 24, 10, 30)
    long = "long text " * 2000  # over half the cell limit: XlsxWriter measures it itself
    sheet.add([None, "text", 3, 2.5, "", "=formula-like", True, when, date(2026, 1, 2), long, float("nan"), -7])
    sheet.add(["x", "text", 1e20], "h2")
    sheet.formats[(3, 8)] = "yyyy-mm-dd hh:mm"
    sheet.fills[(4, 3)] = "C0262D"
    writer.write(sheet)
    ours = writer.wb.worksheets()[0]
    ref = writer.wb.add_worksheet("Reference")
    for r, row in enumerate(sheet.rows):
        for c, v in enumerate(row):
            f = writer._cell_format(sheet, r + 1, c + 1) if (r + 1, c + 1) in {
                *sheet.styles, *sheet.formats, *sheet.fills} else None
            if isinstance(v, str):
                if v:
                    ref.write_string(r, c, v, f)
            elif isinstance(v, bool):
                ref.write_boolean(r, c, v, f)
            elif isinstance(v, int | float):
                if v == v:
                    ref.write_number(r, c, v, f)
            elif isinstance(v, datetime | date):
                ref.write_datetime(r, c, v, f or writer.fmt("", "yyyy-mm-dd"))
    assert dict(ours.table) == dict(ref.table)
    assert (ours.dim_rowmin, ours.dim_rowmax, ours.dim_colmin, ours.dim_colmax) == (2, 3, 0, 11)
    assert (ref.dim_rowmin, ref.dim_rowmax, ref.dim_colmin, ref.dim_colmax) == (2, 3, 0, 11)
    writer.wb.close()
