"""The outcome workbook: a Summary first, a sheet per step, poll results with native charts,
the raw anonymous votes, and an audit sheet whose checksums let anyone verify the raw votes.

Written with openpyxl's write-only mode (streamed, fast for 50 000 votes). Each sheet is
buffered as rows first so column widths can be fitted before the rows are streamed out.

Checksum (documented on the Audit sheet): for one poll, take its rows on the Raw votes sheet
in order of (round, ballot id); for each row join these seven fields with a TAB:
poll id, round, ballot id, answer (JSON), group, source, count — numbers in plain decimal,
text as is; join the lines with LF; SHA-256 of the UTF-8 bytes, in lower-case hex.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vbp_workshop.core.analysis import investment_balance, raci_problems, rag
from vbp_workshop.core.domain import (
    ACTION_KINDS,
    ACTION_STATUSES,
    ALIGNMENT_CHOICES,
    BARRIER_KINDS,
    CONTRIBUTION_LEVELS,
    DECISIONS,
    DIRECTIONS,
    METRIC_TYPES,
    RESOURCES,
    RULE_CATEGORIES,
    STAKEHOLDER_LABELS,
    STEP_TITLES,
    Stakeholder,
)
from vbp_workshop.core.polls import AGREEMENT_LABELS, KINDS, PRIVACY, Poll
from vbp_workshop.core.store import Row, Store
from vbp_workshop.core.summary import summarize
from vbp_workshop.core.tally import Tally, group_ballots, tally
from vbp_workshop.core.template import load_template

GROUP_LABELS = {**{s.value: STAKEHOLDER_LABELS[s] for s in Stakeholder}, "other": "Other (merged)",
                "": "Not given"}
METRICS_SHEET = "Metrics"
ACTUALS_SHEET = "Metric actuals"
ACTUALS_HEADERS = ["Metric ID", "Metric", "Date (YYYY-MM-DD)", "Actual value", "Note"]
RAG_FILL = {"green": "1B7F3B", "amber": "B86E00", "red": "C0262D", "grey": "6B7280"}
NAVY = "12355B"


class ExportError(Exception):
    """The workbook could not be written; the message says why and what to do."""


def checksum(lines: Sequence[Sequence[Any]]) -> str:
    """SHA-256 over the canonical form of one poll's raw-vote rows (see the module docstring)."""
    text = "\n".join("\t".join(_canon(v) for v in line) for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def readable_answer(poll: Poll, answer: Any) -> str:
    """An answer as a person reads it: option names rather than numbers."""
    o = poll.options

    def name(i: Any) -> str:
        i = int(i)
        return o[i] if 0 <= i < len(o) else f"#{i}"

    k = poll.kind
    if k == "single":
        return name(answer)
    if k == "multiple":
        return "; ".join(name(i) for i in answer)
    if k == "ranking":
        return "; ".join(f"{n}. {name(i)}" for n, i in enumerate(answer, 1))
    if k == "points":
        return "; ".join(f"{name(i)}: {v}" for i, v in answer.items())
    if k == "agreement":
        return "; ".join(f"{name(i)}: {AGREEMENT_LABELS[int(v) - 1]}" for i, v in answer.items())
    if k in ("matrix", "importance"):
        a, b = ("importance", "satisfaction") if k == "importance" else ("x", "y")
        return "; ".join(f"{name(i)}: {a}={v[0]}, {b}={v[1]}" for i, v in answer.items())
    return str(answer)


# -- a buffered write-only sheet ---------------------------------------------------------------


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
        headers = _unique([str(h) for h in headers])
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


def _unique(names: list[str]) -> list[str]:
    """Excel table headers must differ: add a counter to repeats."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n or "Column"
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _bulk_table(sheet: Sheet, name: str, headers: Sequence[str], rows: list[list[Any]]) -> None:
    """A table whose header is an ordinary row and whose data rows are streamed in bulk."""
    from openpyxl.utils import get_column_letter

    headers = _unique([str(h) for h in headers])
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


def _splice_bulk(path: Path, parts: list[tuple[str, Sheet]]) -> None:
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


def _partner_names(store: Store) -> dict[int, str]:
    return {p["id"]: p["name"] for p in store.rows("partners")}


def summary_sheet(store: Store) -> Sheet:
    s = summarize(store)
    w = s.workshop
    sh = Sheet("Summary", landscape=False, max_width=90)
    sh.heading(w.get("partnership") or w.get("title") or "Workshop")
    sh.add([w.get("title", "")], "note")
    sh.blank()
    for label, key in [("Workshop", "title"), ("Partnership", "partnership"),
                       ("Care pathway / challenge", "pathway"), ("Date", "date"), ("Venue", "venue"),
                       ("Facilitator", "facilitator")]:
        sh.kv(label, w.get(key, ""))
    sh.blank()
    sh.heading("Shared ambition", 2)
    r = sh.add([s.ambition or "Not chosen yet"])
    sh.styles[(r, 1)] = "wrap"
    sh.blank()
    sh.heading("Partners", 2)
    align = {p: (st, note) for p, st, note in s.alignment}
    sh.table("SummaryPartners", ["Partner", "Stakeholder type", "Signs up to the ambition", "Note"],
             [[n, k, ALIGNMENT_CHOICES.get(align.get(n, ("", ""))[0], ""), align.get(n, ("", ""))[1]]
              for n, k in s.partners], wrap=(4,))
    sh.blank()
    sh.heading("Rules", 2)
    sh.table("SummaryRules", ["Rule", "Consent result"], [[t, c or "No consent vote yet"] for t, c in s.rules],
             wrap=(1,))
    sh.blank()
    sh.heading("Pilots chosen", 2)
    sh.table("SummaryPilots", ["Pilot", "Success definition"], [list(p) for p in s.pilots], wrap=(2,))
    sh.blank()
    sh.heading("Metrics", 2)
    first, _ = sh.table("SummaryMetrics", ["Metric", "Status", "Why"],
                        [[m, st.capitalize() if st != "grey" else "No data", why] for m, st, why in s.metrics])
    for i, (_m, st, _why) in enumerate(s.metrics, 1):
        sh.fills[(first + i, 2)] = RAG_FILL[st]
    if s.decision:
        sh.blank()
        sh.kv("Decision (step 5)", DECISIONS.get(s.decision, s.decision))
    sh.blank()
    sh.heading("Decisions", 2)
    sh.table("SummaryDecisions", ["Decision", "By"], [list(d) for d in s.decisions], wrap=(1,))
    sh.blank()
    sh.heading("Open actions", 2)
    sh.table("SummaryActions", ["Action", "Owner", "Due"], [list(a) for a in s.open_actions], wrap=(1,))
    sh.blank()
    sh.add(["Steps"], "h2")
    for title, status in s.steps:
        sh.kv(title, status)
    sh.widths = {1: 48, 2: 40, 3: 26, 4: 40}
    return sh


def step1_sheet(store: Store) -> Sheet:
    names = _partner_names(store)
    sh = Sheet("1 Ambition")
    sh.heading(f"Step 1 · {STEP_TITLES[1]}")
    sh.blank()
    sh.heading("Each partner's own goals", 2)
    sh.table("Goals", ["Partner", "Stakeholder type", "Goals"],
             [[p["name"], GROUP_LABELS.get(p["stakeholder"], p["stakeholder"]), p["goals"]]
              for p in store.rows("partners")], wrap=(3,))
    sh.blank()
    sh.heading("Candidate ambition statements", 2)
    sh.table("Ambitions", ["Statement", "Chosen"],
             [[a["text"], "Yes" if a["chosen"] else ""] for a in store.rows("ambitions")], wrap=(1,))
    sh.blank()
    sh.heading("Alignment check", 2)
    sh.table("Alignment", ["Partner", "Can sign up", "Note"],
             [[names.get(a["partner_id"], ""), ALIGNMENT_CHOICES.get(a["status"], a["status"]), a["note"]]
              for a in store.rows("alignment")], wrap=(3,))
    sh.widths = {1: 60, 2: 28, 3: 70}
    return sh


def step2_sheet(store: Store) -> Sheet:
    sh = Sheet("2 Trust")
    sh.heading(f"Step 2 · {STEP_TITLES[2]}")
    sh.blank()
    sh.heading("Contributions (0 none · 1 some · 2 significant · 3 major)", 2)
    cells = {(c["partner_id"], c["resource"]): c for c in store.rows("contributions")}
    balance = investment_balance(store)
    rows = []
    for p in store.rows("partners"):
        levels = [int((cells.get((p["id"], r)) or {}).get("level") or 0) for r in RESOURCES]
        rows.append([p["name"], *levels, sum(levels), balance.shares.get(p["name"], 0.0)])
    sh.table("Contributions", ["Partner", *[r.capitalize() for r in RESOURCES], "Total", "Share"], rows,
             formats={7: "0%"})
    sh.add([("Balanced: " if balance.balanced else "Flag: ") + balance.message], "label")
    notes = [[(store.row("partners", c["partner_id"]) or {}).get("name", ""), c["resource"].capitalize(),
              CONTRIBUTION_LEVELS.get(c["level"], ""), c["note"]] for c in store.rows("contributions") if c["note"]]
    if notes:
        sh.blank()
        sh.table("ContributionNotes", ["Partner", "Resource", "Level", "What"], notes, wrap=(4,))
    sh.blank()
    sh.heading("Barriers", 2)
    sh.table("Barriers", ["Kind", "Barrier", "What would help"],
             [[BARRIER_KINDS.get(b["kind"], b["kind"]), b["text"], b["note"]] for b in store.rows("barriers")],
             wrap=(2, 3))
    sh.blank()
    sh.kv("Risk appetite", store.step_fields(2).get("risk_appetite", ""))
    sh.widths = {1: 42, 2: 44, 3: 40}
    return sh


def step3_sheet(store: Store) -> Sheet:
    partners = store.rows("partners")
    sh = Sheet("3 Rules")
    sh.heading(f"Step 3 · {STEP_TITLES[3]}")
    sh.blank()
    sh.heading("Roles (RACI): Responsible, Accountable (exactly one), Consulted, Informed", 2)
    raci = {(c["activity_id"], c["partner_id"]): c["role"] for c in store.rows("raci")}
    problems = raci_problems(store)
    sh.table("RACI", ["Activity", *[p["name"] for p in partners], "Check"],
             [[a["name"], *[raci.get((a["id"], p["id"]), "") for p in partners],
               problems.get(a["id"], "One Accountable")] for a in store.rows("activities")])
    sh.blank()
    sh.heading("Rules and their consent votes (adopted when nobody is below 3)", 2)
    sh.table("Rules", ["Area", "Rule", "Consent result"],
             [[RULE_CATEGORIES.get(r["category"], r["category"]), r["text"], r["consent"] or "No vote yet"]
              for r in store.rows("rules")], wrap=(2, 3))
    sh.blank()
    sh.kv("How decisions are made", store.step_fields(3).get("decision_rules", ""))
    sh.blank()
    sh.heading("Common language", 2)
    sh.table("Glossary", ["Term", "Meaning"], [[g["term"], g["meaning"]] for g in store.rows("glossary")],
             wrap=(2,))
    sh.blank()
    sh.heading("Expected timeline", 2)
    sh.table("Timeline", ["Milestone", "Date"], [[m["what"], _date(m["date"])] for m in store.rows("milestones")],
             formats={2: "yyyy-mm-dd"})
    sh.blank()
    sh.heading("UK joint-working checklist", 2)
    sh.add([load_template()["disclaimer"]], "note")
    state = store.step_fields(3).get("joint_working", {})
    sh.table("JointWorking", ["Item", "Source", "Done"],
             [[i["text"], i["source"], "Yes" if state.get(i["key"]) else "Not yet"]
              for i in load_template()["joint_working"]], wrap=(1,))
    sh.widths = {1: 50, 2: 40, 3: 30}
    return sh


def _date(s: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return s


def step4_sheets(store: Store) -> list[Sheet]:
    sh = Sheet("4 Pilots")
    sh.heading(f"Step 4 · {STEP_TITLES[4]}")
    sh.blank()
    sh.table("Pilots", ["Pilot", "Description", "Impact (1–5)", "Effort (1–5)", "Chosen", "Success definition"],
             [[p["name"], p["description"], p["impact"], p["effort"], "Yes" if p["chosen"] else "",
               p["success"]] for p in store.rows("pilots")], formats={3: "0.0", 4: "0.0"}, wrap=(2, 6))
    sh.widths = {1: 40, 2: 44, 6: 50}
    pilots = {p["id"]: p["name"] for p in store.rows("pilots")}
    m = Sheet(METRICS_SHEET, freeze="C2", print_rows="1:1")
    m.table("MetricRegister",
            ["Metric ID", "Metric", "Pilot", "Definition", "Type", "Unit", "Numerator", "Denominator",
             "Direction", "Baseline", "Baseline date", "Target", "Target date", "Data source",
             "Frequency", "Owner"],
            [[x["id"], x["name"], pilots.get(x["pilot_id"], ""), x["definition"],
              METRIC_TYPES.get(x["type"], x["type"]), x["unit"], x["numerator"], x["denominator"],
              DIRECTIONS.get(x["direction"], x["direction"]), x["baseline_value"], _date(x["baseline_date"]),
              x["target_value"], _date(x["target_date"]), x["source"], x["frequency"], x["owner"]]
             for x in store.rows("metrics")],
            formats={11: "yyyy-mm-dd", 13: "yyyy-mm-dd"})
    m.max_width = 40
    a = Sheet(ACTUALS_SHEET, freeze="A2", print_rows="1:1")
    names = {x["id"]: x["name"] for x in store.rows("metrics")}
    rows = [[x["metric_id"], names.get(x["metric_id"], ""), _date(x["date"]), x["value"], x["note"]]
            for x in store.rows("actuals", order="metric_id, date, id")]
    a.table("MetricActuals", ACTUALS_HEADERS, rows, formats={3: "yyyy-mm-dd"})
    a.add([])
    a.add(["Partners: add a row per new value (Metric ID from the Metrics sheet, date, value), "
           "then give the workbook back to the facilitator to import. Keep the column headings."], "note")
    a.widths = {1: 11, 2: 44, 3: 18, 4: 14, 5: 40}
    return [sh, m, a]


def step5_sheet(store: Store) -> Sheet:
    sh = Sheet("5 Evaluation")
    sh.heading(f"Step 5 · {STEP_TITLES[5]}")
    sh.blank()
    actuals: dict[int, list[Row]] = {}
    for a in store.rows("actuals"):
        actuals.setdefault(a["metric_id"], []).append(a)
    rows, statuses = [], []
    for m in store.rows("metrics"):
        r = rag(m, actuals.get(m["id"], []))
        rows.append([m["name"], m["unit"], m["baseline_value"], m["target_value"], r.latest, r.progress,
                     r.status.capitalize() if r.status != "grey" else "No data", r.reason])
        statuses.append(r.status)
    first, _ = sh.table("Results", ["Metric", "Unit", "Baseline", "Target", "Latest", "Progress", "Status", "Why"],
                        rows, formats={6: "0%"})
    for i, st in enumerate(statuses, 1):
        sh.fills[(first + i, 7)] = RAG_FILL[st]
    sh.blank()
    sh.heading("Lessons learned", 2)
    sh.table("Lessons", ["Lesson"], [[x["text"]] for x in store.rows("lessons")], wrap=(1,))
    sh.blank()
    f = store.step_fields(5)
    sh.kv("Decision", DECISIONS.get(f.get("decision", ""), ""))
    sh.kv("Rationale", f.get("rationale", ""))
    sh.kv("Share the success", f.get("case_study", ""))
    sh.widths = {1: 44, 2: 60, 8: 44}
    return sh


def actions_sheet(store: Store) -> Sheet:
    sh = Sheet("Decisions and actions", freeze="A2", print_rows="1:1")
    steps = {0: "Whole workshop", **{k: f"{k}. {v}" for k, v in STEP_TITLES.items()}}
    sh.table("Actions", ["Kind", "Step", "What", "Owner", "Due", "Status"],
             [[ACTION_KINDS.get(a["kind"], a["kind"]), steps.get(a["step"], ""), a["what"], a["owner"],
               _date(a["due"]), ACTION_STATUSES.get(a["status"], a["status"])] for a in store.rows("actions")],
             formats={5: "yyyy-mm-dd"}, wrap=(3,))
    sh.widths = {3: 60}
    return sh


def participants_sheet(store: Store, include_names: bool) -> Sheet:
    names = _partner_names(store)
    sh = Sheet("Participants", freeze="A2", print_rows="1:1")
    rows = [[(p["display_name"] or f"Participant {i:03d}") if include_names else f"Participant {i:03d}",
             names.get(p["partner_id"], ""), p["role"]] for i, p in enumerate(store.rows("participants"), 1)]
    sh.table("Participants", ["Participant" if include_names else "Participant (pseudonymised)", "Partner", "Role"],
             rows)
    return sh


def agenda_sheet(store: Store) -> Sheet:
    sh = Sheet("Agenda", freeze="A2")
    sh.table("Agenda", ["Item", "Step", "Planned (min)", "Actual (min)", "Notes"],
             [[a["title"], a["step"] or "", a["planned_min"], a["actual_min"], a["notes"]]
              for a in store.rows("agenda")])
    return sh


# -- polls: results with charts, raw votes, audit --------------------------------------------------------


def _poll_sheets(store: Store, progress: Callable[[float], None]) -> list[Sheet]:
    from openpyxl.chart import BarChart, Reference, ScatterChart, Series

    min_size = int(store.workshop().get("min_group_size") or 3)
    results = Sheet("Poll results", landscape=True)
    results.heading("Poll results")
    results.add(["Each poll's latest round, with a chart; groups with fewer than "
                 f"{min_size} respondents are merged into “other” (or left out if still too few)."], "note")
    raw = Sheet("Raw votes", freeze="A2", print_rows="1:1", max_width=50)
    raw_headers = ["Poll ID", "Round", "Ballot ID", "Answer (JSON)", "Group", "Source", "Count",
                   "Step", "Question", "Answer", "Time"]
    raw_rows: list[list[Any]] = []
    audit = Sheet("Audit", freeze="A2", print_rows="1:1")
    audit_rows: list[list[Any]] = []
    rounds = {(r["poll_id"], r["round"]): r for r in store.rows("poll_rounds")}
    all_polls = store.rows("polls", order="step, pos, id")
    by_poll: dict[int, list[Row]] = {}
    for b in store.conn.execute("SELECT * FROM ballots ORDER BY poll_id, round, id"):
        row = dict(b)
        row["parsed"] = json.loads(row["answer"])  # parsed once; the tallies use it as it is
        by_poll.setdefault(b["poll_id"], []).append(row)
    n_polls = max(1, len(all_polls))
    for i, prow in enumerate(all_polls):
        poll = Poll.from_row(prow)
        ballots = by_poll.get(poll.id, [])
        lines = []
        for b in ballots:
            group = GROUP_LABELS.get(b["grp"], b["grp"])
            raw_rows.append([poll.id, b["round"], b["id"], b["answer"], group, b["source"], b["weight"],
                             poll.step or "", poll.question, readable_answer(poll, b["parsed"]), b["updated_at"]])
            lines.append([poll.id, b["round"], b["id"], b["answer"], group, b["source"], b["weight"]])
        latest_tally = None
        for rnd in range(1, poll.round + 1):
            rb = [b for b in ballots if b["round"] == rnd]
            info = rounds.get((poll.id, rnd), {})
            t = tally(poll, rb)
            if rnd == poll.round:
                latest_tally = t
            audit_rows.append([poll.id, rnd, poll.step or "", poll.question, KINDS[poll.kind],
                               PRIVACY.get(poll.privacy, poll.privacy), info.get("opened_at", ""),
                               info.get("closed_at", ""), t.respondents, t.by_source.get("phone", 0),
                               t.by_source.get("hand", 0), len(rb),
                               checksum([x for x in lines if x[1] == rnd])])
        latest = [b for b in ballots if b["round"] == poll.round]
        if latest and latest_tally is not None:
            _poll_block(results, poll, latest_tally, group_ballots(latest, min_size)
                        if poll.privacy != "anonymous_nogroup" else {}, BarChart, ScatterChart, Reference, Series)
        progress(0.2 + 0.5 * (i + 1) / n_polls)
    _bulk_table(raw, "RawVotes", raw_headers, raw_rows)
    raw.widths = {1: 8, 2: 7, 3: 10, 4: 30, 5: 22, 6: 8, 7: 7, 8: 6, 9: 40, 10: 40, 11: 24}
    audit.table("Audit", ["Poll ID", "Round", "Step", "Question", "Type", "Privacy mode", "Opened",
                          "Closed", "Turnout", "Phone", "Hand", "Ballots", "SHA-256 of raw votes"], audit_rows)
    audit.add([])
    audit.add(["How to verify: take the poll's rows on the Raw votes sheet in order of Round, then "
               "Ballot ID; join Poll ID, Round, Ballot ID, Answer (JSON), Group, Source and Count with "
               "a TAB; join the rows with a line feed; the SHA-256 of those UTF-8 bytes, in lower-case "
               "hex, must equal the checksum above."], "note")
    audit.widths = {4: 50, 7: 24, 8: 24, 13: 66}
    return [results, raw, audit]


def _poll_block(sh: Sheet, poll: Poll, t: Tally, groups: dict[str, list[Row]],
                BarChart: Any, ScatterChart: Any, Reference: Any, Series: Any) -> None:  # noqa: N803
    sh.blank()
    top = sh.next_row
    sh.heading(f"Step {poll.step or '–'} · {poll.question}", 2)
    sources = ", ".join(f"{n} {s}" for s, n in sorted(t.by_source.items()))
    sh.add([f"{KINDS[poll.kind]} · round {poll.round} · {t.respondents} responses ({sources}) · "
            f"{PRIVACY.get(poll.privacy, poll.privacy)}"], "note")
    chart: Any = None
    name = f"Poll{poll.id}"
    k = poll.kind
    if k in ("single", "multiple", "points", "ranking"):
        value = {"points": "Points", "ranking": "Borda score"}.get(k, "Answers")
        first, last = sh.table(name, ["Option", value, "Share"],
                               [[o, c, (p / 100 if t.percents else None)] for o, c, p in
                                zip(poll.options, t.counts, t.percents or [0] * len(t.counts), strict=True)],
                               formats={3: "0%"})
        chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=True)
    elif k in ("scale", "fist"):
        first, last = sh.table(name, ["Answer", "Count", "Share"],
                               [[lv, c, p / 100] for lv, c, p in zip(t.levels, t.counts, t.percents, strict=True)],
                               formats={3: "0%"})
        sh.add(["Mean", round(t.mean, 2) if t.mean is not None else None])
        sh.add(["Median", t.median])
        if k == "fist":
            sh.add(["Consensus (all ≥ 3)", "Yes" if t.consensus else "No", f"{t.below_three} below 3"])
        chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=False)
    elif k == "agreement":
        rows = [[o, *row, m, (s or 0) / 100] for o, row, m, s in
                zip(poll.options, t.distribution, t.means, t.share_agreeing, strict=True)]
        first, last = sh.table(name, ["Statement", *AGREEMENT_LABELS, "Mean", "Agreeing"], rows,
                               formats={7: "0.00", 8: "0%"})
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
        chart.add_data(Reference(sh, min_col=2, max_col=6, min_row=first, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sh, min_col=1, min_row=first + 1, max_row=last))
        chart.y_axis.title = "share of answers"
        for s, colour in zip(chart.series, ["B2182B", "EF8A62", "BDBDBD", "67A9CF", "2166AC"], strict=False):
            s.graphicalProperties.solidFill = colour
    elif k in ("matrix", "importance"):
        xl, yl = ("Importance", "Satisfaction") if k == "importance" else (
            poll.settings.get("x_label", "Effort"), poll.settings.get("y_label", "Impact"))
        rows = [[o, p[0] if p else None, p[1] if p else None, sp] for o, p, sp in
                zip(poll.options, t.points, t.spreads, strict=True)]
        if k == "importance":
            rows = [[*r, g] for r, g in zip(rows, t.means, strict=True)]
        first, last = sh.table(name, ["Item", f"{xl} (mean)", f"{yl} (mean)", "Spread (SD)",
                                      *(["Gap"] if k == "importance" else [])], rows,
                               formats={2: "0.00", 3: "0.00", 4: "0.00", 5: "0.00"})
        chart = ScatterChart()
        chart.style = 13
        chart.x_axis.title, chart.y_axis.title = xl, yl
        lo, hi = poll.scale_range
        for ax in (chart.x_axis, chart.y_axis):
            ax.scaling.min, ax.scaling.max = lo, hi
            ax.delete = False
        for r in range(first + 1, last + 1):
            series = Series(Reference(sh, min_col=3, min_row=r), Reference(sh, min_col=2, min_row=r),
                            title_from_data=False)
            from openpyxl.chart.data_source import StrRef
            from openpyxl.chart.series import SeriesLabel

            series.tx = SeriesLabel(strRef=StrRef(f"'{sh.title}'!$A${r}"))
            series.marker.symbol = "circle"
            series.marker.size = 9
            series.graphicalProperties.line.noFill = True
            chart.series.append(series)
    elif k == "text":
        sh.table(name, ["Answer"], [[a] for _, a in t.answers], wrap=(1,))
        if t.words:
            sh.blank()
            first, last = sh.table(name + "Words", ["Word", "Mentions"], [list(w) for w in t.words[:15]])
            chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=True)
    chart_col = 0
    if len(groups) >= 2 and k != "text":
        from vbp_workshop.core.tally import tally as _tally

        tallies = {g: _tally(poll, bs) for g, bs in groups.items()}
        items = list(poll.options) if k not in ("scale", "fist") else ["Mean"]
        measure = _group_measure_name(k)
        sh.blank()
        sh.add([f"By stakeholder group — {measure}"], "label")
        gnames = [f"{GROUP_LABELS.get(g, g)} (n={tallies[g].respondents})" for g in sorted(tallies)]
        from vbp_workshop.core.tally import profile

        rows = []
        for i, item in enumerate(items):
            row: list[Any] = [item]
            for g in sorted(tallies):
                tt = tallies[g]
                if k in ("scale", "fist"):
                    row.append(round(tt.mean, 2) if tt.mean is not None else None)
                elif k in {"agreement", "importance"}:
                    m = tt.means[i]
                    row.append(round(m, 2) if m is not None else None)
                elif k == "matrix":
                    p = tt.points[i]
                    row.append(round(p[1], 2) if p else None)
                else:
                    row.append(round(profile(tt, poll)[i], 3))
            rows.append(row)
        fmt = dict.fromkeys(range(2, len(gnames) + 2), "0%") if k in ("single", "multiple", "points", "ranking") else {}
        gfirst, glast = sh.table(f"{name}Groups", ["Item", *gnames], rows, formats=fmt)
        gchart = BarChart()
        gchart.type = "bar"
        gchart.add_data(Reference(sh, min_col=2, max_col=len(gnames) + 1, min_row=gfirst, max_row=glast),
                        titles_from_data=True)
        gchart.set_categories(Reference(sh, min_col=1, min_row=gfirst + 1, max_row=glast))
        gchart.title = "By group"
        gchart.height, gchart.width = 7, 14
        chart_col = 1
    from openpyxl.utils import get_column_letter

    widest = max((len(r) for r in sh.rows[top - 1:]), default=1)
    first_col = max(widest, 4) + 2  # charts start two columns right of the block's tables
    if chart is not None:
        chart.title = poll.question[:80]
        chart.height, chart.width = 7, 14
        chart.legend = chart.legend if k in ("agreement", "matrix", "importance") else None
        sh.charts.append((chart, f"{get_column_letter(first_col)}{top}"))
    if chart_col:
        sh.charts.append((gchart, f"{get_column_letter(first_col + (8 if chart is not None else 0))}{top}"))
    while sh.next_row - top < 16:  # leave room for the charts beside the tables
        sh.blank()


def _group_measure_name(kind: str) -> str:
    return {"single": "share choosing each option", "multiple": "share choosing each option",
            "points": "share of points", "ranking": "Borda score relative to the top option",
            "agreement": "mean agreement (1–5)", "scale": "mean", "fist": "mean support (0–5)",
            "importance": "gap: importance − satisfaction", "matrix": "mean impact (y)"}[kind]


def _bar(BarChart: Any, Reference: Any, sh: Sheet, first: int, last: int, col: int, horizontal: bool) -> Any:  # noqa: N803
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.add_data(Reference(sh, min_col=col, min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sh, min_col=1, min_row=first + 1, max_row=last))
    chart.varyColors = False
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first option on top, as on screen
    return chart


# -- writing ---------------------------------------------------------------------------------------


def locked_by_other_program(path: Path) -> str:
    """The program that seems to hold `path` open (by its lock file), or ''."""
    if (path.parent / f".~lock.{path.name}#").exists():
        return "LibreOffice"
    if (path.parent / f"~${path.name}").exists() or (path.parent / f"~${path.name[2:]}").exists():
        return "Excel"
    return ""


def export_workbook(store: Store, path: Path, *, include_names: bool = False,
                    progress: Callable[[float], None] = lambda _f: None) -> Path:
    """Write the workbook to `path` (via a temporary file, so a failure leaves no half file)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"“{path.name}” should end in .xlsx.")
    holder = locked_by_other_program(path)
    if holder:
        raise ExportError(f"“{path.name}” is open in {holder}. Close it there, then export again "
                          "(or choose another file name).")
    if not path.parent.is_dir():
        raise ExportError(f"The folder “{path.parent}” does not exist.")
    writer = WorkbookWriter()
    written: list[tuple[Any, Sheet]] = []
    progress(0.05)
    sheets = [summary_sheet(store), step1_sheet(store), step2_sheet(store), step3_sheet(store),
              *step4_sheets(store), step5_sheet(store), actions_sheet(store)]
    progress(0.2)
    sheets += _poll_sheets(store, progress)
    sheets += [participants_sheet(store, include_names), agenda_sheet(store)]
    for sh in sheets:
        written.append((writer.write(sh), sh))
    progress(0.8)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        writer.wb.save(tmp)
        # openpyxl numbers worksheet parts when it saves; ws.path is only right after that.
        _splice_bulk(tmp, [(ws.path.lstrip("/"), sh) for ws, sh in written])
        os.replace(tmp, path)
    except PermissionError as exc:
        raise ExportError(f"“{path.name}” cannot be written: it is open in another program or "
                          "read-only. Close it there, then export again.") from exc
    except OSError as exc:
        raise ExportError(f"“{path.name}” cannot be written: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    progress(1.0)
    return path
