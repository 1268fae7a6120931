"""What the workshop recorded, read once for the three documents (PID, summary, hand-out).

Plain data: every later choice of wording is the documents' own. Names of people appear only
when the facilitator chose to include them; otherwise the participants are counted per partner,
a partner that sent fewer than the smallest group size merged (as on the workbook's sheet).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import (
    ACTION_STATUSES,
    ALIGNMENT_CHOICES,
    BARRIER_KINDS,
    CONTRIBUTION_LEVELS,
    DECISIONS,
    METRIC_TYPES,
    RESOURCES,
    RULE_CATEGORIES,
    STAKEHOLDER_LABELS,
    STEP_TITLES,
    Stakeholder,
    StepStatus,
)
from vbp_workshop.core.polls.queries import min_group
from vbp_workshop.core.steps import joint_working, planning
from vbp_workshop.core.steps.balance import investment_balance
from vbp_workshop.core.steps.checks import raci_problems
from vbp_workshop.core.steps.joint_working import Checklist
from vbp_workshop.core.steps.template import load_template


@dataclass
class Partner:
    id: int
    name: str
    kind: str  # the stakeholder type's label
    goals: str
    wins: list[str]  # the triple win its goals serve (labels)
    party: bool | None  # a party to the written agreement; None: not recorded
    signs_up: str  # the alignment check's answer (label, "" when not asked)
    signs_up_note: str
    consents: bool  # consent to publish recorded
    contribution: dict[str, int]  # resource -> level 0..3
    contribution_notes: list[tuple[str, str]]  # (resource, what)


@dataclass
class Metric:
    name: str
    kind: str
    unit: str
    definition: str
    numerator: str
    denominator: str
    direction: str
    baseline: str  # value and date as one text ("41 % on 2026-09-30"), "" when missing
    target: str
    time_points: str
    frequency: str
    source: str
    owner: str
    tier: str


@dataclass
class Pilot:
    name: str
    description: str
    chosen: bool
    success: str
    scale: str  # how it is designed for scale
    decision: str  # go / adapt / stop (label), "" when not decided
    decision_reasons: str
    decision_date: str
    decided_by: str
    metrics: list[Metric] = field(default_factory=list)


@dataclass
class Record:
    workshop: dict[str, Any]
    partners: list[Partner]
    ambition: str
    ambition_wins: list[str]
    candidates: list[str]
    nhs_priorities: str
    scope: str
    boundaries: str
    balance: str
    raci_partners: list[str]
    raci: list[tuple[str, list[str], str]]  # activity, role per partner, problem ("" when sound)
    decision_rules: str
    rules: list[tuple[str, str, str]]  # area label, rule, consent result ("" when no vote)
    rule_keys: list[str]  # each rule's category key
    share_plan: dict[str, str]
    publish_sentence: str
    exit_strategy: str  # step 3's written exit strategy, if any (the exit rules are among `rules`)
    checklist: Checklist  # the joint-working checklist as step 3 judges it (core/steps/joint_working.py)
    nation: str  # whose guidance applies, and its sources
    nation_sources: list[str]
    disclaimer: str
    pilots: list[Pilot]
    unlinked_metrics: list[Metric]
    milestones: list[tuple[str, str]]
    lessons: list[str]
    decision: str
    rationale: str
    case_study: str
    barriers: list[tuple[str, str, str]]  # kind label, barrier, what would help
    risk_appetite: str
    decisions: list[tuple[str, str, str]]  # what, owner, status
    actions: list[tuple[str, str, str, str]]  # what, owner, due, status
    glossary: list[tuple[str, str]]
    participants: list[tuple[str, str, str]]  # with names: (name, partner, role)
    attendance: list[tuple[str, int]]  # without names: partner (or merged) -> how many came
    include_names: bool
    min_group: int
    steps: list[tuple[str, str]]  # step title, status

    @property
    def title(self) -> str:
        return str(self.workshop.get("partnership") or self.workshop.get("title") or "The partnership")

    @property
    def parties(self) -> list[Partner]:
        return [p for p in self.partners if p.party]

    @property
    def parties_recorded(self) -> bool:
        return any(p.party is not None for p in self.partners)

    def publish_ready(self) -> tuple[bool, str]:
        """(the summary may go out, the sentence that says why not): every party's consent."""
        if not self.parties:
            return False, ("which partners are parties to the written agreement is not recorded, so "
                           "their consent to publish cannot be checked")
        missing = [p.name for p in self.parties if not p.consents]
        if missing:
            return False, "consent to publish is not yet recorded from " + ", ".join(missing)
        return True, "every party has consented to publish this summary"


