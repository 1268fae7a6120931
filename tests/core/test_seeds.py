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
    with pytest.raises(planning.SeedError, match="YYYY-MM-DD"):
        planning.pilot_decision_edit(store, 4, "date", "30/09/2027")
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
