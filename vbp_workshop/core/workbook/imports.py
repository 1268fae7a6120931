"""Imports: participants from .xlsx or .csv, and metric actuals from the exported workbook.

Reading never changes the workshop: it returns rows (and, for participants, the rows it could
not use with the reason; for actuals, warnings to confirm). The caller turns them into one
undoable batch of edits, so an import is all or nothing.

Every text read is cleaned with `text.clean_text`; names are matched with `text.name_key`
(Unicode-aware: "Łódź Pharma", "Ærø Health" and "東京メディカル" stay distinct); numbers, dates
and IDs are read by the one rule in `numbers`. A CSV file may be UTF-8 (with or without a byte
order mark), UTF-16 or Windows-1252; sheet names and headings are matched without case.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Insert, Update
from vbp_workshop.core.model.numbers import (
    NumberError,
    decimal_style,
    parse_date,
    parse_id,
    parse_number,
    ten_times_off,
)
from vbp_workshop.core.model.text import clean_text, name_key
from vbp_workshop.core.workbook.export import ACTUALS_HEADERS, ACTUALS_SHEET

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 200


class ImportError_(Exception):  # noqa: N801 - "ImportError" is Python's own
    """The file cannot be imported; the message names the sheet, row and column at fault."""


def _key(text: Any) -> str:
    """A column heading's key: "Full Name", "full_name" and "FULL NAME" are one heading."""
    return re.sub(r"[\W_]", "", name_key(str(text or "")))


