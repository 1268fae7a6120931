"""The workbook's Ideas sheet: every idea the room could see or the facilitator kept (hidden
ones excluded), what it was merged from, its supports, the poll it went to, and whether it was
adopted — the trail from the room's words to the record, one row per idea."""

from __future__ import annotations

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import ideas
from vbp_workshop.core.workbook.xlsx import Sheet, cell_text

SHEET = "Ideas"


def ideas_sheets(store: Store) -> list[Sheet]:
    """The Ideas sheet, or nothing when no activity has collected an idea yet."""
    acts = [a for a in ideas.activities(store) if ideas.ideas_of(store, int(a["id"]))]
    if not acts:
        return []
    sh = Sheet(SHEET, max_width=60)
    sh.heading("Ideas from the room")
    sh.add(["Hidden ideas are left out. “Merged from” lists the phones' own words; supports are "
            "counted once per phone, never who. A group smaller than "
            f"{queries.min_group(store)} is merged or left unnamed, as on every sheet."], "note")
    for a in acts:
        target = ideas.TARGETS.get(a["target"])
        sh.blank()
        sh.heading(f"Step {a['step']} · {target.label if target else a['target']}: {cell_text(a['prompt'])}", 2)
        counts = ideas.supporters(store, int(a["id"]))
        rows = []
        for r in ideas.ideas_of(store, int(a["id"])):
            if r["status"] in (ideas.HIDDEN, ideas.MERGED):
                continue  # hidden: never exported; merged sources: shown inside their merged idea
            t = ideas.trail(store, int(r["id"]))
            sources = [s for s in ideas.sources(store, int(r["id"])) if s["status"] != ideas.HIDDEN]
            merged = "; ".join(cell_text(s["submitted"] or s["text"]) for s in sources) if t["merged_from"] else ""
            groups = ideas.groups_text(t["groups"], t["submitted"])
            voted = t.get("voted") or {}
            adopted = t.get("adopted") or {}
            rows.append([
                cell_text(r["text"]), merged, t["submitted"], groups, len(counts.get(int(r["id"]), ())),
                cell_text(voted.get("question", "")), voted.get("round") or "", cell_text(voted.get("result", "")),
                "yes" if adopted else "no", adopted.get("into", ""),
                adopted.get("at", "")[:16].replace("T", " "), cell_text(adopted.get("by", "")),
                cell_text(ideas.trail_text(t)),
            ])
        sh.table(f"Ideas{a['id']}", ["Idea", "Merged from", "Submitted", "Groups", "Supports", "Poll",
                                     "Round", "Result", "Adopted", "Into", "When", "By", "Trail"],
                 rows, wrap=(1, 2, 13))
    return [sh]


# The step sheet each step's adopted ideas are listed on (the sheet the step's record is on).
STEP_SHEETS = {1: "1 Ambition", 2: "2 Trust", 3: "3 Rules", 4: "4 Pilots", 5: "5 Evaluation"}


def add_step_trails(sheets: list[Sheet], store: Store) -> None:
    """Under each step's own sheet: the ideas adopted into its record, each with its trail."""
    by_title = {sh.title: sh for sh in sheets}
    for a in ideas.activities(store):
        adopted = [r for r in ideas.ideas_of(store, int(a["id"])) if r["adopted_at"] and r["status"] != ideas.HIDDEN]
        target = ideas.TARGETS.get(a["target"])
        sh = by_title.get(STEP_SHEETS.get(target.step if target else int(a["step"]), ""))
        if not adopted or sh is None:
            continue
        sh.blank()
        sh.heading(f"Adopted from the room's ideas: {cell_text(a['prompt'])}", 2)
        sh.table(f"Adopted{a['id']}", ["Adopted", "Trail"],
                 [[cell_text(r["text"]), cell_text(ideas.trail_text(ideas.trail(store, int(r["id"]))))]
                  for r in adopted], wrap=(1, 2))
