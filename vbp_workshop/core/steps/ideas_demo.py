"""The demo workshop's finished ideas activity (step 2, barriers): collected on phones,
supported, one hidden, a near-duplicate pair merged, promoted to a dot vote, voted, the two
winners adopted into the barrier list — so every part of the trail has something to show."""

from __future__ import annotations

import json
import random

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Insert, Update
from vbp_workshop.core.steps import ideas

IDEAS = [
    ("Data-sharing agreements take months to sign", "provider"),
    ("data sharing agreements take months to sign!", "pharma"),
    ("Nobody owns the pathway end to end", "clinician"),
    ("Industry motives are not trusted by clinicians", "clinician"),
    ("GP practices have no time for searches", "provider"),
    ("Patients are asked too late", "patient"),
    ("Budgets are set per organisation, not per pathway", "payer"),
    ("This partner is useless", "other"),  # hidden by the facilitator
]
AT = "2026-11-24T11:20:00"


def add_demo_ideas(store: Store, seed: int = 7) -> None:
    rng = random.Random(seed)
    ids = random.Random(seed + 1)  # ballot and idea ids: the same on every run, apart from the answers
    devices = [(d["pseudonym"], d["grp"]) for d in store.rows("devices", order="id")]
    if not devices:
        return
    aid = store.next_id("idea_activities")
    store.apply([Insert("idea_activities", {
        **ideas.new_activity_edit(2, "barriers", "What stands in the way of this partnership working?").values,
        "id": aid, "state": "closed", "opened_at": "2026-11-24T11:10:00", "closed_at": AT})], origin="demo")
    first = store.next_id("ideas")
    edits: list[Edit] = []
    for n, (text, grp) in enumerate(IDEAS):
        device = next((d for d, g in devices[n:] if g == grp), devices[n % len(devices)][0])
        edits.append(Insert("ideas", {"id": first + n, "activity_id": aid, "text": text, "submitted": text,
                                      "grp": grp, "device": device, "uid": ids.randbytes(8).hex(),
                                      "status": "new", "created_at": AT}))
    for n in range(len(IDEAS) - 1):
        for d, _g in rng.sample(devices, rng.randint(1, 9)):
            edits.append(Insert("idea_supports", {"idea_id": first + n, "device": d, "created_at": AT}))
    store.apply(edits, origin="demo")
    store.apply(ideas.status_edits(store, [first + len(IDEAS) - 1], ideas.HIDDEN), origin="demo")
    store.apply(ideas.merge_edits(store, [first, first + 1], "Data-sharing agreements take months to sign", AT),
                origin="demo")
    merged = int(store.rows("ideas", "activity_id = ? AND status = 'approved'", (aid,))[-1]["id"])
    store.apply(ideas.promote_edits(store, aid, [merged, first + 2, first + 3, first + 6], "points",
                                    "Which barriers should we tackle first? Spread your 10 dots"), origin="demo")
    poll_id = int(store.row("idea_activities", aid)["poll_id"])  # type: ignore[index]
    weights = [5, 3, 2, 4]
    ballots: list[Edit] = []
    for voter, grp in devices[:26]:
        spread: dict[str, int] = {}
        for _ in range(10):
            k = str(rng.choices(range(4), weights=weights)[0])
            spread[k] = spread.get(k, 0) + 1
        ballots.append(Insert("ballots", {"poll_id": poll_id, "round": 1, "voter": voter, "grp": grp,
                                          "source": "phone", "answer": json.dumps(spread),
                                          "ballot_uid": ids.randbytes(8).hex(), "created_at": AT, "updated_at": AT}))
    ballots.append(Insert("poll_rounds", {"poll_id": poll_id, "round": 1, "opened_at": "2026-11-24T11:24:00",
                                          "closed_at": "2026-11-24T11:28:00"}))
    ballots.append(Update("polls", poll_id, {"state": "closed", "revealed": 1}))
    store.apply(ballots, origin="demo")
    store.apply(ideas.adopt_edits(store, aid, top=2, at=AT), origin="demo")
