"""Spreadsheet writing for the workbook: buffered sheets streamed through openpyxl's write-only
mode, with named styles, Excel tables, charts, fitted columns and print set-up.

Each sheet is buffered as rows first so column widths can be fitted before the rows stream out.
A sheet's `bulk` rows (the raw votes: most of a large workbook's cells) skip openpyxl's per-cell
writer: they are written as XML into the saved file by `splice_bulk`.
"""

from __future__ import annotations

import math
import os
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAVY = "12355B"


@dataclass
class _Table:
    name: str
    ref: str
    headers: list[str]


@dataclass
class Sheet:
    title: str
    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    tables: list[_Table] = field(default_factory=list)
    charts: list[tuple[Any, str]] = field(default_factory=list)
    freeze: str | None = None
    widths: dict[int, float] = field(default_factory=dict)
    max_width: float = 60
    landscape: bool = True
    print_rows: str | None = None
    # Data rows streamed as XML after openpyxl has written the sheet (see _splice_bulk): the
    # raw votes are most of a large workbook's cells, and openpyxl's per-cell writer is the cost.
    bulk: list[list[Any]] = field(default_factory=list)

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def add(self, values: Sequence[Any], style: str = "", col_styles: dict[int, str] | None = None) -> int:
        self.rows.append(list(values))
        r = len(self.rows)
        if style:
            for c in range(1, len(values) + 1):
                self.styles[(r, c)] = style
        for c, s in (col_styles or {}).items():
            self.formats[(r, c)] = s
        return r

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.rows.append([])

    def heading(self, text: str, level: int = 1) -> None:
        self.add([text], "h1" if level == 1 else "h2")

    def kv(self, label: str, value: Any) -> None:
        r = self.add([label, value])
        self.styles[(r, 1)] = "label"
        self.styles[(r, 2)] = "wrap"

    def table(self, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              formats: dict[int, str] | None = None, wrap: Sequence[int] = ()) -> tuple[int, int]:
        """A header row and data rows, made an Excel table (with filters) when it has data."""
        headers = unique([str(h) for h in headers])
        first = self.add(headers, "header")
        for row in rows:
            r = self.add(row)
            for c, f in (formats or {}).items():
                self.formats[(r, c)] = f
            for c in wrap:
                self.styles[(r, c)] = "wrap"
        last = self.next_row - 1
        if rows:
            from openpyxl.utils import get_column_letter

            ref = f"A{first}:{get_column_letter(len(headers))}{last}"
            self.tables.append(_Table(name, ref, [str(h) for h in headers]))
        return first, last


def unique(names: list[str]) -> list[str]:
    """Excel table headers must differ: add a counter to repeats."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n or "Column"
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def bulk_table(sheet: Sheet, name: str, headers: Sequence[str], rows: list[list[Any]]) -> None:
    """A table whose header is an ordinary row and whose data rows are streamed in bulk."""
    from openpyxl.utils import get_column_letter

    headers = unique([str(h) for h in headers])
    first = sheet.add(headers, "header")
    sheet.bulk = rows
    if rows:
        ref = f"A{first}:{get_column_letter(len(headers))}{first + len(rows)}"
        sheet.tables.append(_Table(name, ref, headers))


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _rows_xml(rows: list[list[Any]], first_row: int) -> str:
    """<row> elements for sheetData: numbers as numbers, text as inline strings."""
    from openpyxl.utils import get_column_letter

    width = max((len(r) for r in rows), default=0)
    letters = [get_column_letter(i + 1) for i in range(width)]
    cache: dict[str, str] = {}
    out: list[str] = []
    for r, row in enumerate(rows, first_row):
        cells = []
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                cells.append(f'<c r="{letters[c]}{r}" t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, int | float):
                cells.append(f'<c r="{letters[c]}{r}"><v>{v!r}</v></c>')
            else:
                text = cache.get(v) if isinstance(v, str) else None
                if text is None:
                    raw = str(v)
                    text = _ILLEGAL_XML.sub("", raw).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    if isinstance(v, str) and len(cache) < 50_000:
                        cache[v] = text
                cells.append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    return "".join(out)


def splice_bulk(path: Path, parts: list[tuple[str, Sheet]]) -> None:
    """Put each sheet's bulk rows into its worksheet XML inside the saved workbook."""
    by_name = {name: sheet for name, sheet in parts if sheet.bulk}
    if not by_name:
        return
    spliced = path.with_name(path.name + ".splice")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            sheet = by_name.get(info.filename)
            if sheet is not None:
                xml = data.decode("utf-8")
                rows = _rows_xml(sheet.bulk, len(sheet.rows) + 1)
                if "</sheetData>" in xml:
                    xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
                else:
                    xml = xml.replace("<sheetData/>", f"<sheetData>{rows}</sheetData>", 1)
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml, count=1)
                data = xml.encode("utf-8")
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=3)
    os.replace(spliced, path)


