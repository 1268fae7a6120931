"""The partnership at a glance: what the summary page and the workbook's first sheet show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import STAKEHOLDER_LABELS, STEP_TITLES, Stakeholder, StepStatus
from vbp_workshop.core.steps.checks import metric_readings


@dataclass
class Summary:
    workshop: dict[str, Any]
    partners: list[tuple[str, str]]  # name, stakeholder label
    ambition: str
    alignment: list[tuple[str, str, str]]  # partner, status, note
    rules: list[tuple[str, str]]  # rule text, consent result
    pilots: list[tuple[str, str]]  # name, success definition
    metrics: list[tuple[str, str, str]]  # metric, its reading (core/spc.py verdict), why
    decisions: list[tuple[str, str]]  # what, owner
    open_actions: list[tuple[str, str, str]]  # what, owner, due
    steps: list[tuple[str, str]] = field(default_factory=list)  # title, status
    decision: str = ""


def summarize(store: Store) -> Summary:
    partners = {p["id"]: p for p in store.rows("partners")}
    labels = {s.value: STAKEHOLDER_LABELS[s] for s in Stakeholder}
    chosen = [a["text"] for a in store.rows("ambitions", "chosen = 1")]
    metrics = [(m["name"], r.verdict, r.evaluation.reason) for m, r in metric_readings(store)]
    actions = store.rows("actions")
    return Summary(
        workshop=store.workshop(),
        partners=[(p["name"], labels.get(p["stakeholder"], str(p["stakeholder"]))) for p in partners.values()],
        ambition=chosen[0] if chosen else "",
        alignment=[(partners[a["partner_id"]]["name"], a["status"], a["note"])
                   for a in store.rows("alignment") if a["partner_id"] in partners],
        rules=[(r["text"], r["consent"]) for r in store.rows("rules")],
        pilots=[(p["name"], p["success"]) for p in store.rows("pilots", "chosen = 1")],
        metrics=metrics,
        decisions=[(a["what"], a["owner"]) for a in actions if a["kind"] == "decision"],
        open_actions=[(a["what"], a["owner"], a["due"]) for a in actions
                      if a["kind"] == "action" and a["status"] == "open"],
        steps=[(f"{s['id']}. {STEP_TITLES[s['id']]}", StepStatus(s["status"]).label)
               for s in store.rows("steps")],
        decision=str(store.step_fields(5).get("decision", "")),
    )

