"""What the later steps record beyond their tables, kept in each step's free fields
(`steps.fields`, merged by `operations.steps.step_field_edit`):

- step 1: the triple win each goal serves (the ambition's and each partner's), the fit with NHS
  priorities, the partnership's scope and boundaries;
- step 4: each metric's Porter outcome tier (or its kind), case-mix variables and time points;
  each pilot's design for scale;
- step 5: a go / adapt / stop decision per pilot with its reasons, date and who decided; the
  share-the-success plan (what, where, when) and each partner's consent to publish.

Every text is cleaned on the way in; ids are stored as strings (JSON object keys).
"""

from __future__ import annotations

from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.operations.steps import step_field_edit
from vbp_workshop.core.steps.checks import parse_date

TRIPLE_WIN = {"patients": "Better outcomes for patients", "nhs": "Better use of NHS resources",
              "industry": "Evidence of impact for industry"}
# Porter's three tiers are about outcomes; what is not an outcome says so. A PROM or a PREM is an
# instrument, not a tier: a PROM can measure an outcome in any tier (choose the tier it measures),
# and a biomarker such as LDL at target is an intermediate measure, not health status achieved.
PORTER_TIERS = {
    "": "—",
    "status": "Tier 1: health status achieved",
    "recovery": "Tier 2: process of recovery",
    "sustainability": "Tier 3: sustainability of health",
    "intermediate": "Not an outcome tier: intermediate (a biomarker)",
    "process": "Not an outcome tier: process",
    "experience": "Not an outcome tier: experience of care",
    "cost": "Not an outcome tier: cost",
}
# Files written before instruments and tiers were told apart: a PREM measured experience; a PROM
# could be any tier, so it reads as not chosen yet.
LEGACY_TIERS = {"prem": "experience", "prom": ""}
PILOT_DECISIONS = {"": "—", "go": "Go (scale)", "adapt": "Adapt", "stop": "Stop"}
# A partnership's scope: one care pathway, or a population defined by need and risk across
# pathways (the "State of the Relationship" report's Population Health Partnerships).
SCOPE_KINDS = {"": "—", "pathway": "A pathway (one condition)",
               "population": "A population (across pathways)"}
SCOPE_HINT = ("A pathway: one condition, one care pathway. A population: a cohort defined by need and risk, "
              "across pathways, with prevention and inequalities in scope (a Population Health Partnership).")
STEP1_TEXTS = {"nhs_priorities": "Fit with NHS priorities", "scope": "Scope: what is in",
               "boundaries": "Boundaries: what is out"}
SHARE_FIELDS = {"what": "What is published", "where": "Where", "when": "When"}
MAX_FIELD = 2000


class SeedError(ValueError):
    """A value that does not fit; the message says what to enter."""


def _text(value: Any) -> str:
    return clean_text(str(value or ""))[:MAX_FIELD]


def clean_field(value: Any) -> str:
    """A typed field as stored: cleaned of what a workbook cannot hold, trimmed, bounded."""
    return _text(value).strip()


def _section(store: Store, step: int, key: str) -> dict[str, Any]:
    value = store.step_fields(step).get(key)
    return dict(value) if isinstance(value, dict) else {}


# -- step 1 ---------------------------------------------------------------------------------------


def scope_kind(store: Store) -> str:
    """'pathway', 'population' or '' (not chosen; anything else in an old or hostile file)."""
    value = str(store.step_fields(1).get("scope_kind") or "")
    return value if value in SCOPE_KINDS else ""


def scope_kind_edit(store: Store, value: str) -> Update:
    if value not in SCOPE_KINDS:
        raise SeedError("Choose a pathway or a population.")
    return step_field_edit(store, 1, "scope_kind", value)


def triple_win_owners(store: Store) -> list[tuple[str, str]]:
    """Whose goals step 1 tags with the triple win: the shared ambition, then each partner
    (the keys of `triple_win` and their names)."""
    return [("ambition", "The shared ambition"), *[(f"partner:{p['id']}", p["name"]) for p in store.rows("partners")]]


def triple_win(store: Store) -> dict[str, list[str]]:
    """'ambition' or 'partner:<id>' -> the wins it serves (keys of TRIPLE_WIN)."""
    return {k: [w for w in v if w in TRIPLE_WIN] for k, v in _section(store, 1, "triple_win").items()
            if isinstance(v, list)}


def triple_win_edit(store: Store, who: str, wins: list[str]) -> Update:
    if who != "ambition" and not (who.startswith("partner:") and who[8:].isdigit()):
        raise SeedError("Tag the ambition or a partner's goals.")
    tags = triple_win(store)
    tags[who] = [w for w in TRIPLE_WIN if w in wins]
    return step_field_edit(store, 1, "triple_win", tags)


def text_edit(store: Store, step: int, key: str, value: Any) -> Update:
    return step_field_edit(store, step, key, _text(value))


