"""Spreadsheet writing for the workbook, with XlsxWriter: named styles, real Excel tables with
filters, native charts with visible axes, fitted columns and A4 print set-up.

Each sheet is buffered as rows first (so column widths and row heights can be fitted), then
written cell by cell through XlsxWriter's public API only (any XlsxWriter the project allows:
tests/test_min_versions.py). A sheet's last table may instead be a `Stream`, its rows read as
they are written: the raw votes, a row per vote, are never all held here. XlsxWriter itself keeps
every cell until the file is closed, ~220 bytes a cell (~95 of them add_table's record of the
cells a table covers). Every text goes through `cell_text` and `write_string`: text from a
person is never a formula, whatever it starts with ("=", "+", "-", "@"), and never holds a
character XML forbids. XlsxWriter's default mode is used, not constant_memory: it cannot write
tables in constant_memory mode (measured figures in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import math
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vbp_workshop.core.model.text import EXCEL_CELL_LIMIT, clean_text

NAVY = "#12355B"
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384  # a worksheet's grid
# XlsxWriter records each cell a table covers (~95 bytes a cell): a streamed table longer than
# this is written with an autofilter instead (filters, no table), so 400,000 votes stay under 1 GB.
TABLE_ROWS = 200_000
MAX_ROW_HEIGHT = 409  # points: Excel's limit
LINE_HEIGHT = 15
# A4 landscape, 0.7" side margins: the printable width in character-width units (~5.6 pt each).
A4_LANDSCAPE_CHARS = 130
MIN_PRINT_SCALE = 0.7  # below this a printed sheet is unreadably small: print it two pages wide

STYLES: dict[str, dict[str, Any]] = {
    "h1": {"bold": True, "font_size": 16, "font_color": NAVY},
    "h2": {"bold": True, "font_size": 12, "font_color": NAVY},
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": NAVY, "text_wrap": True,
               "valign": "vcenter", "bottom": 1, "bottom_color": "#B7C3D0"},
    "label": {"bold": True, "font_color": "#333333", "valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "note": {"italic": True, "font_color": "#555555", "valign": "top"},
}


def cut_marker(extra: int) -> str:
    return f" … [cut: {extra:,} characters more; the whole text is in the workshop file]"


def cell_text(value: str) -> str:
    """Text as a cell shows it: characters XML forbids removed, and a text over Excel's cell
    limit cut visibly, never silently."""
    if value.isascii() and value.isprintable() and len(value) <= EXCEL_CELL_LIMIT:
        return value  # printable ASCII holds nothing to remove (most cells: a quick test first)
    text = clean_text(value)
    if len(text) > EXCEL_CELL_LIMIT // 2 and _units(text) > EXCEL_CELL_LIMIT:
        # Excel counts UTF-16 units (an emoji is two); cut on characters until it fits.
        room = EXCEL_CELL_LIMIT - len(cut_marker(len(text)))
        while _units(text[:room]) + len(cut_marker(len(text) - room)) > EXCEL_CELL_LIMIT:
            room -= max(1, (_units(text[:room]) + len(cut_marker(len(text) - room)) - EXCEL_CELL_LIMIT) // 2)
        text = text[:room] + cut_marker(len(text) - room)
    return text


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Table:
    name: str
    first_row: int  # 1-based, the header row
    last_row: int
    headers: list[str]


@dataclass
class Stream:
    """A table whose data rows are not held by the sheet but read as they are written (the raw
    votes: a row per vote, hundreds of thousands of them): the sheet's memory does not grow
    with the number of rows. Every data cell of a column has that column's number format."""
    name: str
    first_row: int  # 1-based, the header row
    headers: list[str]
    rows: Callable[[], Iterable[Sequence[Any]]]
    formats: dict[int, str]  # 1-based column -> number format
    table: bool = True  # False: an autofilter over the rows instead of an Excel table


