"""The workbook as partners open it in Excel: read from the file's XML and print settings, not
through LibreOffice — every chart's axes shown, honest axis ranges, A4 printing that is
legible, real dates and times with their zone, no doubled labels or empty columns, and the
export's time and version."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from vbp_workshop import __version__
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.workbook.export import export_workbook
from vbp_workshop.core.workbook.xlsx import A4_LANDSCAPE_CHARS, MIN_PRINT_SCALE


@pytest.fixture
def demo_book(demo: Store, tmp_path: Path) -> Path:
    return export_workbook(demo, tmp_path / "demo.xlsx")


def parts(path: Path, prefix: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith(prefix)}


def sheet_parts(path: Path) -> dict[str, str]:
    """sheet title -> its worksheet XML."""
    wb = parts(path, "xl/workbook.xml")["xl/workbook.xml"]
    titles = re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', wb)
    xml = parts(path, "xl/worksheets/sheet")
    return {t.replace("&amp;", "&"): xml[f"xl/worksheets/sheet{i}.xml"] for t, i in titles}


def test_every_chart_shows_both_axes(demo_book: Path) -> None:
    charts = parts(demo_book, "xl/charts/chart")
    assert len(charts) >= 25
    for name, xml in charts.items():
        axes = re.findall(r"<c:(catAx|valAx|dateAx|serAx)>(.*?)</c:\1>", xml)
        assert len(axes) == 2, name
        for kind, body in axes:
            assert '<c:delete val="0"/>' in body, (name, kind)
            assert '<c:delete val="1"/>' not in body, (name, kind)


def test_share_axes_run_0_to_100_percent_and_count_axes_start_at_0(demo_book: Path) -> None:
    shares = counts = 0
    for name, xml in parts(demo_book, "xl/charts/chart").items():
        if "<c:scatterChart>" in xml:
            continue
        value_axis = re.search(r"<c:valAx>(.*?)</c:valAx>", xml)[1]
        scaling = re.search(r"<c:scaling>(.*?)</c:scaling>", value_axis)[1]
        fmt = re.search(r'<c:numFmt formatCode="([^"]*)"', value_axis)
        assert "<c:min " in scaling, name  # no value axis auto-scales from a non-zero floor
        if fmt and fmt[1] == "0%":
            shares += 1
            assert '<c:min val="0"/>' in scaling and '<c:max val="1"/>' in scaling, name
        elif fmt and fmt[1] == "0":
            counts += 1
            assert '<c:min val="0"/>' in scaling, name
            unit = re.search(r'<c:majorUnit val="([\d.]+)"/>', value_axis)
            assert unit and float(unit[1]).is_integer(), name  # ticks in whole numbers
    assert shares >= 5 and counts >= 5


def test_every_sheet_prints_on_a4_landscape_with_repeated_headers(demo_book: Path) -> None:
    sheets = sheet_parts(demo_book)
    workbook = parts(demo_book, "xl/workbook.xml")["xl/workbook.xml"]
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]*)<', workbook)
    with_titles = {int(i) for i, ref in titles if re.search(r"\$\d+:\$\d+", ref)}
    order = list(sheets)
    for title, xml in sheets.items():
        setup = re.search(r"<pageSetup ([^>]*)/>", xml)[1]
        assert 'paperSize="9"' in setup and 'orientation="landscape"' in setup, title
        assert 'fitToHeight="0"' in setup and '<pageSetUpPr fitToPage="1"/>' in xml, title
    for title in ("Raw votes", "Metrics", "Metric actuals", "Decisions and actions", "Audit", "Participants",
                  "Agenda", "3 Roles (RACI)"):
        assert order.index(title) in with_titles, title


@pytest.mark.parametrize("title", ["3 Roles (RACI)", "Metrics", "Summary", "Poll results", "5 Evaluation"])
def test_wide_sheets_print_at_a_readable_size(demo_book: Path, title: str) -> None:
    ws = openpyxl.load_workbook(demo_book)[title]
    columns = ws.max_column
    # Adjacent columns of one width are stored as one range (min..max): read each column's own.
    width = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            width[c] = dim.width
    total = sum(width.get(c) or 8.43 for c in range(1, columns + 1))
    pages = ws.page_setup.fitToWidth or 1
    assert total / pages <= A4_LANDSCAPE_CHARS / MIN_PRINT_SCALE, (title, total, pages)
    if pages > 1:  # each page reads alone: the first column(s) repeat
        assert ws.print_title_cols


def test_charts_are_never_split_across_printed_pages(demo_book: Path) -> None:
    xml = sheet_parts(demo_book)["Poll results"]
    breaks = sorted(int(r) for r in re.findall(r'<brk id="(\d+)"', xml))
    assert breaks
    rels = parts(demo_book, "xl/worksheets/_rels/")
    drawing = next(re.search(r'Target="../drawings/(drawing\d+\.xml)"', x)[1] for n, x in rels.items()
                   if "drawing" in x and n.endswith(f"sheet{list(sheet_parts(demo_book)).index('Poll results') + 1}"
                                                     ".xml.rels"))
    anchors = re.findall(r"<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>"
                         r".*?<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>",
                         parts(demo_book, f"xl/drawings/{drawing}")[f"xl/drawings/{drawing}"])
    assert len(anchors) >= 10
    for first, _col, last in anchors:
        # a break at row b (0-based) starts a page at row b: no chart spans one
        assert not any(int(first) < b <= int(last) for b in breaks), (first, last, breaks)


def test_values_are_values_and_say_their_zone(demo_book: Path, demo: Store) -> None:
    book = openpyxl.load_workbook(demo_book)
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(max_col=2, values_only=True) if r[0]}
    assert isinstance(summary["Date"], datetime)
    assert summary["Date"].date().isoformat() == demo.workshop()["date"]
    assert isinstance(summary["Exported (UTC)"], datetime)
    assert abs((datetime.utcnow() - summary["Exported (UTC)"]).total_seconds()) < 600
    assert summary["Exported by"] == f"VBP Workshop {__version__}"
    raw = book["Raw votes"]
    header = [c.value for c in raw[1]]
    assert "Time (UTC)" in header
    times = [r[header.index("Time (UTC)")] for r in raw.iter_rows(min_row=2, values_only=True)]
    assert times and all(isinstance(t, datetime) for t in times if t is not None)
    audit = [c.value for c in book["Audit"][1]]
    assert "Opened (UTC)" in audit and "Closed (UTC)" in audit


def test_no_doubled_labels_and_no_empty_columns(demo_book: Path) -> None:
    book = openpyxl.load_workbook(demo_book)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not re.match(r"^(\w+): \1:", v), v
        for table in ws.tables.values():
            name = table.displayName
            cells = [[c.value for c in r] for r in ws[table.ref]]
            for i, head in enumerate(cells[0]):
                if name.startswith("Poll"):  # result tables: no column without a single value
                    assert any(r[i] not in (None, "") for r in cells[1:]), (ws.title, name, head)
    ranking = [t for t in book["Poll results"].tables.values()
               if "Borda score" in [c.value for c in book["Poll results"][t.ref][0]]]
    assert ranking
    for t in ranking:
        assert "Share" not in [c.value for c in book["Poll results"][t.ref][0]]


def test_data_tables_are_real_excel_tables_with_filters(demo_book: Path) -> None:
    tables = parts(demo_book, "xl/tables/")
    assert len(tables) >= 20
    for name, xml in tables.items():
        assert "<autoFilter " in xml, name
    book = openpyxl.load_workbook(demo_book)
    for title in ("Raw votes", "Audit", "Metrics", "Metric actuals", "Participants", "Decisions and actions"):
        assert book[title].tables, title


def _series(xml: str) -> list[str]:
    return re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.DOTALL)


def test_every_series_of_a_point_chart_has_its_own_colour_and_marker(demo_book: Path) -> None:
    """The trust pulse and 2×2 points were one colour: told apart neither in colour nor in
    greyscale print. Each series now has its own colour and marker shape."""
    scatter = [xml for xml in parts(demo_book, "xl/charts/chart").values() if "<c:scatterChart>" in xml]
    assert len(scatter) >= 2
    for xml in scatter:
        series = _series(xml)
        assert len(series) >= 4
        colours = [re.search(r'<c:marker>.*?<a:srgbClr val="([0-9A-F]{6})"', s, re.DOTALL)[1] for s in series]
        shapes = [re.search(r'<c:symbol val="(\w+)"/>', s)[1] for s in series]
        n = min(len(series), 8)
        assert len(set(colours[:n])) == n and len(set(shapes[:n])) == n, (colours, shapes)


def test_bar_series_side_by_side_differ_in_greyscale_too(demo_book: Path) -> None:
    """The group split's bars: each series its colour, and all but the first hatched."""
    grouped = [xml for xml in parts(demo_book, "xl/charts/chart").values()
               if "<c:barChart>" in xml and len(_series(xml)) >= 2 and "percentStacked" not in xml]
    assert grouped
    for xml in grouped:
        fills = [("pattern:" + m[1]) if (m := re.search(r'<a:pattFill prst="(\w+)"', s)) else "solid"
                 for s in _series(xml)]
        n = min(len(fills), 8)
        assert len(set(fills[:n])) == n, fills