def _decode(raw: bytes, name: str) -> str:
    """The text of a CSV file: UTF-16 (by its byte order mark, or by its NUL bytes), UTF-8
    with or without a byte order mark, else Windows-1252 — or Mac Roman for a file whose lines
    end in a bare CR (Excel for Mac's "Macintosh CSV"); undecodable bytes are refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif raw[1:200:2].count(0) > len(raw[1:200:2]) // 2:
        encodings = ["utf-16-le"]  # UTF-16 without a byte order mark: every other byte is NUL
    elif raw[0:200:2].count(0) > len(raw[0:200:2]) // 2:
        encodings = ["utf-16-be"]
    elif raw.count(b"\r") - raw.count(b"\r\n") > raw.count(b"\n"):  # lines end in a bare CR
        encodings = ["utf-8-sig", "mac_roman"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    problem: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            problem = problem or exc
    assert problem is not None
    raise ImportError_(f"“{name}” cannot be read as text: byte {problem.start + 1} (0x{raw[problem.start]:02X}) "
                       "is not UTF-8, UTF-16 or Windows-1252. Save it from your spreadsheet program as "
                       "“CSV UTF-8” and import it again.")


PARTICIPANT_COLUMNS = {
    "display_name": {"name", "displayname", "participant", "fullname", "participantname", "person"},
    "partner": {"partner", "organisation", "organization", "org", "company", "partnerorganisation",
                "employer", "organisationname"},
    "role": {"role", "jobtitle", "title", "position", "job"},
}


@dataclass
class ParticipantRows:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Rows held back only because their organisation is not a partner yet, by that name as
    # written: the facilitator can add it as a partner and import them in the same step.
    unknown_partners: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _table_from_file(path: Path) -> tuple[str, list[list[Any]]]:
    """(where, rows) of the first sheet of a workbook, or of a CSV file."""
    if not path.is_file():
        raise ImportError_(f"“{path.name}” does not exist.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportError_(f"“{path.name}” is larger than 20 MB; split it and import the parts.")
    if path.suffix.lower() == ".csv":
        # Lines end in CRLF (Windows), LF, or a bare CR (Excel for Mac's "Macintosh CSV", which
        # the csv module would read as one row): every one becomes LF. A line break inside a
        # cell is LF in all of them, and stays inside its quotes.
        text = clean_text(_decode(path.read_bytes(), path.name).replace("\r\n", "\n").replace("\r", "\n"))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return "the CSV file", list(csv.reader(io.StringIO(text), dialect))
    wb = _open_workbook(path)
    try:
        ws = _sheet(wb, "Participants") or wb.worksheets[0]
        return f"sheet “{ws.title}”", [[clean_text(v) if isinstance(v, str) else v for v in r]
                                       for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportError_(f"“{path.name}” is not an Excel workbook (.xlsx) that can be read: {exc}") from None


def read_participants(path: Path, store: Store) -> ParticipantRows:
    where, table = _table_from_file(path)
    rows = [r for r in table if any(str(v or "").strip() for v in r)]
    if not rows:
        raise ImportError_(f"{where.capitalize()} is empty.")
    header = [_key(h) for h in rows[0]]
    columns: dict[str, int] = {}
    for field_, names in PARTICIPANT_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names and field_ not in columns:
                columns[field_] = i
    if not columns:
        raise ImportError_(f"No column in the first row of {where} is a participant column. "
                           "Name the columns Name, Partner (or Organisation) and Role.")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportError_(f"{where.capitalize()} has {len(rows) - 1} rows; "
                           f"at most {MAX_ROWS} can be imported at once.")
    partners = {name_key(p["name"]): p["id"] for p in store.rows("partners")}
    out = ParticipantRows()
    for n, row in enumerate(table[table.index(rows[0]) + 1:], start=table.index(rows[0]) + 2):
        if not any(str(v or "").strip() for v in row):
            continue

        def cell(f: str, row: list[Any] = row) -> str:
            i = columns.get(f)
            return " ".join(str(row[i]).split()) if i is not None and i < len(row) and row[i] is not None else ""

        name, partner, role = cell("display_name"), cell("partner"), cell("role")
        if len(name) > MAX_TEXT or len(role) > MAX_TEXT:
            out.problems.append(f"Row {n}: a value is longer than {MAX_TEXT} characters.")
            continue
        partner_id = None
        if partner:
            partner_id = partners.get(name_key(partner))
            if partner_id is None:
                out.problems.append(f"Row {n}: “{partner}” is not a partner of this workshop "
                                    "(add it on the Setup page first, or correct the spelling).")
                out.unknown_partners.setdefault(partner, []).append({"display_name": name, "role": role, "row": n})
                continue
        if not (name or partner_id or role):
            out.problems.append(f"Row {n}: no name, partner or role.")
            continue
        out.rows.append({"display_name": name, "partner_id": partner_id, "role": role})
    return out


def participant_edits(rows: list[dict[str, Any]]) -> list[Edit]:
    return [Insert("participants", dict(r)) for r in rows]


# -- metric actuals -----------------------------------------------------------------------------


def _sheet(wb: Any, title: str) -> Any:
    """The sheet called `title`, matched without case or spacing differences, or None."""
    for name in wb.sheetnames:
        if name_key(name) == name_key(title):
            return wb[name]
    return None


class ActualRows(list[dict[str, Any]]):
    """The rows to import (a list, as before) and the warnings to confirm before importing:
    values ten times off their metric's baseline–target range, and rows a later row replaced."""

    def __init__(self, rows: list[dict[str, Any]], warnings: list[str]) -> None:
        super().__init__(rows)
        self.warnings = warnings