# -- step 3 ---------------------------------------------------------------------------------------


def parties(store: Store) -> dict[int, bool]:
    """partner id -> a party to the written agreement (True) or not (False), as the joint-working
    tab records them; a partner not yet recorded either way is left out, so "not agreed" can be
    told from "not a party" (core/steps/joint_working.py lists the parties' names)."""
    given = _section(store, 3, "parties")
    ids = {int(p["id"]) for p in store.rows("partners")}
    return {int(k): bool(v) for k, v in given.items() if str(k).isdigit() and int(k) in ids}


# -- step 4 ---------------------------------------------------------------------------------------


def metric_plans(store: Store) -> dict[str, dict[str, str]]:
    """metric id (str) -> {tier, case_mix, time_points}."""
    out = {}
    for k, v in _section(store, 4, "metric_plan").items():
        if isinstance(v, dict):
            plan = {f: str(v.get(f) or "") for f in ("tier", "case_mix", "time_points")}
            plan["tier"] = LEGACY_TIERS.get(plan["tier"], plan["tier"])
            out[str(k)] = plan
    return out


def metric_plan_edit(store: Store, metric_id: int, field: str, value: Any) -> Update:
    if field not in ("tier", "case_mix", "time_points"):
        raise SeedError(f"Unknown metric field “{field}”.")
    if field == "tier" and value not in PORTER_TIERS:
        raise SeedError("Choose a Porter tier or a kind of metric.")
    plans = metric_plans(store)
    plan = plans.setdefault(str(metric_id), {"tier": "", "case_mix": "", "time_points": ""})
    plan[field] = str(value) if field == "tier" else _text(value)
    return step_field_edit(store, 4, "metric_plan", plans)


def pilot_scale(store: Store) -> dict[str, str]:
    return {str(k): str(v) for k, v in _section(store, 4, "pilot_scale").items()}


def pilot_scale_edit(store: Store, pilot_id: int, value: Any) -> Update:
    plans = pilot_scale(store)
    plans[str(pilot_id)] = _text(value)
    return step_field_edit(store, 4, "pilot_scale", plans)


# -- step 5 ---------------------------------------------------------------------------------------


def pilot_decisions(store: Store) -> dict[str, dict[str, str]]:
    """pilot id (str) -> {decision, reasons, date, who}."""
    out = {}
    for k, v in _section(store, 5, "pilot_decisions").items():
        if isinstance(v, dict):
            out[str(k)] = {f: str(v.get(f) or "") for f in ("decision", "reasons", "date", "who")}
    return out


def pilot_decision_edit(store: Store, pilot_id: int, field: str, value: Any) -> Update:
    if field not in ("decision", "reasons", "date", "who"):
        raise SeedError(f"Unknown decision field “{field}”.")
    if field == "decision" and value not in PILOT_DECISIONS:
        raise SeedError("Choose go, adapt or stop.")
    clean = str(value) if field == "decision" else _text(value)
    if field == "date":
        try:
            clean = parse_date(clean)
        except ValueError as exc:
            raise SeedError(str(exc)) from None
    decisions = pilot_decisions(store)
    decisions.setdefault(str(pilot_id), {"decision": "", "reasons": "", "date": "", "who": ""})[field] = clean
    return step_field_edit(store, 5, "pilot_decisions", decisions)


def share_plan(store: Store) -> dict[str, str]:
    plan = _section(store, 5, "share_plan")
    return {f: str(plan.get(f) or "") for f in SHARE_FIELDS}


def share_plan_edit(store: Store, field: str, value: Any) -> Update:
    if field not in SHARE_FIELDS:
        raise SeedError(f"Unknown share-plan field “{field}”.")
    plan = share_plan(store)
    plan[field] = _text(value)
    return step_field_edit(store, 5, "share_plan", plan)


def consents(store: Store) -> dict[int, bool]:
    """partner id -> has consented to publish (every partner listed, False when not recorded)."""
    given = _section(store, 5, "publish_consent")
    return {int(p["id"]): bool(given.get(str(p["id"]))) for p in store.rows("partners")}


def consent_edit(store: Store, partner_id: int, on: bool) -> Update:
    given = {str(k): bool(v) for k, v in _section(store, 5, "publish_consent").items()}
    given[str(partner_id)] = bool(on)
    return step_field_edit(store, 5, "publish_consent", given)


def publish_status(store: Store) -> tuple[bool, str]:
    """(may publish, the sentence that says so): nothing is published without every consent."""
    names = {int(p["id"]): p["name"] for p in store.rows("partners")}
    missing = [names[i] for i, ok in consents(store).items() if not ok]
    if not names:
        return False, "Add the partners first: every partner must consent before anything is published."
    if missing:
        return False, (f"Not yet: waiting for consent from {', '.join(missing)}. Nothing is published "
                       "without every partner's consent.")
    return True, "Every partner has consented: the plan may be published."
