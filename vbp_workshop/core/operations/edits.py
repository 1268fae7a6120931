"""Edit batches (Insert/Update/Delete) made by the facilitator, by undo and by redo.

The rules that keep a workshop consistent whatever the screen that asks: a poll's answers
always point at options that exist, and an open poll is closed before it disappears.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import FACILITATOR, Delete, Edit, Insert, Update
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.text import clean_json_text, clean_text
from vbp_workshop.core.operations.live import close_poll
from vbp_workshop.core.operations.steps import ROW_RECORDS, records_of_deleted
from vbp_workshop.core.polls import queries


class Refused(ValueError):
    """An operation that would break the workshop; the message says why and what to do."""


# Columns that hold a JSON document: their strings are cleaned inside the document.
_JSON_COLUMNS = frozenset({"options", "settings", "fields", "checklist"})  # not "answer": canonical already


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (clean_json_text(v) if k in _JSON_COLUMNS else clean_text(v)) if isinstance(v, str) else v
            for k, v in values.items()}


def cleaned(edits: Sequence[Edit]) -> list[Edit]:
    """The batch with every text a person typed or imported cleaned of the characters XML (and so
    every spreadsheet) forbids: a form is a boundary like the phone server and the imports."""
    out: list[Edit] = []
    for e in edits:
        if isinstance(e, Insert):
            out.append(Insert(e.table, _clean_values(e.values)))
        elif isinstance(e, Update):
            out.append(Update(e.table, e.id, _clean_values(e.values)))
        else:
            out.append(e)
    return out


# Settings that change what a stored answer means (an index past the end, a level off the scale).
_ANSWER_SETTINGS = ("min", "max")


def _shape(row: dict[str, Any]) -> tuple[Any, ...]:
    settings = json.loads(row.get("settings") or "{}")
    return (row.get("kind"), json.loads(row.get("options") or "[]"),
            *(settings.get(k) for k in _ANSWER_SETTINGS))


def frozen_reason(store: Store, poll_id: int) -> str:
    """Why a poll's type, options and scale cannot change now, or '' when they can."""
    n = queries.answer_count(store, poll_id)
    if not n:
        return ""
    return (f"This poll already has {n} answer{'s' if n != 1 else ''} (in this or an earlier round), "
            "and each answer points at an option, so its type, options and scale are fixed. "
            "To ask a changed version, use Duplicate and edit the copy (it starts empty); "
            "to ask the same question again, start a New round.")


def poll_integrity(store: Store, edits: Sequence[Edit]) -> None:
    """Refuse edits that would leave answers pointing nowhere. Runs inside the batch's transaction."""
    for edit in edits:
        if edit.table != "polls" or not isinstance(edit, Update | Delete):
            continue
        old = store.row("polls", edit.id)
        if old is None:
            continue
        if isinstance(edit, Delete):
            if old["state"] == "open":
                raise Refused(f"“{old['question']}” is open for votes: close it before removing it.")
            continue
        if _shape({**old, **edit.values}) != _shape(old):
            reason = frozen_reason(store, edit.id)
            if reason:
                raise Refused(reason)


# Rules a higher floor adds to every batch (the joint-working readiness of step 3 registers from
# core/steps/joint_working.py): they run in the batch's transaction, after the poll integrity.
BATCH_RULES: list[Callable[[Store, Sequence[Edit]], None]] = []


def _rules(store: Store, edits: Sequence[Edit]) -> None:
    poll_integrity(store, edits)
    for rule in BATCH_RULES:
        rule(store, edits)


def apply_edits(store: Store, live: LiveState | None, edits: Sequence[Edit],
                origin: str = FACILITATOR) -> list[Edit]:
    """Apply a batch under the workshop's rules; return the batch that undoes it.

    An open poll about to be deleted (the undo of "Add poll", say) is closed first, the way the
    Close button closes it: the vote writer refuses its ballots from that moment, instead of
    failing a whole batch of votes on a foreign key.
    """
    if live is not None:
        open_ids = {p.id for p in live.open_polls()}
        for edit in edits:
            if isinstance(edit, Delete) and edit.table == "polls":
                row = store.row("polls", edit.id)
                if edit.id in open_ids or (row is not None and row["state"] == "open"):
                    close_poll(store, live, edit.id)
    deleted = [(e.table, e.id) for e in edits if isinstance(e, Delete) and e.table in ROW_RECORDS]
    if deleted:  # a row's step records go with it (and come back with its undo)
        edits = [*edits, *records_of_deleted(store, deleted)]
    return store.apply(cleaned(edits), origin, check=_rules)