@dataclass
class Series:
    """One chart series; rows and columns are 1-based cells of the chart's own sheet."""
    name: str | tuple[int, int]  # a literal name, or (row, col) of a cell holding it
    categories: tuple[int, int, int] | None  # (first_row, last_row, col)
    values: tuple[int, int, int]  # (first_row, last_row, col)
    colour: str = ""
    marker: str = ""  # scatter: the marker's shape ("" = the series' own from MARKERS)


# Print-safe series: each its own colour (Okabe-Ito, apart for colour-blind readers) and, for
# points, its own marker shape, so series are told apart on a greyscale print too.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
MARKERS = ["circle", "square", "diamond", "triangle", "x", "star", "plus", "dash"]
# Bar series beside each other: the first solid, the others each with their own hatching in
# their colour on white, so a greyscale print still tells them apart.
PATTERNS = ["", "wide_upward_diagonal", "dark_horizontal", "small_check", "dark_vertical",
            "wide_downward_diagonal", "large_grid", "divot"]


@dataclass
class Chart:
    """A native chart. `kind`: bar (horizontal), column, percent_bar (stacked to 100 %) or scatter.

    `axis`: how the value axis runs — "share" 0–100 %, "count" from 0 in whole numbers, "mean"
    over `scale`, or "scale" for both axes of a scatter chart.
    """
    kind: str
    title: str
    series: list[Series]
    axis: str = "count"
    scale: tuple[float, float] | None = None
    x_title: str = ""
    y_title: str = ""
    legend: bool = False
    top_first: bool = True  # horizontal bars: the first category on top, as on screen
    max_value: float = 0.0
    size: tuple[int, int] = (530, 265)  # pixels: width, height
    x_offset: int = 0  # pixels right of its anchor cell


@dataclass
class Sheet:
    title: str
    rows: list[list[Any]] = field(default_factory=list)
    styles: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[Chart, int, int]] = field(default_factory=list)  # chart, row, col (1-based)
    freeze: tuple[int, int] | None = None  # rows, columns kept in view
    widths: dict[int, float] = field(default_factory=dict)
    max_width: float = 60
    landscape: bool = True
    print_rows: tuple[int, int] | None = None  # 1-based rows repeated on every printed page
    page_breaks: list[int] = field(default_factory=list)  # 1-based rows that start a page
    repeat_cols: int = 1  # columns repeated on each page when the sheet prints more than one wide
    min_print_width: float = 0  # characters the sheet's charts need when printed
    # Printed one page wide: columns too wide for that narrow, their text wrapping (or, for an
    # appendix of raw data, `clip`: cut at the cell's edge on paper, whole in the cell).
    clip: bool = False
    # Rows (first, last, 1-based) printed on one page together: a page break goes before a block
    # that would not fit on what is left of the page, never inside one (and only there).
    keep_together: list[tuple[int, int]] = field(default_factory=list)
    stream: Stream | None = None  # the sheet's last table, its rows read as they are written

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

    def kv(self, label: str, value: Any, fmt: str = "") -> None:
        r = self.add([label, value])
        self.styles[(r, 1)] = "label"
        self.styles[(r, 2)] = "wrap"
        if fmt:
            self.formats[(r, 2)] = fmt

    def table(self, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              formats: dict[int, str] | None = None, wrap: Sequence[int] = ()) -> tuple[int, int]:
        """A header row and data rows, made an Excel table (with filters) when it has data."""
        headers = unique([cell_text(str(h)) for h in headers])
        first = self.add(headers, "header")
        for row in rows:
            r = self.add(row)
            for c, f in (formats or {}).items():
                self.formats[(r, c)] = f
            for c in wrap:
                self.styles[(r, c)] = "wrap"
        last = self.next_row - 1
        if rows:
            self.tables.append(Table(name, first, last, headers))
        return first, last

    def streamed_table(self, name: str, headers: Sequence[str], rows: Callable[[], Iterable[Sequence[Any]]],
                       formats: dict[int, str] | None = None, expected: int = 0) -> None:
        """A header row, then `rows()` read while the sheet is written (an Excel table with
        filters, when it yields any; an autofilter past TABLE_ROWS `expected` rows): the sheet's
        last content."""
        headers = unique([cell_text(str(h)) for h in headers])
        first = self.add(headers, "header")
        self.stream = Stream(name, first, headers, rows, dict(formats or {}), table=expected <= TABLE_ROWS)