MERGED = "Other partners (merged)"


def _number(v: Any) -> str:
    if v is None or v == "":
        return ""
    f = float(v)
    return f"{f:g}" if abs(f) < 1e15 else f"{f:.6g}"


def _value(v: Any, unit: str, when: str) -> str:
    n = _number(v)
    if not n:
        return ""
    unit = unit.strip()
    text = f"{unit}{n}" if unit in ("£", "$", "€") else f"{n} {unit}".strip() if unit != "%" else f"{n}%"
    return f"{text} ({when})" if when else text


def read_record(store: Store, *, include_names: bool = False) -> Record:
    w = store.workshop()
    partner_rows = store.rows("partners")
    names = {p["id"]: p["name"] for p in partner_rows}
    kinds = {s.value: STAKEHOLDER_LABELS[s] for s in Stakeholder}
    wins = planning.triple_win(store)
    party = planning.parties(store)
    consent = planning.consents(store)
    align = {a["partner_id"]: a for a in store.rows("alignment")}
    levels: dict[int, dict[str, int]] = {}
    notes: dict[int, list[tuple[str, str]]] = {}
    for c in store.rows("contributions"):
        if c["resource"] in RESOURCES:
            levels.setdefault(c["partner_id"], {})[c["resource"]] = int(c["level"] or 0)
        if c["note"]:
            notes.setdefault(c["partner_id"], []).append((c["resource"].capitalize(), c["note"]))
    partners = [Partner(
        id=p["id"], name=p["name"], kind=kinds.get(p["stakeholder"], str(p["stakeholder"])), goals=p["goals"],
        wins=[planning.TRIPLE_WIN[x] for x in wins.get(f"partner:{p['id']}", [])],
        party=party.get(p["id"]),
        signs_up=ALIGNMENT_CHOICES.get(align.get(p["id"], {}).get("status", ""), "").replace("—", ""),
        signs_up_note=align.get(p["id"], {}).get("note", ""), consents=consent.get(p["id"], False),
        contribution=levels.get(p["id"], {}), contribution_notes=notes.get(p["id"], []),
    ) for p in partner_rows]
    ambitions = store.rows("ambitions")
    chosen = [a["text"] for a in ambitions if a["chosen"]]
    f1, f2, f3, f5 = (store.step_fields(i) for i in (1, 2, 3, 5))
    activities = store.rows("activities")
    roles = {(r["activity_id"], r["partner_id"]): r["role"] for r in store.rows("raci")}
    problems = raci_problems(store)
    template = load_template()
    jw = joint_working.checklist(store)
    nation, nation_sources = joint_working.nation_sources(jw.nation)
    plans = planning.metric_plans(store)

    def metric(m: dict[str, Any]) -> Metric:
        plan = plans.get(str(m["id"]), {})
        return Metric(
            name=m["name"], kind=METRIC_TYPES.get(m["type"], m["type"]), unit=m["unit"], definition=m["definition"],
            numerator=m["numerator"], denominator=m["denominator"],
            direction={"higher": "higher is better", "lower": "lower is better"}.get(m["direction"], ""),
            baseline=_value(m["baseline_value"], m["unit"], m["baseline_date"]),
            target=_value(m["target_value"], m["unit"], m["target_date"]),
            time_points=plan.get("time_points", ""), frequency=m["frequency"], source=m["source"],
            owner=m["owner"], tier=planning.PORTER_TIERS.get(plan.get("tier", ""), "").replace("—", ""))

    metrics = store.rows("metrics")
    scale = planning.pilot_scale(store)
    decided = planning.pilot_decisions(store)
    pilots = []
    for p in store.rows("pilots"):
        d = decided.get(str(p["id"]), {})
        pilots.append(Pilot(
            name=p["name"], description=p["description"], chosen=bool(p["chosen"]), success=p["success"],
            scale=scale.get(str(p["id"]), ""), decision=planning.PILOT_DECISIONS.get(d.get("decision", ""), "")
            .replace("—", ""), decision_reasons=d.get("reasons", ""), decision_date=d.get("date", ""),
            decided_by=d.get("who", ""), metrics=[metric(m) for m in metrics if m["pilot_id"] == p["id"]]))
    pilot_ids = {p["id"] for p in store.rows("pilots")}
    actions = store.rows("actions")
    people = store.rows("participants")
    k = min_group(store)
    per_partner = Counter(p["partner_id"] for p in people)
    attendance: Counter[str] = Counter()
    for pid, n in per_partner.items():
        attendance[names.get(pid, MERGED) if pid in names and n >= k else MERGED] += n
    ok, sentence = planning.publish_status(store)
    del ok
    return Record(
        workshop=w, partners=partners, ambition=chosen[0] if chosen else "",
        ambition_wins=[planning.TRIPLE_WIN[x] for x in wins.get("ambition", [])],
        candidates=[a["text"] for a in ambitions if not a["chosen"]],
        nhs_priorities=str(f1.get("nhs_priorities") or ""), scope=str(f1.get("scope") or ""),
        boundaries=str(f1.get("boundaries") or ""),
        balance=investment_balance(store).message if levels else "",
        raci_partners=[p["name"] for p in partner_rows],
        raci=[(a["name"], [roles.get((a["id"], p["id"]), "") for p in partner_rows], problems.get(a["id"], ""))
              for a in activities],
        decision_rules=str(f3.get("decision_rules") or ""),
        rules=[(str(RULE_CATEGORIES.get(r["category"], r["category"])), r["text"], r["consent"])
               for r in store.rows("rules")],
        rule_keys=[r["category"] for r in store.rows("rules")],
        share_plan=planning.share_plan(store), publish_sentence=sentence,
        exit_strategy=str(f3.get("exit_strategy") or ""), checklist=jw, nation=nation, nation_sources=nation_sources,
        disclaimer=template["disclaimer"],
        pilots=pilots, unlinked_metrics=[metric(m) for m in metrics if m["pilot_id"] not in pilot_ids],
        milestones=[(m["what"], m["date"]) for m in store.rows("milestones")],
        lessons=[x["text"] for x in store.rows("lessons")],
        decision=DECISIONS.get(str(f5.get("decision") or ""), "").replace("—", ""),
        rationale=str(f5.get("rationale") or ""), case_study=str(f5.get("case_study") or ""),
        barriers=[(str(BARRIER_KINDS.get(b["kind"], b["kind"])), b["text"], b["note"]) for b in store.rows("barriers")],
        risk_appetite=str(f2.get("risk_appetite") or ""),
        decisions=[(a["what"], a["owner"], str(ACTION_STATUSES.get(a["status"], a["status"])))
                   for a in actions if a["kind"] == "decision"],
        actions=[(a["what"], a["owner"], a["due"], str(ACTION_STATUSES.get(a["status"], a["status"])))
                 for a in actions if a["kind"] != "decision"],
        glossary=[(g["term"], g["meaning"]) for g in store.rows("glossary")],
        participants=[(p["display_name"] or f"Participant {i:03d}", names.get(p["partner_id"], ""), p["role"])
                      for i, p in enumerate(people, 1)] if include_names else [],
        attendance=sorted(attendance.items(), key=lambda x: (x[0] == MERGED, -x[1], x[0])),
        include_names=include_names, min_group=k,
        steps=[(f"{s['id']}. {STEP_TITLES[s['id']]}", StepStatus(s["status"]).label) for s in store.rows("steps")
               if s["id"] in STEP_TITLES],
    )


LEVELS = CONTRIBUTION_LEVELS
