"""The outcome workbook: a Summary first, a sheet per step, then the poll sheets (results with
native charts, raw anonymous votes, audit; see export_polls), participants and agenda.

`export_workbook` writes to a temporary file and moves it into place, so a failure never leaves
half a workbook, and refuses a file another program holds open.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
    GROUP_LABELS,
    METRIC_TYPES,
    RESOURCES,
    RULE_CATEGORIES,
    STEP_TITLES,
)
from vbp_workshop.core.export_polls import checksum, poll_sheets, readable_answer
from vbp_workshop.core.store import Row, Store
from vbp_workshop.core.summary import summarize
from vbp_workshop.core.template import load_template
from vbp_workshop.core.xlsx import Sheet, WorkbookWriter, splice_bulk

__all__ = ["ACTUALS_HEADERS", "ACTUALS_SHEET", "ExportError", "checksum", "export_workbook", "readable_answer"]

METRICS_SHEET = "Metrics"
ACTUALS_SHEET = "Metric actuals"
ACTUALS_HEADERS = ["Metric ID", "Metric", "Date (YYYY-MM-DD)", "Actual value", "Note"]
RAG_FILL = {"green": "1B7F3B", "amber": "B86E00", "red": "C0262D", "grey": "6B7280"}


class ExportError(Exception):
    """The workbook could not be written; the message says why and what to do."""


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
    sheets += poll_sheets(store, progress)
    sheets += [participants_sheet(store, include_names), agenda_sheet(store)]
    for sh in sheets:
        written.append((writer.write(sh), sh))
    progress(0.8)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        writer.wb.save(tmp)
        # openpyxl numbers worksheet parts when it saves; ws.path is only right after that.
        splice_bulk(tmp, [(ws.path.lstrip("/"), sh) for ws, sh in written])
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