def read_actuals(path: Path, store: Store) -> ActualRows:
    """Rows (metric_id, date, value, note) from the workbook's actuals sheet; all or nothing."""
    if not path.is_file():
        raise ImportError_(f"“{path.name}” does not exist.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportError_(f"“{path.name}” is larger than 20 MB.")
    wb = _open_workbook(path)
    try:
        ws = _sheet(wb, ACTUALS_SHEET)
        if ws is None:
            raise ImportError_(f"“{path.name}” has no “{ACTUALS_SHEET}” sheet: is it a workbook "
                               "exported by VBP Workshop?")
        sheet = ws.title
        # Cells, not values: a value typed as "58%" in Excel is 0.58 with a percent format.
        table = [[(c.value, "%" in str(getattr(c, "number_format", "") or "")) for c in r]
                 for r in ws.iter_rows()]
    finally:
        wb.close()
    if not table or [_key(h) for h, _ in table[0][:4]] != [_key(h) for h in ACTUALS_HEADERS[:4]]:
        raise ImportError_(f"Sheet “{sheet}”, row 1: the headings should be "
                           f"{', '.join(ACTUALS_HEADERS)}. Keep the sheet's headings as exported.")
    metrics = {m["id"]: m for m in store.rows("metrics")}
    style = decimal_style(r[3][0] for r in table[1:] if len(r) > 3)
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    row_of: dict[tuple[int, str], int] = {}
    problems: list[str] = []
    warnings: list[str] = []
    letters = "ABCDE"
    for n, cells in enumerate(table[1:], start=2):
        cells = (cells + [(None, False)] * 5)[:5]
        row = [clean_text(v) if isinstance(v, str) else v for v, _ in cells]
        if all(v is None or str(v).strip() == "" for v in row[:4]):
            continue
        if isinstance(row[0], str) and all(v is None for v in row[1:4]) and len(row[0]) > 40:
            continue  # the instruction line under the table
        where = f"Sheet “{sheet}”, row {n}"
        try:
            mid = parse_id(row[0])
        except NumberError as exc:
            problems.append(f"{where}, column {letters[0]} (Metric ID): “{_show(row[0])}” {exc}.")
            continue
        if mid not in metrics:
            problems.append(f"{where}, column {letters[0]} (Metric ID): “{mid}” is not a metric of this workshop.")
            continue
        metric = metrics[mid]
        if row[1] and name_key(str(row[1])) != name_key(metric["name"]):
            problems.append(f"{where}, column {letters[1]} (Metric): “{_show(row[1])}” does not match metric "
                            f"{mid} here (“{metric['name']}”). Is the workbook from another workshop?")
            continue
        try:
            day = parse_date(row[2])
        except NumberError as exc:
            problems.append(f"{where}, column {letters[2]} (Date): “{_show(row[2])}” {exc}.")
            continue
        try:
            value = parse_number(row[3], metric["unit"] or "", percent_format=cells[3][1], style=style)
        except NumberError as exc:
            problems.append(f"{where}, column {letters[3]} (Actual value): “{_show(row[3])}” {exc}.")
            continue
        if ten_times_off(value, metric["baseline_value"], metric["target_value"]):
            warnings.append(f"{where}: {value:g} for “{metric['name']}” is more than ten times off its "
                            f"baseline ({metric['baseline_value']}) and target ({metric['target_value']}). "
                            "Is it right?")
        note = "" if row[4] is None else str(row[4])[:MAX_TEXT]
        key = (mid, day)
        if key in rows and rows[key]["value"] != value:
            warnings.append(f"{where} replaces row {row_of[key]}: both give “{metric['name']}” on {day}.")
        rows[key] = {"metric_id": mid, "date": day, "value": value, "note": note}
        row_of[key] = n
    if problems:
        more = f"\n… and {len(problems) - 10} more." if len(problems) > 10 else ""
        raise ImportError_("Nothing was imported. Correct these in the workbook and import again:\n"
                           + "\n".join(problems[:10]) + more)
    return ActualRows(list(rows.values()), warnings)


def _show(v: Any) -> str:
    text = "" if v is None else str(v)
    return text if len(text) <= 60 else text[:59] + "…"


def actual_edits(store: Store, rows: list[dict[str, Any]]) -> list[Edit]:
    """Inserts for new values; a value for a metric and date already recorded replaces it
    (a correction), and one equal to it changes nothing."""
    have = {(a["metric_id"], a["date"]): a for a in store.rows("actuals", order="id")}
    out: list[Edit] = []
    for r in rows:
        old = have.get((r["metric_id"], r["date"]))
        if old is None:
            out.append(Insert("actuals", dict(r)))
            have[(r["metric_id"], r["date"])] = {**r, "id": None}
        elif old["value"] != r["value"] or (r["note"] and r["note"] != old["note"]):
            if old["id"] is None:
                continue
            out.append(Update("actuals", old["id"], {"value": r["value"], "note": r["note"] or old["note"]}))
    return out