class WorkbookWriter:
    """Holds the openpyxl write-only workbook and its named styles."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        self.wb = Workbook(write_only=True)
        thin = Side(style="thin", color="B7C3D0")
        named = {
            "h1": NamedStyle("h1", font=Font(size=16, bold=True, color=NAVY)),
            "h2": NamedStyle("h2", font=Font(size=12, bold=True, color=NAVY)),
            "header": NamedStyle("header", font=Font(bold=True, color="FFFFFF"),
                                 fill=PatternFill("solid", fgColor=NAVY),
                                 alignment=Alignment(wrap_text=True, vertical="center"),
                                 border=Border(bottom=thin)),
            "label": NamedStyle("label", font=Font(bold=True, color="333333"),
                                alignment=Alignment(vertical="top")),
            "wrap": NamedStyle("wrap", alignment=Alignment(wrap_text=True, vertical="top")),
            "note": NamedStyle("note", font=Font(italic=True, color="555555"),
                               alignment=Alignment(wrap_text=False, vertical="top")),
        }
        for style in named.values():
            self.wb.add_named_style(style)
        self.PatternFill, self.Font = PatternFill, Font
        self._fill_cache: dict[str, Any] = {}

    def write(self, sheet: Sheet) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

        ws = self.wb.create_sheet(sheet.title)
        widths: dict[int, float] = {}
        for r, row in enumerate((sheet.rows + sheet.bulk)[:2000], 1):
            for c, v in enumerate(row, 1):
                if v is None or sheet.styles.get((r, c)) in ("h1", "h2", "note"):
                    continue
                text = str(v)
                widths[c] = max(widths.get(c, 8), min(sheet.max_width, max(len(t) for t in text.split("\n")) * 1.1 + 2))
        widths.update(sheet.widths)
        for c, w in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = w
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        if sheet.print_rows:
            ws.print_title_rows = sheet.print_rows
        ws.oddFooter.center.text = f"{sheet.title} — page &P of &N"
        # Only rows with a style, format or fill need cell objects; the rest stream as values.
        styled = {r for (r, _c) in sheet.styles} | {r for (r, _c) in sheet.formats} | {r for (r, _c) in sheet.fills}
        # Wrapped cells: spreadsheet programs do not grow rows on opening, so size them here.
        for (r, c), kind in sheet.styles.items():
            if kind == "wrap" and r <= len(sheet.rows) and c <= len(sheet.rows[r - 1]):
                text = str(sheet.rows[r - 1][c - 1] or "")
                width = widths.get(c, 10)
                lines = sum(max(1, math.ceil(len(part) * 1.05 / max(width - 1, 1))) for part in text.split("\n"))
                if lines > 1:
                    height = ws.row_dimensions[r].height or 15
                    ws.row_dimensions[r].height = max(height, 15 * lines)
        for r, row in enumerate(sheet.rows, 1):
            if r not in styled:
                ws.append(row)
                continue
            cells = []
            for c, v in enumerate(row, 1):
                style: str | None = sheet.styles.get((r, c))
                fmt, fill = sheet.formats.get((r, c)), sheet.fills.get((r, c))
                if not (style or fmt or fill):
                    cells.append(v)
                    continue
                cell = WriteOnlyCell(ws, value=v)
                if style:
                    cell.style = style
                if fmt:
                    cell.number_format = fmt
                if fill:
                    cell.fill = self._fill(fill)
                    cell.font = self.Font(bold=True, color="FFFFFF")
                cells.append(cell)
            ws.append(cells)
        for t in sheet.tables:
            table = Table(displayName=t.name, ref=t.ref)
            # Write-only mode does not read the header cells back: name the columns here.
            table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(t.headers, 1)]
            table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
            with warnings.catch_warnings():
                # openpyxl warns on every write-only add_table; the columns are named above.
                warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
                ws.add_table(table)
        for chart, anchor in sheet.charts:
            ws.add_chart(chart, anchor)
        return ws

    def _fill(self, colour: str) -> Any:
        if colour not in self._fill_cache:
            self._fill_cache[colour] = self.PatternFill("solid", fgColor=colour)
        return self._fill_cache[colour]


# -- the sheets -------------------------------------------------------------------------------------


