"""The workbook's Ideas sheet: every idea the room could see or the facilitator kept (hidden
ones excluded), what it was merged from, its supports, the poll it went to, and whether it was
adopted — the trail from the room's words to the record, one row per idea."""

from __future__ import annotations

from vbp_workshop.core import ideas
from vbp_workshop.core.domain import GROUP_LABELS
from vbp_workshop.core.store import Store
from vbp_workshop.core.xlsx import Sheet, cell_text

SHEET = "Ideas"


def ideas_sheets(store: Store) -> list[Sheet]:
    """The Ideas sheet, or nothing when no activity has collected an idea yet."""
    acts = [a for a in ideas.activities(store) if ideas.ideas_of(store, int(a["id"]))]
    if not acts:
        return []
    sh = Sheet(SHEET, max_width=60)
    sh.heading("Ideas from the room")
    sh.add(["Hidden ideas are left out. “Merged from” lists the phones' own words; supports are "
            "counted once per phone, never who."], "note")
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
            groups = ", ".join(f"{GROUP_LABELS.get(g, g)} {n}" for g, n in t["groups"].items())
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
