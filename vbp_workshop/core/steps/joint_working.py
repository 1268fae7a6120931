"""The joint-working checklist: must-pass items, advisory ones, and when step 3 is ready.

The ABPI Code's clause on collaborative working sets conditions a joint-working project must
meet (`level: must`); the rest is good practice (`advisory`). An item applies to every
joint-working project, or only when a patient organisation or a medtech company takes part.
Each item is *met* (ticked), *actioned* (not met yet, but someone has been named to see to it,
`joint_working_owners` in step 3) or *open*. The exit-strategy item cannot be met while no exit
rule is recorded: a tick with nothing agreed behind it is the false assurance this avoids.

The checklist applies when a pharmaceutical company takes part (the ABPI Code binds companies,
and its *parties* are the organisations that sign the agreement, which step 3 records). Step 3 is
*ready* when every applicable must-pass item is met or actioned; until then its status cannot be
set to done. It prompts the partners and is not legal advice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Update
from vbp_workshop.core.model.domain import Stakeholder
from vbp_workshop.core.operations.edits import BATCH_RULES, Refused
from vbp_workshop.core.steps import template

MET, ACTIONED, OPEN = "met", "actioned", "open"
STATUS_LABELS = {MET: "Met", ACTIONED: "Not met: actioned", OPEN: "Not met"}
DEFAULT_NATION = "england"
EXIT_CATEGORY = "exit"


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    source: str
    must: bool
    status: str  # MET, ACTIONED or OPEN
    owner: str = ""
    why_not: str = ""  # why a tick does not count (the exit item without an exit rule)


@dataclass(frozen=True)
class Checklist:
    applies: bool  # a pharmaceutical company takes part
    items: list[Item]
    nation: str
    parties: list[str]  # partner names recorded as parties to the written agreement

    @property
    def unmet_must(self) -> list[Item]:
        return [i for i in self.items if i.must and i.status == OPEN]

    @property
    def ready(self) -> bool:
        return not self.applies or not self.unmet_must

    def verdict(self) -> str:
        if not self.applies:
            return "No pharmaceutical company takes part: the ABPI Code's joint-working conditions do not apply."
        if self.ready:
            actioned = [i for i in self.items if i.must and i.status == ACTIONED]
            return ("Ready: every must-pass item is met" + (
                f", {len(actioned)} of them through an action with an owner" if actioned else "") + ".")
        return (f"Not ready: {len(self.unmet_must)} must-pass item{'s' if len(self.unmet_must) != 1 else ''} "
                "neither met nor given an owner.")


def _fields(store: Store) -> dict[str, Any]:
    return store.step_fields(3)


def exit_recorded(store: Store) -> bool:
    """An exit rule in step 3's rules, or an exit strategy written in step 3."""
    rules = store.rows("rules")
    if any(r["category"] == EXIT_CATEGORY and str(r["text"]).strip() for r in rules):
        return True
    return bool(str(_fields(store).get("exit_strategy") or "").strip())


def checklist(store: Store) -> Checklist:
    fields = _fields(store)
    ticked = fields.get("joint_working") or {}
    owners = {str(k): str(v).strip() for k, v in (fields.get("joint_working_owners") or {}).items() if str(v).strip()}
    partners = store.rows("partners")
    kinds = {p["stakeholder"] for p in partners}
    parties_given = fields.get("parties") or {}
    parties = [p["name"] for p in partners if parties_given.get(str(p["id"]))]
    applies_to = {"all": True, "patient_org": Stakeholder.PATIENT in kinds, "medtech": Stakeholder.MEDTECH in kinds}
    has_exit = exit_recorded(store)
    items = []
    for raw in template.load_template()["joint_working"]:
        if not applies_to.get(raw.get("applies", "all"), True):
            continue
        key = raw["key"]
        met = bool(ticked.get(key))
        why_not = ""
        if key == "exit" and met and not has_exit:
            met, why_not = False, "ticked, but no exit rule or exit strategy is recorded in step 3"
        status = MET if met else ACTIONED if owners.get(key) else OPEN
        items.append(Item(key, raw["text"], raw["source"], raw.get("level") == "must", status,
                          owners.get(key, ""), why_not))
    nation = str(fields.get("nation") or DEFAULT_NATION)
    if nation not in template.load_template()["joint_working_nations"]:
        nation = DEFAULT_NATION
    return Checklist(Stakeholder.PHARMA in kinds, items, nation, parties)


def nation_sources(nation: str) -> tuple[str, list[str]]:
    """(the nation's name, the guidance that applies there)."""
    nations = template.load_template()["joint_working_nations"]
    entry = nations.get(nation) or nations[DEFAULT_NATION]
    return str(entry["label"]), [str(s) for s in entry["sources"]]


def step_readiness(store: Store, edits: Sequence[Edit]) -> None:
    """Refuse marking step 3 done while a must-pass joint-working item is neither met nor given
    an owner. Registered with the operations' batch rules below: it runs in every batch's transaction."""
    for edit in edits:
        if isinstance(edit, Update) and edit.table == "steps" and edit.id == 3 and edit.values.get("status") == "done":
            jw = checklist(store)
            if not jw.ready:
                names = "; ".join(i.text.split(":")[0] for i in jw.unmet_must[:3])
                raise Refused(f"Step 3 is not ready: {jw.verdict()} First: {names}. Tick what is met, or name "
                              "an owner for each open item on the Joint working tab.")


BATCH_RULES.append(step_readiness)
