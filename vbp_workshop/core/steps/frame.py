"""The day's frame: the opening, the pre-work before the day and the close (the template's
`frame`), with what this workshop still needs: the competition-law reminder when two or more
companies take part, and the metrics whose baseline the data pack has not measured yet."""

from __future__ import annotations

from dataclasses import dataclass

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import Stakeholder
from vbp_workshop.core.steps.template import load_template

COMPANIES = {Stakeholder.PHARMA, Stakeholder.MEDTECH}


@dataclass(frozen=True)
class Frame:
    opening: list[str]
    competition: str  # '' unless two or more companies take part
    prework: list[str]
    baselines_needed: list[str]  # metrics with no baseline value, or no point measured before the day
    close: list[str]


def frame(store: Store) -> Frame:
    t = load_template()["frame"]
    companies = [p for p in store.rows("partners") if p["stakeholder"] in COMPANIES]
    day = str(store.workshop().get("date") or "")
    measured = {a["metric_id"] for a in store.rows("actuals") if a["value"] is not None
                and (not day or str(a["date"] or "") < day)}
    needed = [m["name"] for m in store.rows("metrics")
              if m["baseline_value"] is None or m["id"] not in measured]
    return Frame(list(t["opening"]), t["competition"] if len(companies) >= 2 else "", list(t["prework"]),
                 needed, list(t["close"]))
