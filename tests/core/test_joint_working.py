"""The joint-working checklist: must-pass items block step 3's "done" until met or actioned."""

from __future__ import annotations

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert, Update
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.operations.edits import Refused, apply_edits
from vbp_workshop.core.steps.joint_working import ACTIONED, MET, OPEN, checklist
from vbp_workshop.core.steps.template import load_template

MUST = [i["key"] for i in load_template()["joint_working"] if i["level"] == "must" and i["applies"] == "all"]


def _partners(store: Store, *kinds: str) -> None:
    for i, kind in enumerate(kinds, 1):
        store.apply([Insert("partners", {"id": i, "name": f"{kind} {i}", "stakeholder": kind})])


def _set(store: Store, key: str, value: object) -> None:
    apply_edits(store, None, [step_field_edit(store, 3, key, value)])


def test_the_code_s_missing_conditions_are_must_pass_items() -> None:
    keys = {i["key"]: i for i in load_template()["joint_working"]}
    assert {"prospective", "certified", "patient_org", "guidance", "patients", "exit"} <= set(MUST) | {"patient_org"}
    assert keys["patient_org"]["level"] == "must" and keys["patient_org"]["applies"] == "patient_org"
    assert "always" in keys["patients"]["text"] and "not enough" in keys["patients"]["text"]


def test_must_pass_items_block_done_until_met_or_given_an_owner(store: Store) -> None:
    _partners(store, "provider", "pharma")
    jw = checklist(store)
    assert jw.applies and not jw.ready and {i.key for i in jw.unmet_must} == set(MUST)
    with pytest.raises(Refused, match="Step 3 is not ready"):
        apply_edits(store, None, [Update("steps", 3, {"status": "done"})])
    assert store.row("steps", 3)["status"] != "done"  # nothing written
    _set(store, "joint_working", dict.fromkeys(MUST, True))
    _set(store, "joint_working_owners", {"exit": "ICB governance lead"})
    _set(store, "joint_working", {**dict.fromkeys(MUST, True), "exit": False})
    jw = checklist(store)
    assert {i.key: i.status for i in jw.items}["exit"] == ACTIONED and jw.ready
    apply_edits(store, None, [Update("steps", 3, {"status": "done"})])
    assert store.row("steps", 3)["status"] == "done"


def test_exit_cannot_be_ticked_without_an_exit_rule(store: Store) -> None:
    _partners(store, "provider", "pharma")
    _set(store, "joint_working", dict.fromkeys(MUST, True))
    exit_item = next(i for i in checklist(store).items if i.key == "exit")
    assert exit_item.status == OPEN and "no exit rule" in exit_item.why_not
    assert not checklist(store).ready
    rule = {"category": "exit", "text": "Three months' notice; data stay in the NHS."}
    apply_edits(store, None, [Insert("rules", rule)])
    assert next(i for i in checklist(store).items if i.key == "exit").status == MET
    assert checklist(store).ready


def test_items_apply_by_who_takes_part(store: Store) -> None:
    _partners(store, "provider", "medtech")
    jw = checklist(store)
    assert not jw.applies and jw.ready  # no pharmaceutical company: the ABPI conditions do not apply
    apply_edits(store, None, [Update("steps", 3, {"status": "done"})])
    assert "medtech" in {i.key for i in jw.items} and "patient_org" not in {i.key for i in jw.items}
    store.apply([Insert("partners", {"id": 9, "name": "Heart patients", "stakeholder": "patient"})])
    assert "patient_org" in {i.key for i in checklist(store).items}


def test_parties_are_the_signatories_not_every_partner(store: Store) -> None:
    _partners(store, "provider", "pharma", "patient")
    _set(store, "parties", {"1": True, "2": True, "3": False})
    assert checklist(store).parties == ["provider 1", "pharma 2"]


def test_the_nation_chooses_the_sources(store: Store) -> None:
    from vbp_workshop.core.steps.joint_working import nation_sources

    assert checklist(store).nation == "england"
    _set(store, "nation", "scotland")
    label, sources = nation_sources(checklist(store).nation)
    assert label == "Scotland" and any("Common Understanding" in s for s in sources)
    _set(store, "nation", "atlantis")  # a value from an old or hostile file: England, not a crash
    assert checklist(store).nation == "england"
