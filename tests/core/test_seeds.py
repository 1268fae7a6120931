"""What the later steps record: triple win, metric plans, per-pilot decisions, consent to publish."""

from __future__ import annotations

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.steps import planning


def _partners(store: Store, n: int) -> None:
    store.apply([Insert("partners", {"id": i, "name": f"P{i}"}) for i in range(1, n + 1)])


def test_nothing_is_published_without_every_partners_consent(store: Store) -> None:
    assert not planning.publish_status(store)[0]  # no partners: nothing to publish yet
    _partners(store, 3)
    store.apply([planning.consent_edit(store, 1, True)])
    store.apply([planning.consent_edit(store, 2, True)])
    ok, sentence = planning.publish_status(store)
    assert not ok and "P3" in sentence and "P1" not in sentence
    store.apply([planning.consent_edit(store, 3, True)])
    assert planning.publish_status(store)[0]
    store.apply([planning.consent_edit(store, 2, False)])  # consent withdrawn
    assert planning.consents(store) == {1: True, 2: False, 3: True} and not planning.publish_status(store)[0]


def test_a_pilot_decision_keeps_its_fields_and_checks_them(store: Store) -> None:
    store.apply([planning.pilot_decision_edit(store, 4, "decision", "stop")])
    store.apply([planning.pilot_decision_edit(store, 4, "reasons", "No effect\x00 after a year")])
    store.apply([planning.pilot_decision_edit(store, 4, "date", "2027-09-30")])
    assert planning.pilot_decisions(store)["4"] == {"decision": "stop", "reasons": "No effect after a year",
                                                 "date": "2027-09-30", "who": ""}
    assert planning.pilot_decision_edit(store, 4, "date", "30/09/2027").values == \
        planning.pilot_decision_edit(store, 4, "date", "2027-09-30").values  # a UK date is read day first
    with pytest.raises(planning.SeedError, match="not a date"):
        planning.pilot_decision_edit(store, 4, "date", "09/30/2027")
    with pytest.raises(planning.SeedError):
        planning.pilot_decision_edit(store, 4, "decision", "maybe")
    assert store.step_fields(5)["pilot_decisions"]["4"]["decision"] == "stop"  # a refusal changed nothing


def test_triple_win_tags_and_metric_tiers(store: Store) -> None:
    store.apply([planning.triple_win_edit(store, "ambition", ["industry", "patients", "bogus"])])
    store.apply([planning.triple_win_edit(store, "partner:2", ["nhs"])])
    assert planning.triple_win(store) == {"ambition": ["patients", "industry"], "partner:2": ["nhs"]}
    with pytest.raises(planning.SeedError):
        planning.triple_win_edit(store, "partner:x", ["nhs"])
    store.apply([planning.metric_plan_edit(store, 7, "tier", "recovery")])  # an edit is built on the file as it is
    store.apply([planning.metric_plan_edit(store, 7, "time_points", "30 days, then yearly")])
    assert planning.metric_plans(store)["7"] == {"tier": "recovery", "case_mix": "",
                                                 "time_points": "30 days, then yearly"}
    with pytest.raises(planning.SeedError):
        planning.metric_plan_edit(store, 7, "tier", "tier 9")


def test_a_pilots_records_go_with_it_and_a_new_pilot_with_its_id_starts_empty(store: Store) -> None:
    """SQLite gives the id of the last row deleted to the next row: a decision kept by pilot id
    once passed from a deleted pilot to the next one added."""
    from vbp_workshop.core.model.changes import Delete
    from vbp_workshop.core.operations import apply_edits

    apply_edits(store, None, [Insert("pilots", {"name": "Statins review"})])
    (old,) = [r["id"] for r in store.rows("pilots")]
    _partners(store, 1)
    apply_edits(store, None, [planning.pilot_decision_edit(store, old, "decision", "stop")])
    apply_edits(store, None, [planning.pilot_scale_edit(store, old, "Any PCN")])
    apply_edits(store, None, [planning.consent_edit(store, 1, True)])
    undo = apply_edits(store, None, [Delete("pilots", old), Delete("partners", 1)])
    assert planning.pilot_decisions(store) == {} and planning.pilot_scale(store) == {}
    assert planning.consents(store) == {}
    apply_edits(store, None, undo)  # undo brings the pilot back with its records
    assert planning.pilot_decisions(store)[str(old)]["decision"] == "stop" and planning.consents(store) == {1: True}
    apply_edits(store, None, [Delete("pilots", old)])
    apply_edits(store, None, [Insert("pilots", {"name": "Asthma reviews"})])
    (new,) = [r["id"] for r in store.rows("pilots")]
    assert new == old  # the id is handed out again…
    assert str(new) not in planning.pilot_decisions(store) and str(new) not in planning.pilot_scale(store)  # …empty