def unique(names: list[str]) -> list[str]:
    """Excel table headers must differ (and be at most 255 characters): add a counter to repeats."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = (n or "Column")[:255]
        key = n.casefold()  # Excel compares table headers without case
        seen[key] = seen.get(key, 0) + 1
        out.append(n if seen[key] == 1 else f"{n[:248]} ({seen[key]})")
    return out


class WorkbookWriter:
    """Holds the XlsxWriter workbook and its formats; `write` adds one buffered sheet."""

    def __init__(self, path: Path, in_memory: bool = True) -> None:
        import xlsxwriter

        # strings_to_formulas etc. off: no text ever becomes a formula, number or link.
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
            "nan_inf_to_errors": True, "default_date_format": "yyyy-mm-dd", "remove_timezone": True,
            # in_memory: no temporary file per part (hundreds of them cost a second to remove),
            # but each part whole in memory: the caller says whether the workbook is small enough
            "in_memory": in_memory})
        self._formats: dict[tuple[str, str, str], Any] = {}

    def fmt(self, style: str = "", number: str = "", fill: str = "") -> Any:
        key = (style, number, fill)
        if key not in self._formats:
            # Top-aligned unless the style says otherwise: a row grown for a wrapped cell
            # keeps its other cells level with the first line, not at the bottom.
            props: dict[str, Any] = {"valign": "top", **STYLES.get(style, {})}
            if number:
                props["num_format"] = number
            if fill:
                props.update(bg_color=f"#{fill}", bold=True, font_color="#FFFFFF")
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def write(self, sheet: Sheet, cancelled: Callable[[], bool] = lambda: False) -> None:
        ws = self.wb.add_worksheet(sheet.title[:31])
        widths = fit_one_page_wide(sheet, self._widths(sheet))
        for c, w in widths.items():
            ws.set_column(c - 1, c - 1, w, self.fmt())  # cells without a format of their own
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
        heights = self._heights(sheet, widths)
        if sheet.keep_together:
            sheet.page_breaks = pack_pages(sheet, widths, heights)
        self._print_setup(ws, sheet, widths)
        for r, h in heights.items():
            ws.set_row(r - 1, h)
        # Tables first: add_table writes the header cells (with the header format); the data
        # cells written below fill the table's rows.
        for t in sheet.tables:
            self._add_table(ws, t)
        styles, formats, fills = sheet.styles, sheet.formats, sheet.fills
        by_row: dict[int, dict[int, Any]] = {}  # 0-based row -> column -> format
        for r, c in {*styles, *formats, *fills}:
            by_row.setdefault(r - 1, {})[c - 1] = self._cell_format(sheet, r, c)
        no_formats: dict[int, Any] = {}
        rows = sheet.rows[:EXCEL_ROWS]  # a cell off the grid would be refused
        self._cells(ws, sheet, enumerate(rows), lambda r: by_row.get(r, no_formats),
                    lambda r, c: (r + 1, c + 1) in formats, cancelled)
        if sheet.stream is not None:
            self._stream(ws, sheet, sheet.stream, len(rows), cancelled)
        for chart, at_row, at_col in sheet.charts:
            ws.insert_chart(at_row - 1, at_col - 1, self._chart(sheet, chart),
                            {"object_position": 1, "x_offset": chart.x_offset})

    def _cells(self, ws: Any, sheet: Sheet, rows: Iterable[tuple[int, Sequence[Any]]],
               formats_of: Callable[[int], dict[int, Any]], numbered: Callable[[int, int], bool],
               cancelled: Callable[[], bool]) -> int:
        """Write `rows` ((0-based row, values)); `formats_of(row)` gives each column's format,
        `numbered(row, col)` whether the cell has a number format. Returns the rows written."""
        texts: dict[str, str] = {}  # the raw votes repeat their texts: clean each once
        # XlsxWriter's public writers, one per kind of cell: the common ones (text, numbers,
        # times) called here directly, the rest through `_write_other`.
        write_string, write_number = ws.write_string, ws.write_number
        n = 0
        for r, row in rows:
            if r % 5000 == 4999 and cancelled():
                raise Cancelled
            n += 1
            row_formats = formats_of(r)
            if len(row) > EXCEL_COLUMNS:
                row = row[:EXCEL_COLUMNS]
            for c, v in enumerate(row):
                kind = v.__class__
                if kind is str:
                    if not v:
                        continue
                    text = texts.get(v)
                    if text is None:
                        text = cell_text(v)
                        if len(texts) < 100_000 and len(v) < 500:
                            texts[v] = text
                    write_string(r, c, text, row_formats.get(c))
                elif kind is int or (kind is float and v - v == 0):  # v - v is nan for nan and ±inf
                    write_number(r, c, v, row_formats.get(c))
                elif kind is datetime and v.tzinfo is None and numbered(r, c):
                    # A formatted time is its serial number (what write_datetime writes, cheaper).
                    write_number(r, c, excel_time(v), row_formats.get(c))
                elif v is not None:
                    self._write_other(ws, sheet, r, c, v, row_formats.get(c))
        return n

    def _stream(self, ws: Any, sheet: Sheet, stream: Stream, start: int, cancelled: Callable[[], bool]) -> None:
        """The streamed table's rows from 0-based row `start` on, then the table over them."""
        col_formats = {c - 1: self.fmt("", f) for c, f in stream.formats.items()}
        numbered = set(col_formats)
        rows = zip(range(start, EXCEL_ROWS), stream.rows(), strict=False)  # never off the grid
        n = self._cells(ws, sheet, rows, lambda _r: col_formats, lambda _r, c: c in numbered, cancelled)
        if n and not stream.table:  # filter buttons on the header, as a table has
            ws.autofilter(stream.first_row - 1, 0, stream.first_row - 1 + n, len(stream.headers) - 1)
        elif n:
            # Written after its rows (add_table writes only the header cells, over the same text).
            self._add_table(ws, Table(stream.name, stream.first_row, stream.first_row + n, stream.headers))

    def _add_table(self, ws: Any, t: Table) -> None:
        ws.add_table(t.first_row - 1, 0, t.last_row - 1, len(t.headers) - 1, {
            "name": t.name, "style": "Table Style Light 9", "autofilter": True,
            "columns": [{"header": h, "header_format": self.fmt("header")} for h in t.headers]})

    def _write_other(self, ws: Any, sheet: Sheet, r: int, c: int, v: Any, f: Any) -> None:
        """A cell that is not text, an int or empty (0-based r, c)."""
        if isinstance(v, bool):
            ws.write_boolean(r, c, v, f)
        elif isinstance(v, int | float):
            if math.isfinite(v):
                ws.write_number(r, c, v, f)
        elif isinstance(v, datetime | date):
            if sheet.formats.get((r + 1, c + 1)) is None:  # a date needs a date format
                f = self.fmt(sheet.styles.get((r + 1, c + 1), ""),
                             "yyyy-mm-dd hh:mm" if isinstance(v, datetime) else "yyyy-mm-dd",
                             sheet.fills.get((r + 1, c + 1), ""))
            ws.write_datetime(r, c, v, f)
        elif isinstance(v, str):
            if v:
                ws.write_string(r, c, cell_text(v), f)
        else:
            ws.write_string(r, c, cell_text(str(v)), f)

    def _cell_format(self, sheet: Sheet, r: int, c: int) -> Any:
        style, number, fill = sheet.styles.get((r, c), ""), sheet.formats.get((r, c), ""), sheet.fills.get((r, c), "")
        return self.fmt(style, number, fill)

    @staticmethod
    def _widths(sheet: Sheet) -> dict[int, float]:
        widths: dict[int, float] = {}
        for r, row in enumerate(sheet.rows[:2000], 1):
            for c, v in enumerate(row, 1):
                style = sheet.styles.get((r, c))
                if v is None or style in ("h1", "h2", "note"):
                    continue
                if style == "header":  # a long header wraps: its longest word (or 16) sets the width
                    n = min(len(str(v)), max(16, max((len(w) for w in str(v).split()), default=0) + 2))
                    widths[c] = max(widths.get(c, 8), min(sheet.max_width, n * 1.1 + 2))
                    continue
                if isinstance(v, datetime):
                    n = 17
                elif isinstance(v, date):
                    n = 11
                else:
                    n = max(len(t) for t in str(v).split("\n"))
                widths[c] = max(widths.get(c, 8), min(sheet.max_width, n * 1.1 + 2))
        widths.update(sheet.widths)
        return widths

    @staticmethod
    def _heights(sheet: Sheet, widths: dict[int, float]) -> dict[int, float]:
        """Wrapped cells: spreadsheet programs do not grow rows on opening, so size them here
        (never over Excel's 409 pt)."""
        heights: dict[int, float] = {}
        for (r, c), kind in sheet.styles.items():
            if kind not in ("wrap", "header") or r > len(sheet.rows) or c > len(sheet.rows[r - 1]):
                continue
            text = str(sheet.rows[r - 1][c - 1] or "")
            width = widths.get(c, 10)
            lines = sum(max(1, math.ceil(len(part) * 1.05 / max(width - 1, 1))) for part in text.split("\n"))
            if lines > 1:
                heights[r] = min(MAX_ROW_HEIGHT, max(heights.get(r, LINE_HEIGHT), LINE_HEIGHT * lines))
        return heights

    @staticmethod
    def _print_setup(ws: Any, sheet: Sheet, widths: dict[int, float]) -> None:
        ws.set_paper(9)  # A4
        if sheet.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        # Fit to the page's width, unless that would print smaller than MIN_PRINT_SCALE: then
        # two (or more) pages wide, with the first column repeated so each page reads alone.
        ncols = max((len(r) for r in sheet.rows), default=1)
        total = max(sum(widths.get(c, 8.43) for c in range(1, ncols + 1)), sheet.min_print_width)
        page = A4_LANDSCAPE_CHARS if sheet.landscape else A4_LANDSCAPE_CHARS * 0.68
        wide = max(1, math.ceil(total / (page / MIN_PRINT_SCALE)))
        ws.fit_to_pages(wide, 0)
        if wide > 1:
            ws.repeat_columns(0, sheet.repeat_cols - 1)
        if sheet.print_rows:
            ws.repeat_rows(sheet.print_rows[0] - 1, sheet.print_rows[1] - 1)
        if sheet.page_breaks:
            ws.set_h_pagebreaks([r - 1 for r in sheet.page_breaks])
        ws.set_footer(f"&C{_footer_safe(sheet.title)} — page &P of &N")

    def _chart(self, sheet: Sheet, spec: Chart) -> Any:
        title = sheet.title[:31]
        if spec.kind == "scatter":
            chart = self.wb.add_chart({"type": "scatter"})
        elif spec.kind == "percent_bar":
            chart = self.wb.add_chart({"type": "bar", "subtype": "percent_stacked"})
        else:
            chart = self.wb.add_chart({"type": "bar" if spec.kind == "bar" else "column"})
        for s in spec.series:
            props: dict[str, Any] = {
                "values": [title, s.values[0] - 1, s.values[2] - 1, s.values[1] - 1, s.values[2] - 1]}
            if s.categories:
                props["categories"] = [title, s.categories[0] - 1, s.categories[2] - 1,
                                       s.categories[1] - 1, s.categories[2] - 1]
            if isinstance(s.name, tuple):
                props["name"] = [title, s.name[0] - 1, s.name[1] - 1]
            else:
                props["name"] = cell_text(s.name)
            n = spec.series.index(s)
            if spec.kind == "scatter":
                colour = s.colour or SERIES_COLOURS[n % len(SERIES_COLOURS)]
                shape = s.marker or MARKERS[n % len(MARKERS)]
                props["marker"] = {"type": shape, "size": 9 if shape not in ("x", "star", "plus") else 10,
                                   "fill": {"color": colour}, "border": {"color": "#1A1A1A" if shape != "x"
                                                                         else colour, "width": 0.75}}
            elif len(spec.series) > 1:
                # Several bar series: each its colour, and a pattern for a greyscale print.
                colour = s.colour or SERIES_COLOURS[n % len(SERIES_COLOURS)]
                pattern = PATTERNS[n % len(PATTERNS)]
                if pattern:
                    props["pattern"] = {"pattern": pattern, "fg_color": colour, "bg_color": "#FFFFFF"}
                else:
                    props["fill"] = {"color": colour}
                props["border"] = {"color": colour if pattern else "#1A1A1A", "width": 0.75}
            elif s.colour:
                props["fill"] = {"color": s.colour}
            else:
                props["fill"] = {"color": NAVY}
            chart.add_series(props)
        chart.set_title({"name": cell_text(spec.title)[:250], "name_font": {"size": 11}})
        if not spec.legend:
            chart.set_legend({"none": True})
        else:
            chart.set_legend({"position": "bottom"})
        value_axis: dict[str, Any] = {"min": 0, "major_gridlines": {"visible": True}}
        if spec.axis == "share":
            value_axis.update(max=1, num_format="0%", major_unit=0.25)
        elif spec.axis == "count":
            # whole numbers: a tick every 1, 2, 5, 10 … so that there are at most ~8
            top = max(1.0, spec.max_value)
            step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 10**6) if top / s <= 8)
            value_axis.update(num_format="0", major_unit=step)
        elif spec.scale:
            value_axis.update(min=spec.scale[0], max=spec.scale[1])
        if spec.y_title:
            value_axis["name"] = cell_text(spec.y_title)
        if spec.kind == "scatter":
            lo, hi = spec.scale or (0, 10)
            chart.set_x_axis({"min": lo, "max": hi, "name": cell_text(spec.x_title),
                              "major_gridlines": {"visible": True}})
            chart.set_y_axis({"min": lo, "max": hi, "name": cell_text(spec.y_title),
                              "major_gridlines": {"visible": True}})
        elif spec.kind in ("bar", "percent_bar"):
            # In a horizontal bar chart XlsxWriter's x axis is the (horizontal) value axis.
            chart.set_x_axis(value_axis)
            # The names at the plot's left edge, never over bars that run below zero (a gap).
            chart.set_y_axis({"reverse": spec.top_first, "name": cell_text(spec.x_title), "label_position": "low"}
                             if spec.top_first else {"name": cell_text(spec.x_title), "label_position": "low"})
        else:
            chart.set_y_axis(value_axis)
            chart.set_x_axis({"name": cell_text(spec.x_title)} if spec.x_title else {})
        chart.set_size({"width": spec.size[0], "height": spec.size[1]})
        return chart


