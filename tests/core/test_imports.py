"""Imports from people's spreadsheets: one number rule (decimal commas, thousands separators,
percent signs against the metric's unit), corrections that replace, Unicode names that never
merge, CSV files in the encodings spreadsheet programs write, and clear messages instead of
crashes ("nan" IDs, undecodable bytes) — with nothing half-imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.numbers import NumberError, decimal_style, parse_id, parse_number, ten_times_off
from vbp_workshop.core.workbook.export import ACTUALS_SHEET, export_workbook
from vbp_workshop.core.workbook.imports import ImportError_, actual_edits, read_actuals, read_participants


@pytest.mark.parametrize(("text", "unit", "style", "expected"), [
    ("58,5", "", "", 58.5),
    ("58.5", "", "", 58.5),
    ("0,125", "", "", 0.125),
    ("1.234,5", "", "", 1234.5),
    ("1,234.5", "", "", 1234.5),
    ("1 234,5", "", "", 1234.5),
    ("1\u202f234,5", "", "", 1234.5),
    ("1'234.5", "", "", 1234.5),
    ("1,234,567", "", "", 1234567),
    ("1.234.567", "", "", 1234567),
    ("-3,5", "", "", -3.5),
    ("\u22123,5", "", "", -3.5),
    ("1234,567", "", "", 1234.567),  # four digits before: only a decimal comma fits
    ("1,234", "", "comma", 1.234),
    ("1,234", "", "point", 1234),
    ("1.234", "", "comma", 1234),
    ("58%", "%", "", 58),
    ("58,5 %", "%", "", 58.5),
    ("58", "per cent", "", 58),
])
def test_numbers_people_type_are_read_by_one_rule(text: str, unit: str, style: str, expected: float) -> None:
    assert parse_number(text, unit, style=style) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "unit", "message"), [
    ("1,234", "", "could be 1234 or 1.234"),
    ("12.345", "", "could be 12345 or 12.345"),
    ("58%", "days", "is a percentage, but the metric's unit is “days”"),
    ("1,2,3", "", "neither a decimal nor a thousands separator"),
    ("1.234,5.6", "", "cannot be read"),
    ("nan", "", "not a number"),
    ("inf", "", "not a number"),
    ("1e3", "", "not a number"),
    ("", "", "empty"),
])
def test_anything_ambiguous_is_refused_not_guessed(text: str, unit: str, message: str) -> None:
    with pytest.raises(NumberError, match=message):
        parse_number(text, unit)


def test_cells_and_columns() -> None:
    # A cell Excel holds as 0.58 with a percent format is 58 for a percentage metric.
    assert parse_number(0.58, "%", percent_format=True) == pytest.approx(58)
    with pytest.raises(NumberError, match="percentage"):
        parse_number(0.58, "£", percent_format=True)
    with pytest.raises(NumberError):
        parse_number(float("nan"), "")
    assert decimal_style(["58,5", "1,234", 7]) == "comma"
    assert decimal_style(["58.5", "1,234"]) == "point"
    assert decimal_style(["1,234"]) == ""
    assert decimal_style(["58,5", "58.5"]) == ""  # contradictory: settles nothing
    assert parse_id(7.0) == 7 and parse_id(" 12 ") == 12
    for bad in ("nan", "NaN", "", None, 7.5, "7.5", float("nan"), "1e3", True):
        with pytest.raises(NumberError):
            parse_id(bad)
    assert ten_times_off(585, 41, 70) and ten_times_off(0.58, 41, 70) and ten_times_off(5.8, 41, 70)
    assert ten_times_off(10_000, 41, 70)
    assert not ten_times_off(58, 41, 70) and not ten_times_off(25, 41, 70) and not ten_times_off(120, 41, 70)
    assert not ten_times_off(0, 41, 0) and not ten_times_off(12, None, None) and not ten_times_off(3, 410, 0)


def _actuals_book(demo: Store, tmp_path: Path, values: list[tuple[object, object, object, object]],
                  sheet: str = ACTUALS_SHEET) -> Path:
    out = export_workbook(demo, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    ws.title = "renaming"
    ws.title = sheet
    last = int(ws.tables["MetricActuals"].ref.split(":")[1][1:])
    ws.delete_rows(last + 1, 5)  # the instruction note
    for i, row in enumerate(values, last + 1):
        for c, v in enumerate(row, 1):
            ws.cell(i, c, v)
    wb.save(out)
    return out


def test_decimal_commas_and_percentages_come_in_right(demo: Store, tmp_path: Path) -> None:
    ldl = demo.rows("metrics")[0]  # unit %
    out = _actuals_book(demo, tmp_path, [(ldl["id"], ldl["name"], "2027-06-30", "58,5"),
                                         (ldl["id"], ldl["name"], "2027-09-30", "61%")])
    rows = read_actuals(out, demo)
    assert [r["value"] for r in rows if r["date"] > "2027-04-01"] == [58.5, 61.0]
    assert rows.warnings == []


def test_a_percent_cell_from_excel_is_read_against_the_unit(demo: Store, tmp_path: Path) -> None:
    ldl, cost = demo.rows("metrics")[0], demo.rows("metrics")[4]
    out = _actuals_book(demo, tmp_path, [(ldl["id"], ldl["name"], "2027-06-30", 0.58)])
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    ws.cell(ws.max_row, 4).number_format = "0%"
    wb.save(out)
    assert [r["value"] for r in read_actuals(out, demo) if r["date"] == "2027-06-30"] == [pytest.approx(58)]
    ws.cell(ws.max_row, 1).value, ws.cell(ws.max_row, 2).value = cost["id"], cost["name"]
    wb.save(out)
    with pytest.raises(ImportError_, match=rf"row {ws.max_row}, column D .*percentage.*“£”"):
        read_actuals(out, demo)


def test_an_ambiguous_value_names_sheet_row_and_column_or_is_settled_by_the_column(demo: Store,
                                                                                   tmp_path: Path) -> None:
    cost = demo.rows("metrics")[4]  # £, baseline 410
    out = _actuals_book(demo, tmp_path, [(cost["id"], cost["name"], "2027-06-30", "1,234")])
    row = openpyxl.load_workbook(out)[ACTUALS_SHEET].max_row
    before = demo.rows("actuals")
    with pytest.raises(ImportError_, match=rf"Sheet “{ACTUALS_SHEET}”, row {row}, column D .*could be 1234 or 1.234"):
        read_actuals(out, demo)
    assert demo.rows("actuals") == before
    out = _actuals_book(demo, tmp_path, [(cost["id"], cost["name"], "2027-06-30", "1,234"),
                                         (cost["id"], cost["name"], "2027-09-30", "380.50")])
    rows = read_actuals(out, demo)
    assert {r["date"]: r["value"] for r in rows if r["metric_id"] == cost["id"]} == {
        "2027-06-30": 1234.0, "2027-09-30": 380.5}


def test_a_value_ten_times_off_is_flagged_for_confirmation(demo: Store, tmp_path: Path) -> None:
    ldl = demo.rows("metrics")[0]
    out = _actuals_book(demo, tmp_path, [(ldl["id"], ldl["name"], "2027-06-30", 585)])
    rows = read_actuals(out, demo)
    assert len(rows.warnings) == 1 and "ten times off" in rows.warnings[0] and "585" in rows.warnings[0]


def test_a_correction_replaces_the_earlier_value(demo: Store, tmp_path: Path) -> None:
    first = demo.rows("actuals", order="id")[0]
    out = export_workbook(demo, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    ws.cell(2, 4).value = "48,5"  # the first actual, corrected in place
    wb.save(out)
    edits = actual_edits(demo, read_actuals(out, demo))
    assert len(edits) == 1
    demo.apply(edits)
    same = demo.rows("actuals", "metric_id = ? AND date = ?", (first["metric_id"], first["date"]))
    assert [a["value"] for a in same] == [48.5]
    # A second row for the same metric and date, added below: the later row wins, with a warning.
    out = _actuals_book(demo, tmp_path, [(first["metric_id"], None, first["date"], 49)])
    rows = read_actuals(out, demo)
    assert any("replaces row 2" in w for w in rows.warnings)
    demo.apply(actual_edits(demo, rows))
    same = demo.rows("actuals", "metric_id = ? AND date = ?", (first["metric_id"], first["date"]))
    assert [a["value"] for a in same] == [49.0]


@pytest.mark.parametrize(("value", "message"), [
    ("nan", "“nan” is not an ID"),
    ("NaN", "“NaN” is not an ID"),
    ("", "“” is empty"),
])
def test_an_empty_or_nan_id_gets_a_clear_message_and_imports_nothing(demo: Store, tmp_path: Path,
                                                                      value: object, message: str) -> None:
    ldl = demo.rows("metrics")[0]
    out = _actuals_book(demo, tmp_path, [(ldl["id"], ldl["name"], "2027-06-30", 50),
                                         (value, ldl["name"], "2027-07-31", 51)])
    before = demo.rows("actuals")
    with pytest.raises(ImportError_, match=f"column A \\(Metric ID\\): {message}"):
        read_actuals(out, demo)
    assert demo.rows("actuals") == before


def test_a_sheet_and_headings_in_another_case_are_read(demo: Store, tmp_path: Path) -> None:
    ldl = demo.rows("metrics")[0]
    out = _actuals_book(demo, tmp_path, [(ldl["id"], ldl["name"].upper(), "2027-06-30", 50)],
                        sheet="METRIC ACTUALS")
    wb = openpyxl.load_workbook(out)
    ws = wb["METRIC ACTUALS"]
    for c in ws[1]:
        c.value = str(c.value).upper() if c.value else c.value
    wb.save(out)
    assert any(r["date"] == "2027-06-30" for r in read_actuals(out, demo))


# -- participants --------------------------------------------------------------------------------


NAMES = ["Łódź Pharma", "Lodz Pharma", "Ærø Health", "Aero Health", "東京メディカル", "東京メディカル研究所"]


def test_partners_with_non_latin_names_never_merge(store: Store, tmp_path: Path) -> None:
    store.apply([Insert("partners", {"name": n, "stakeholder": "pharma"}) for n in NAMES])
    ids = {p["name"]: p["id"] for p in store.rows("partners")}
    f = tmp_path / "people.csv"
    f.write_text("Name,Organisation,Role\n"
                 "A,łódź pharma,x\nB,LODZ PHARMA,x\nC,ærø health,x\nD,Aero Health,x\n"
                 "E,東京メディカル,x\nF,東京メディカル研究所,x\nG,ＬＯＤＺ　ＰＨＡＲＭＡ,x\n", encoding="utf-8")
    result = read_participants(f, store)
    assert result.problems == []
    got = {r["display_name"]: r["partner_id"] for r in result.rows}
    assert got == {"A": ids["Łódź Pharma"], "B": ids["Lodz Pharma"], "C": ids["Ærø Health"],
                   "D": ids["Aero Health"], "E": ids["東京メディカル"], "F": ids["東京メディカル研究所"],
                   "G": ids["Lodz Pharma"]}  # full-width letters are the same name (NFKC)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_csv_in_every_encoding_spreadsheet_programs_write(store: Store, tmp_path: Path, encoding: str) -> None:
    store.apply([Insert("partners", {"name": "Société Générale Santé", "stakeholder": "payer"})])
    f = tmp_path / "people.csv"
    f.write_bytes("Name;Partner;Role\r\nZoë Ångström;société générale santé;Directrice\r\n".encode(encoding))
    result = read_participants(f, store)
    assert result.rows == [{"display_name": "Zoë Ångström", "partner_id": store.rows("partners")[-1]["id"],
                            "role": "Directrice"}]


def test_undecodable_bytes_get_a_clear_message_not_a_crash(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(b"Name,Role\nAnn,\x81\x8d\x8f\n")  # invalid UTF-8, and undefined in Windows-1252
    with pytest.raises(ImportError_, match=r"“bad.csv” cannot be read as text: byte 15 \(0x81\)"):
        read_participants(f, store)


def test_control_characters_in_an_import_are_removed(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text("Name,Role\nAnn\x0b Lee,Lead\x01\nBob\ufffe,=cmd\n", encoding="utf-8")
    rows = read_participants(f, store).rows
    assert [(r["display_name"], r["role"]) for r in rows] == [("Ann Lee", "Lead"), ("Bob", "=cmd")]


@pytest.mark.parametrize("encoding", ["mac_roman", "utf-8"])
def test_a_macintosh_csv_with_cr_line_endings_imports_as_rows(store: Store, tmp_path: Path, encoding: str) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends each line with a bare CR (and writes Mac Roman):
    it was read as one row."""
    store.apply([Insert("partners", {"name": "Société Générale Santé", "stakeholder": "payer"})])
    f = tmp_path / "people.csv"
    f.write_bytes(("Name,Partner,Role\r"
                   "Zoë Ångström,société générale santé,Directrice\r"
                   'Ann Lee,Société Générale Santé,"Lead,\nclinics"\r'
                   "Bob Ray,Société Générale Santé,Nurse\r").encode(encoding))
    assert f.read_bytes().count(b"\n") == 1  # CR-only, but for the line break inside a cell
    result = read_participants(f, store)
    assert result.problems == []
    partner = store.rows("partners")[-1]["id"]
    assert [(r["display_name"], r["partner_id"], r["role"]) for r in result.rows] == [
        ("Zoë Ångström", partner, "Directrice"), ("Ann Lee", partner, "Lead, clinics"), ("Bob Ray", partner, "Nurse")]
