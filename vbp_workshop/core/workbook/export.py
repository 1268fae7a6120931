"""The outcome workbook: a Summary first, a sheet per step, then the poll sheets (results with
native charts, raw anonymous votes, audit; see poll_sheets), participants and agenda.

`export_workbook` writes to a temporary file and moves it into place, so a failure never leaves
half a workbook, and refuses a file another program holds open.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vbp_workshop import __version__
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Row
from vbp_workshop.core.model.domain import (
    ACTION_KINDS,
    ACTION_STATUSES,
    ALIGNMENT_CHOICES,
    BARRIER_KINDS,
    CONTRIBUTION_LEVELS,
    DECISIONS,
    DIRECTIONS,
    GROUP_LABELS,
    METRIC_TYPES,
    NUMBERED_STEPS,
    RESOURCES,
    RULE_CATEGORIES,
    step_label,
)
from vbp_workshop.core.model.text import name_key
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.queries import min_group
from vbp_workshop.core.steps.balance import investment_balance
from vbp_workshop.core.steps.checks import RAG_COLOURS, metric_readings, raci_problems
from vbp_workshop.core.steps.joint_working import STATUS_LABELS, checklist, nation_sources
from vbp_workshop.core.steps.spc import MIN_POINTS, READING_COLOURS, SHIFT, TREND, VERDICT_LABELS, claim_problems
from vbp_workshop.core.steps.summary import summarize
from vbp_workshop.core.steps.template import load_template
from vbp_workshop.core.workbook.idea_sheets import add_step_trails, ideas_sheets
from vbp_workshop.core.workbook.poll_sheets import checksum, poll_sheets, readable_answer
from vbp_workshop.core.workbook.sector_sheets import sector_sheets
from vbp_workshop.core.workbook.session_sheets import sessions_sheet
from vbp_workshop.core.workbook.xlsx import Cancelled, Sheet, WorkbookWriter, show_axes

__all__ = ["ACTUALS_HEADERS", "ACTUALS_SHEET", "ExportCancelled", "ExportError", "checksum", "export_workbook",
           "readable_answer"]

METRICS_SHEET = "Metrics"
ACTUALS_SHEET = "Metric actuals"
ACTUALS_HEADERS = ["Metric ID", "Metric", "Date (YYYY-MM-DD)", "Actual value", "Note"]
RAG_FILL = {k: v.lstrip("#").upper() for k, v in RAG_COLOURS.items()}  # the one palette
READING_FILL = {k: v.lstrip("#").upper() for k, v in READING_COLOURS.items()}


class ExportError(Exception):
    """The workbook could not be written; the message says why and what to do."""


class ExportCancelled(ExportError):
    """The person cancelled the export; no file was written or changed."""


def _partner_names(store: Store) -> dict[int, str]:
    return {p["id"]: p["name"] for p in store.rows("partners")}


def summary_sheet(store: Store) -> Sheet:
    s = summarize(store)
    w = s.workshop
    sh = Sheet("Summary", max_width=90)
    sh.heading(w.get("partnership") or w.get("title") or "Workshop")
    sh.add([w.get("title", "")], "note")
    sh.blank()
    for label, key in [("Workshop", "title"), ("Partnership", "partnership"),
                       ("Care pathway / challenge", "pathway"), ("Venue", "venue"), ("Facilitator", "facilitator")]:
        sh.kv(label, w.get(key, ""))
    sh.kv("Date", _date(w.get("date", "")), "d mmmm yyyy")
    sh.kv("Exported (UTC)", datetime.now(UTC).replace(tzinfo=None, microsecond=0), "d mmmm yyyy hh:mm")
    sh.kv("Exported by", f"VBP Workshop {__version__}")
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
    first, _ = sh.table("SummaryMetrics", ["Metric", "Reading since the pilot began", "Why"],
                        [[m, VERDICT_LABELS[st], why] for m, st, why in s.metrics], wrap=(3,))
    for i, (_m, st, _why) in enumerate(s.metrics, 1):
        sh.fills[(first + i, 2)] = READING_FILL[st]
    if s.decision:
        sh.blank()
        sh.kv("Decision (step 5)", DECISIONS.get(s.decision, s.decision))
    sh.blank()
    sh.heading("Decisions", 2)
    sh.table("SummaryDecisions", ["Decision", "By"], [list(d) for d in s.decisions], wrap=(1,))
    sh.blank()
    sh.heading("Open actions", 2)
    sh.table("SummaryActions", ["Action", "Owner", "Due"], [[w_, o, _date(d)] for w_, o, d in s.open_actions],
             formats={3: "yyyy-mm-dd"}, wrap=(1,))
    sh.blank()
    sh.add(["Steps"], "h2")
    for title, status in s.steps:
        sh.kv(title, status)
    sh.widths = {1: 48, 2: 40, 3: 26, 4: 40}
    return sh


def step1_sheet(store: Store) -> Sheet:
    names = _partner_names(store)
    sh = Sheet("1 Ambition")
    sh.heading(step_label(1))
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
    sh.heading(step_label(2))
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
    sh.add([balance.message], "label")  # the message says "Balanced: …" or "Unbalanced: …" itself
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


def raci_sheet(store: Store) -> Sheet:
    """The RACI grid on a sheet of its own: narrow partner columns with wrapped headings, so it
    prints legibly (beside the rules' wide text columns it printed unreadably small)."""
    partners = store.rows("partners")
    sh = Sheet("3 Roles (RACI)", freeze=(3, 1), print_rows=(3, 3))
    sh.heading("Roles (RACI): Responsible, Accountable (exactly one), Consulted, Informed", 2)
    sh.blank()
    raci = {(c["activity_id"], c["partner_id"]): c["role"] for c in store.rows("raci")}
    problems = raci_problems(store)
    sh.table("RACI", ["Activity", *[p["name"] for p in partners], "Check"],
             [[a["name"], *[raci.get((a["id"], p["id"]), "") for p in partners],
               problems.get(a["id"], "One Accountable")] for a in store.rows("activities")], wrap=(1,))
    sh.widths = {1: 30, **dict.fromkeys(range(2, len(partners) + 2), 11), len(partners) + 2: 24}
    return sh


def step3_sheet(store: Store) -> Sheet:
    sh = Sheet("3 Rules")
    sh.heading(step_label(3))
    sh.blank()
    sh.add(["The roles (RACI) are on the next sheet, “3 Roles (RACI)”."], "note")
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
    jw = checklist(store)
    nation, sources = nation_sources(jw.nation)
    sh.heading(f"Joint-working checklist ({nation})", 2)
    sh.add([load_template()["disclaimer"]], "note")
    sh.add([jw.verdict()], "label")
    sh.add([f"Parties to the written agreement: {', '.join(jw.parties) or 'not recorded yet'}. "
            f"Guidance for {nation}: {'; '.join(sources)}."], "note")
    sh.table("JointWorking", ["Item", "Source", "Level", "Status", "Owner"],
             [[i.text, i.source, "Must pass" if i.must else "Advisory",
               STATUS_LABELS[i.status] + (f" ({i.why_not})" if i.why_not else ""), i.owner]
              for i in jw.items], wrap=(1, 2, 4))
    sh.widths = {1: 50, 2: 40, 3: 14, 4: 22, 5: 20}
    return sh


def _date(s: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return s


def step4_sheets(store: Store) -> list[Sheet]:
    sh = Sheet("4 Pilots")
    sh.heading(step_label(4))
    sh.blank()
    sh.table("Pilots", ["Pilot", "Description", "Impact (1–5)", "Effort (1–5)", "Chosen", "Success definition"],
             [[p["name"], p["description"], p["impact"], p["effort"], "Yes" if p["chosen"] else "",
               p["success"]] for p in store.rows("pilots")], formats={3: "0.0", 4: "0.0"}, wrap=(2, 6))
    sh.widths = {1: 40, 2: 44, 6: 50}
    pilots = {p["id"]: p["name"] for p in store.rows("pilots")}
    m = Sheet(METRICS_SHEET, freeze=(1, 2), print_rows=(1, 1), repeat_cols=2)
    m.table("MetricRegister",
            ["Metric ID", "Metric", "Pilot", "Definition", "Type", "Unit", "Numerator", "Denominator",
             "Direction", "Baseline", "Baseline date", "Target", "Target date", "Data source",
             "Frequency", "Owner"],
            [[x["id"], x["name"], pilots.get(x["pilot_id"], ""), x["definition"],
              METRIC_TYPES.get(x["type"], x["type"]), x["unit"], x["numerator"], x["denominator"],
              DIRECTIONS.get(x["direction"], x["direction"]), x["baseline_value"], _date(x["baseline_date"]),
              x["target_value"], _date(x["target_date"]), x["source"], x["frequency"], x["owner"]]
             for x in store.rows("metrics")],
            formats={11: "yyyy-mm-dd", 13: "yyyy-mm-dd"}, wrap=(2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 16))
    # Narrow, wrapped columns: the register prints at a readable size (see xlsx._print_setup).
    m.widths = {1: 7, 2: 22, 3: 16, 4: 28, 5: 11, 6: 8, 7: 16, 8: 16, 9: 11, 10: 9, 11: 11, 12: 9,
                13: 11, 14: 16, 15: 11, 16: 14}
    a = Sheet(ACTUALS_SHEET, freeze=(1, 0), print_rows=(1, 1))
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
    sh.heading(step_label(5))
    sh.blank()
    sh.add(["Each metric is read from its pilot's start with the rules of statistical process control "
            f"(NHS England, Making Data Count): at least {MIN_POINTS} points since the start, then a shift "
            f"({SHIFT} in a row on one side of the median), a trend ({TREND} rising or falling) or a point "
            "outside the natural process limits says it changed; a change that began before the pilot is "
            "not the pilot's alone. Comparator and attribution are read beside any claim."], "note")
    rows, statuses = [], []
    for m, r in metric_readings(store):
        e = r.evaluation
        limits = f"{e.limits[0]:.3g}–{e.limits[1]:.3g}" if e.limits else ""
        rows.append([m["name"] + (f" ({m['unit']})" if m["unit"] else ""), e.reason, e.label,
                     _date(r.start) if r.start else "", m["baseline_value"], m["target_value"], r.latest,
                     e.since_start, e.centre, limits, m.get("comparator") or "", m.get("attribution") or ""])
        statuses.append(e.verdict)
    first, _ = sh.table("Results", ["Metric", "Why", "Reading", "Pilot began", "Baseline", "Target", "Latest",
                                    "Points since the start", "Median", "Limits", "Comparator", "What else changed"],
                        rows, formats={4: "yyyy-mm-dd"}, wrap=(1, 2, 3, 11, 12))
    for i, st in enumerate(statuses, 1):
        sh.fills[(first + i, 3)] = READING_FILL[st]
    sh.blank()
    sh.heading("Lessons learned", 2)
    sh.table("Lessons", ["Lesson"], [[x["text"]] for x in store.rows("lessons")], wrap=(1,))
    sh.blank()
    f = store.step_fields(5)
    sh.kv("Decision", DECISIONS.get(f.get("decision", ""), ""))
    sh.kv("Rationale", f.get("rationale", ""))
    sh.kv("Share the success", f.get("case_study", ""))
    for problem in claim_problems(str(f.get("case_study") or ""), [r for _m, r in metric_readings(store)]):
        sh.kv("Before it is published", problem)
    sh.widths = {1: 28, 2: 36, 3: 14, 4: 11, 5: 8, 6: 8, 7: 8, 8: 8, 9: 8, 10: 11, 11: 16, 12: 16}
    return sh


def actions_sheet(store: Store) -> Sheet:
    sh = Sheet("Decisions and actions", freeze=(1, 0), print_rows=(1, 1))
    steps = {0: "Whole workshop", **NUMBERED_STEPS}
    sh.table("Actions", ["Kind", "Step", "What", "Owner", "Due", "Status"],
             [[ACTION_KINDS.get(a["kind"], a["kind"]), steps.get(a["step"], ""), a["what"], a["owner"],
               _date(a["due"]), ACTION_STATUSES.get(a["status"], a["status"])] for a in store.rows("actions")],
             formats={5: "yyyy-mm-dd"}, wrap=(3,))
    sh.widths = {3: 60}
    return sh


def participants_sheet(store: Store, include_names: bool) -> Sheet:
    names = _partner_names(store)
    people = store.rows("participants")
    sh = Sheet("Participants", freeze=(1, 0), print_rows=(1, 1))
    if include_names:
        rows = [[p["display_name"] or f"Participant {i:03d}", names.get(p["partner_id"], ""), p["role"]]
                for i, p in enumerate(people, 1)]
        sh.table("Participants", ["Participant", "Partner", "Role"], rows)
        return sh
    rows = pseudonymised_participants(people, names, min_group_size(store))
    sh.table("Participants", ["Participant (pseudonymised)", "Partner", "Role"], rows)
    sh.add([])
    sh.add([f"No row singles a person out: a partner is named only when at least {min_group_size(store)} "
            "people came from it, and a role only when at least as many from that partner share it; "
            "otherwise the cell says it is merged."], "note")
    return sh


MERGED_PARTNER = "Other partners (merged)"
MERGED_ROLE = "Not shown (too few share it)"


def min_group_size(store: Store) -> int:
    return min_group(store)  # the one rule, shared with the tallies


def pseudonymised_participants(people: list[Row], partner_names: dict[int, str], k: int) -> list[list[Any]]:
    """Rows where every (partner, role) shown is shared by at least `k` people (k-anonymity):
    a partner that sent fewer than k people is merged, and so is a role fewer than k share."""
    from collections import Counter

    per_partner = Counter(p["partner_id"] for p in people)
    per_role = Counter((p["partner_id"], name_key(p["role"] or "")) for p in people)
    rows = []
    for i, p in enumerate(people, 1):
        partner = partner_names.get(p["partner_id"], "") if p["partner_id"] else ""
        role = p["role"] or ""
        if p["partner_id"] and per_partner[p["partner_id"]] < k:
            partner = MERGED_PARTNER
        if role and (partner == MERGED_PARTNER or per_role[(p["partner_id"], name_key(role))] < k):
            role = MERGED_ROLE
        rows.append([f"Participant {i:03d}", partner, role])
    return rows


def agenda_sheet(store: Store) -> Sheet:
    sh = Sheet("Agenda", freeze=(1, 0), print_rows=(1, 1))
    sh.table("Agenda", ["Item", "Step", "Planned (min)", "Actual (min)", "Notes"],
             [[a["title"], a["step"] or "", a["planned_min"], a["actual_min"], a["notes"]]
              for a in store.rows("agenda")])
    return sh


# -- polls: results with charts, raw votes, audit --------------------------------------------------------


IN_MEMORY_VOTES = 100_000


def locked_by_other_program(path: Path) -> str:
    """The program that seems to hold `path` open (by its lock file), or ''."""
    if (path.parent / f".~lock.{path.name}#").exists():
        return "LibreOffice"
    if (path.parent / f"~${path.name}").exists() or (path.parent / f"~${path.name[2:]}").exists():
        return "Excel"
    return ""


def export_workbook(store: Store, path: Path, *, include_names: bool = False,
                    progress: Callable[[float], None] = lambda _f: None,
                    cancel: Callable[[], bool] = lambda: False) -> Path:
    """Write the workbook to `path` (via a temporary file, so a failure leaves no half file).

    `progress` gets a fraction 0–1; `cancel` is asked between sheets (and every few thousand
    rows of a long one): when it returns True the export stops, removes its temporary file,
    leaves `path` as it was and raises ExportCancelled.
    """
    from xlsxwriter.exceptions import FileCreateError, XlsxWriterException

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ExportError(f"“{path.name}” should end in .xlsx.")
    holder = locked_by_other_program(path)
    if holder:
        raise ExportError(f"“{path.name}” is open in {holder}. Close it there, then export again "
                          "(or choose another file name).")
    if not path.parent.is_dir():
        raise ExportError(f"The folder “{path.parent}” does not exist.")

    def check() -> None:
        if cancel():
            raise ExportCancelled("The export was cancelled; no file was written.")

    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    # Each part of a small workbook is built in memory (quicker); a large one's go through
    # temporary files, so that memory does not grow with the votes' sheet.
    writer = WorkbookWriter(tmp, in_memory=int(store.scalar("SELECT COUNT(*) FROM ballots") or 0) <= IN_MEMORY_VOTES)
    sheets: list[Sheet] = []
    try:
        progress(0.05)
        with queries.ballots_kept(store):  # each round's ballots read and parsed once for all sheets
            sheets += [summary_sheet(store), step1_sheet(store), step2_sheet(store), step3_sheet(store),
                      raci_sheet(store), *step4_sheets(store), step5_sheet(store), actions_sheet(store)]
            check()
            progress(0.2)
            sheets += poll_sheets(store, progress, cancel)
            sheets += ideas_sheets(store)  # the room's ideas and their trail (core/workbook/idea_sheets.py)
            add_step_trails(sheets, store)  # and each adopted idea's trail on its step's sheet
            sheets += sector_sheets(store)  # by sector, divergence per item, readiness, plans (sector_sheets)
            compared = sessions_sheet(store)  # a review day: the repeated polls beside the earlier days
            if compared is not None:
                sheets.append(compared)
            sheets += [participants_sheet(store, include_names), agenda_sheet(store)]
            check()
            for n, sh in enumerate(sheets, 1):  # the raw votes are read again as they are written
                writer.write(sh, cancel)
                sheets[n - 1] = Sheet(sh.title)  # written: its rows are XlsxWriter's now
                check()
                progress(0.6 + 0.25 * n / len(sheets))
        w = store.workshop()
        writer.wb.set_properties({"title": w.get("partnership") or w.get("title") or "Workshop",
                                  "subject": "Value-based partnership workshop outcome",
                                  "comments": f"Exported by VBP Workshop {__version__}",
                                  "created": datetime.now(UTC).replace(tzinfo=None)})
        writer.wb.close()
        check()
        show_axes(tmp)
        os.replace(tmp, path)
    except Cancelled:
        raise ExportCancelled("The export was cancelled; no file was written.") from None
    except FileCreateError as exc:
        raise ExportError(f"“{path.name}” cannot be written: {exc}.") from exc
    except PermissionError as exc:
        raise ExportError(f"“{path.name}” cannot be written: it is open in another program or "
                          "read-only. Close it there, then export again.") from exc
    except OSError as exc:
        raise ExportError(f"“{path.name}” cannot be written: {exc.strerror or exc}.") from exc
    except XlsxWriterException as exc:
        raise ExportError(f"The workbook could not be built: {exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)  # after a failure or a cancel: the workbook is dropped unwritten
        # XlsxWriter's workbook and its worksheets refer to each other (a worksheet keeps the
        # workbook's add_format), so its cells would wait for a full pass of the cycle collector
        # in whatever the app does next: that pass runs here, once, on the export's own thread.
        sheets.clear()
        del writer
        gc.collect()
    progress(1.0)
    return path