NARROWEST = 10.0  # characters: a column is never narrowed below this to fit the page


def page_chars(sheet: Sheet) -> float:
    """The widest a sheet may be (in character units) and still print one page wide legibly."""
    return (A4_LANDSCAPE_CHARS if sheet.landscape else A4_LANDSCAPE_CHARS * 0.68) / MIN_PRINT_SCALE


def fit_one_page_wide(sheet: Sheet, widths: dict[int, float]) -> dict[int, float]:
    """Columns narrowed, the widest most, until the sheet prints one page wide at a legible
    scale (a sheet two pages wide prints its charts sliced and its rows twice over). The text of
    a narrowed column wraps (its rows grow), or is cut on paper for a `clip` sheet."""
    ncols = max((len(r) for r in sheet.rows), default=1)
    widths = {c: widths.get(c, 8.43) for c in range(1, ncols + 1)} | widths
    limit = page_chars(sheet) - 0.8 * len(widths) - 6  # the file adds ~0.71 of padding to each column
    total = sum(widths.values())
    if total <= limit:
        return widths
    room = {c: w - NARROWEST for c, w in widths.items() if w > NARROWEST}
    if not room:
        return widths
    share = min(1.0, (total - limit) / sum(room.values()))
    fitted = {c: (w - room[c] * share if c in room else w) for c, w in widths.items()}
    if not sheet.clip:
        for r, row in enumerate(sheet.rows, 1):
            for c, v in enumerate(row, 1):
                if (c in room and isinstance(v, str) and len(v) * 1.1 + 2 > fitted[c]
                        and (r, c) not in sheet.styles):
                    sheet.styles[(r, c)] = "wrap"
    return fitted