def test_the_word_chart_has_room_for_its_words(demo: Store) -> None:
    """15 words were crammed into a 265 px chart: it grows 22 px a word."""
    from vbp_workshop.core.workbook.poll_sheets import poll_sheets

    results = poll_sheets(demo, lambda _f: None)[0]
    words = [c for c, _r, _c in results.charts if c.y_title == "mentions"]
    assert words
    for chart in words:
        rows = chart.series[0].values[1] - chart.series[0].values[0] + 1
        assert chart.size[1] >= 90 + 22 * rows, (chart.size, rows)


def test_every_sheet_prints_one_page_wide_and_no_poll_is_split_over_pages(demo_book: Path) -> None:
    sheets = sheet_parts(demo_book)
    for title, xml in sheets.items():
        setup = re.search(r"<pageSetup[^>]*>", xml)[0]
        assert 'fitToWidth="' not in setup or 'fitToWidth="1"' in setup, (title, setup)
    xml = sheets["Poll results"]
    breaks = [int(b) for b in re.findall(r'<brk id="(\d+)"', xml)]
    assert breaks, "the polls are kept whole by breaks between them"
    # Every chart starts and ends within one page (between two breaks).
    drawing = next(iter(parts(demo_book, "xl/drawings/drawing").values()))
    for start, end in re.findall(r"<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>"
                                 r".*?<xdr:to><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>",
                                 drawing, re.DOTALL):
        assert not any(int(start) < b <= int(end) for b in breaks), (start, end, breaks)
