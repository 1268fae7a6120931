"""The edits that define polls and record hand counts, and those that carry a closed poll's
result into the step it is linked to. Returned as batches for `operations.apply_edits` (undoable)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Insert, Update, now_iso
from vbp_workshop.core.model.poll import BallotError, Poll, encode, validate
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.queries import consent_summary, round_tally


def new_poll_edit(step: int, kind: str, question: str, options: list[str] | None = None,
                  settings: dict[str, Any] | None = None, target: str = "") -> Insert:
    return Insert("polls", {
        "step": step, "kind": kind, "question": question,
        "options": json.dumps(options or [], ensure_ascii=False),
        "settings": json.dumps(settings or {}, ensure_ascii=False), "target": target,
    })


def duplicate_edit(poll: Poll) -> Insert:
    return new_poll_edit(poll.step, poll.kind, poll.question + " (copy)", list(poll.options),
                         poll.settings, "")


def hand_count_edits(poll: Poll, round_: int, entries: list[tuple[str, Any, int]]) -> list[Edit]:
    """Edits that record hand counts: (stakeholder group, answer, how many hands) each.

    For a points or multiple-choice poll an entry is the group's points or hands per option and
    how many people gave them (points and hands are not people); for agreement it is the hands
    per statement and level, and the kind counts the people (`PollKind.hand_weight`).
    Raises BallotError naming the first entry that does not fit the poll.
    """
    edits: list[Edit] = []
    stamp = now_iso()
    for n, (grp, answer, count) in enumerate(entries, 1):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise BallotError(f"Entry {n}: the count must be a whole number of hands.")
        if count == 0 and poll.plugin.hand_people and answer:
            raise BallotError(f"Entry {n}: say how many people voted.")
        try:
            clean = validate(poll, answer, hand=True)
            count = poll.plugin.hand_weight(clean, count)  # agreement counts its people itself
        except BallotError as exc:
            if count == 0:  # an empty row of the form is no entry
                continue
            raise BallotError(f"Entry {n}: {exc}") from None
        if count == 0:
            continue
        edits.append(Insert("ballots", {
            "poll_id": poll.id, "round": round_, "voter": "hand-" + secrets.token_hex(6),
            "grp": grp, "source": "hand", "weight": count, "answer": encode(clean),
            "ballot_uid": "", "created_at": stamp, "updated_at": stamp,
        }))
    return edits


def apply_result_edits(store: Store, poll: Poll, tally_of: Callable[[Poll], Tally] | None = None) -> list[Edit]:
    """Edits that carry a closed poll's result into the step content it is linked to.

    `tally_of` gives the round's tally if the caller keeps one current; else it is counted
    from the file (only for a poll that carries its result somewhere)."""
    consent = poll.target.startswith("rule:") and poll.kind == "fist"
    placing = poll.target == "pilots" and poll.kind == "matrix"
    if not (consent or placing):
        return []
    t = tally_of(poll) if tally_of is not None else round_tally(store, poll)
    if not t.respondents:
        return []
    if consent:
        rule_id = int(poll.target.split(":", 1)[1])
        if store.row("rules", rule_id):
            return [Update("rules", rule_id, {"consent": consent_summary(t), "poll_id": poll.id})]
        return []
    if placing:
        by_name = {r["name"]: r["id"] for r in store.rows("pilots")}
        edits: list[Edit] = []
        for label, point in zip(t.labels, t.points, strict=False):
            if point and label in by_name:
                # The matrix's x axis is effort and y is impact (see the template).
                edits.append(Update("pilots", by_name[label],
                                    {"effort": round(point[0], 2), "impact": round(point[1], 2)}))
        return edits
    return []