# The printable height of an A4 page (0.6" margins top and bottom), in points.
PAGE_POINTS = {True: 595.3 - 86.4, False: 841.9 - 86.4}


def print_scale(sheet: Sheet, widths: dict[int, float]) -> float:
    """The scale a sheet printed one page wide prints at (fit to the page's width)."""
    page = A4_LANDSCAPE_CHARS if sheet.landscape else A4_LANDSCAPE_CHARS * 0.68
    return min(1.0, page / max(sum(widths.values()), sheet.min_print_width, 1.0))


def pack_pages(sheet: Sheet, widths: dict[int, float], heights: dict[int, float]) -> list[int]:
    """Page breaks (1-based rows) that keep each `keep_together` block on one page, as many
    blocks to a page as fit (a poll a page printed 22 pages for 22 small polls)."""
    capacity = 0.95 * PAGE_POINTS[sheet.landscape] / print_scale(sheet, widths)

    def height(first: int, last: int) -> float:
        return sum(heights.get(r, LINE_HEIGHT) for r in range(first, last + 1))

    breaks: list[int] = []
    page_top = 1
    for first, last in sorted(sheet.keep_together):
        if first > page_top and height(page_top, last) > capacity:
            breaks.append(first)
            page_top = first
    return breaks


EXCEL_EPOCH = datetime(1899, 12, 30)


