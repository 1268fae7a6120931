"""What the later steps record: triple win, metric plans, per-pilot decisions, consent to publish."""

from __future__ import annotations

import pytest

from vbp_workshop.core import seeds
from vbp_workshop.core.store import Insert, Store


def _partners(store: Store, n: int) -> None:
    store.apply([Insert("partners", {"id": i, "name": f"P{i}"}) for i in range(1, n + 1)])


def test_nothing_is_published_without_every_partners_consent(store: Store) -> None:
    assert not seeds.publish_status(store)[0]  # no partners: nothing to publish yet
    _partners(store, 3)
    store.apply([seeds.consent_edit(store, 1, True)])
    store.apply([seeds.consent_edit(store, 2, True)])
    ok, sentence = seeds.publish_status(store)
    assert not ok and "P3" in sentence and "P1" not in sentence
    store.apply([seeds.consent_edit(store, 3, True)])
    assert seeds.publish_status(store)[0]
    store.apply([seeds.consent_edit(store, 2, False)])  # consent withdrawn
    assert seeds.consents(store) == {1: True, 2: False, 3: True} and not seeds.publish_status(store)[0]


def test_a_pilot_decision_keeps_its_fields_and_checks_them(store: Store) -> None:
    store.apply([seeds.pilot_decision_edit(store, 4, "decision", "stop")])
    store.apply([seeds.pilot_decision_edit(store, 4, "reasons", "No effect\x00 after a year")])
    store.apply([seeds.pilot_decision_edit(store, 4, "date", "2027-09-30")])
    assert seeds.pilot_decisions(store)["4"] == {"decision": "stop", "reasons": "No effect after a year",
                                                 "date": "2027-09-30", "who": ""}
    assert seeds.pilot_decision_edit(store, 4, "date", "30/09/2027").values == \
        seeds.pilot_decision_edit(store, 4, "date", "2027-09-30").values  # a UK date is read day first
    with pytest.raises(seeds.SeedError, match="not a date"):
        seeds.pilot_decision_edit(store, 4, "date", "09/30/2027")
    with pytest.raises(seeds.SeedError):
        seeds.pilot_decision_edit(store, 4, "decision", "maybe")
    assert store.step_fields(5)["pilot_decisions"]["4"]["decision"] == "stop"  # a refusal changed nothing


def test_triple_win_tags_and_metric_tiers(store: Store) -> None:
    store.apply([seeds.triple_win_edit(store, "ambition", ["industry", "patients", "bogus"])])
    store.apply([seeds.triple_win_edit(store, "partner:2", ["nhs"])])
    assert seeds.triple_win(store) == {"ambition": ["patients", "industry"], "partner:2": ["nhs"]}
    with pytest.raises(seeds.SeedError):
        seeds.triple_win_edit(store, "partner:x", ["nhs"])
    store.apply([seeds.metric_plan_edit(store, 7, "tier", "recovery")])  # an edit is built on the file as it is
    store.apply([seeds.metric_plan_edit(store, 7, "time_points", "30 days, then yearly")])
    assert seeds.metric_plans(store)["7"] == {"tier": "recovery", "case_mix": "", "time_points": "30 days, then yearly"}
    with pytest.raises(seeds.SeedError):
        seeds.metric_plan_edit(store, 7, "tier", "tier 9")
