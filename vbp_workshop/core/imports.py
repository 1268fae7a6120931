"""Imports: participants from .xlsx or .csv, and metric actuals from the exported workbook.

Reading never changes the workshop: it returns rows (and, for participants, the rows it could
not use with the reason). The caller turns them into one undoable batch of edits, so an import
is all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from vbp_workshop.core.export import ACTUALS_HEADERS, ACTUALS_SHEET
from vbp_workshop.core.store import Edit, Insert, Store

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 200


class ImportError_(Exception):  # noqa: N801 - "ImportError" is Python's own
    """The file cannot be imported; the message names the sheet, row and column at fault."""


def _key(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


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


def _table_from_file(path: Path) -> tuple[str, list[list[Any]]]:
    """(where, rows) of the first sheet of a workbook, or of a CSV file."""
    if not path.is_file():
        raise ImportError_(f"“{path.name}” does not exist.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportError_(f"“{path.name}” is larger than 20 MB; split it and import the parts.")
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return "the CSV file", list(csv.reader(io.StringIO(text), dialect))
    wb = _open_workbook(path)
    try:
        ws = wb["Participants"] if "Participants" in wb.sheetnames else wb.worksheets[0]
        return f"sheet “{ws.title}”", [list(r) for r in ws.iter_rows(values_only=True)]
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
    partners = {_key(p["name"]): p["id"] for p in store.rows("partners")}
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
            partner_id = partners.get(_key(partner))
            if partner_id is None:
                out.problems.append(f"Row {n}: “{partner}” is not a partner of this workshop "
                                    "(add it on the Setup page first, or correct the spelling).")
                continue
        if not (name or partner_id or role):
            out.problems.append(f"Row {n}: no name, partner or role.")
            continue
        out.rows.append({"display_name": name, "partner_id": partner_id, "role": role})
    return out


def participant_edits(rows: list[dict[str, Any]]) -> list[Edit]:
    return [Insert("participants", dict(r)) for r in rows]


# -- metric actuals -----------------------------------------------------------------------------


def _as_date(v: Any) -> str | None:
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    try:
        return date.fromisoformat(str(v).strip()).isoformat()
    except ValueError:
        return None


def _as_number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).strip().replace(",", ""))
    except ValueError:
        return None


def read_actuals(path: Path, store: Store) -> list[dict[str, Any]]:
    """Rows (metric_id, date, value, note) from the workbook's actuals sheet; all or nothing."""
    if not path.is_file():
        raise ImportError_(f"“{path.name}” does not exist.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportError_(f"“{path.name}” is larger than 20 MB.")
    wb = _open_workbook(path)
    try:
        if ACTUALS_SHEET not in wb.sheetnames:
            raise ImportError_(f"“{path.name}” has no “{ACTUALS_SHEET}” sheet: is it a workbook "
                               "exported by VBP Workshop?")
        table = [list(r) for r in wb[ACTUALS_SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not table or [_key(h) for h in table[0][:4]] != [_key(h) for h in ACTUALS_HEADERS[:4]]:
        raise ImportError_(f"Sheet “{ACTUALS_SHEET}”, row 1: the headings should be "
                           f"{', '.join(ACTUALS_HEADERS)}. Keep the sheet's headings as exported.")
    metrics = {m["id"]: m["name"] for m in store.rows("metrics")}
    rows, problems = [], []
    letters = "ABCDE"
    for n, row in enumerate(table[1:], start=2):
        row = (row + [None] * 5)[:5]
        if all(v is None or str(v).strip() == "" for v in row[:4]):
            continue
        if row[0] is not None and all(v is None for v in row[1:4]) and not isinstance(row[0], int | float):
            continue  # the instruction line under the table
        where = f"Sheet “{ACTUALS_SHEET}”, row {n}"
        mid = _as_number(row[0])
        if mid is None or mid != int(mid) or int(mid) not in metrics:
            problems.append(f"{where}, column {letters[0]} (Metric ID): “{row[0]}” is not a metric of this workshop.")
            continue
        if row[1] and _key(row[1]) != _key(metrics[int(mid)]):
            problems.append(f"{where}, column {letters[1]} (Metric): “{row[1]}” does not match metric "
                            f"{int(mid)} here (“{metrics[int(mid)]}”). Is the workbook from another workshop?")
            continue
        day = _as_date(row[2])
        if day is None:
            problems.append(f"{where}, column {letters[2]} (Date): “{row[2]}” is not a date (use YYYY-MM-DD).")
            continue
        value = _as_number(row[3])
        if value is None:
            problems.append(f"{where}, column {letters[3]} (Actual value): “{row[3]}” is not a number.")
            continue
        note = "" if row[4] is None else str(row[4])[:MAX_TEXT]
        rows.append({"metric_id": int(mid), "date": day, "value": value, "note": note})
    if problems:
        more = f"\n… and {len(problems) - 10} more." if len(problems) > 10 else ""
        raise ImportError_("Nothing was imported. Correct these in the workbook and import again:\n"
                           + "\n".join(problems[:10]) + more)
    return rows


def actual_edits(store: Store, rows: list[dict[str, Any]]) -> list[Edit]:
    """Inserts for the rows not already in the workshop (same metric, date and value)."""
    have = {(a["metric_id"], a["date"], a["value"]) for a in store.rows("actuals")}
    out: list[Edit] = []
    for r in rows:
        k = (r["metric_id"], r["date"], r["value"])
        if k not in have:
            have.add(k)
            out.append(Insert("actuals", r))
    return out