def excel_time(t: datetime) -> float:
    """A naive datetime as Excel's serial number (days since 1899-12-30; after March 1900)."""
    delta = t - EXCEL_EPOCH
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400


class Cancelled(Exception):
    """The person asked to stop the export; nothing was written."""


def _footer_safe(title: str) -> str:
    return title.replace("&", "&&")


# Every axis says it is shown: `<c:delete val="0"/>` just before its <c:axPos> (where the schema
# puts it, after <c:scaling>). XlsxWriter writes <c:delete> only for a hidden axis (the charts here
# hide none), and recent Excel versions have been seen to hide axes that do not say they are shown.
# XlsxWriter has no option for it, so the chart parts of the finished file get it (`show_axes`).
_AXIS_POSITION = b"<c:axPos "


def show_axes(path: Path) -> None:
    """Rewrite the workbook at `path` with every visible chart axis marked as shown."""
    tmp = path.with_name(path.name + ".axes")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for info in zin.infolist():
            if info.filename.startswith("xl/charts/chart") and info.filename.endswith(".xml"):
                data = zin.read(info).replace(_AXIS_POSITION, b'<c:delete val="0"/>' + _AXIS_POSITION)
                zout.writestr(info, data, compress_type=info.compress_type)
            else:  # copied in pieces: a sheet of 400,000 votes is never whole in memory
                out = zipfile.ZipInfo(info.filename, info.date_time)  # zout fills in its sizes
                out.compress_type, out.external_attr = info.compress_type, info.external_attr
                with zin.open(info) as src, zout.open(out, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    os.replace(tmp, path)
