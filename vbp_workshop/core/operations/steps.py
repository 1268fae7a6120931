"""Edits to a step's free fields (risk appetite, decision rules, joint working, the decision…).

They are kept together as one JSON object in `steps.fields`; this is the one place that merges a
changed field into the others, so no screen rewrites the object itself.

Some of those fields hold a record per row of a table (a pilot's go/stop decision, a metric's
plan, a partner's consent: `steps.planning`), keyed by the row's id. A row's records go with the
row, in the same batch (`records_of_deleted`), so an id SQLite hands out again after the last
row was deleted starts with none, and undoing the delete brings them back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Update


def step_field_edit(store: Store, step: int, key: str, value: Any) -> Update:
    """The edit that sets one field of a step and keeps every other field as it is."""
    fields = store.step_fields(step)
    fields[key] = value
    return Update("steps", step, {"fields": json.dumps(fields, ensure_ascii=False)})


# table -> (step, field, key of a row's record in that field): the records kept per row.
ROW_RECORDS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "pilots": ((4, "pilot_scale", "{id}"), (5, "pilot_decisions", "{id}")),
    "metrics": ((4, "metric_plan", "{id}"),),
    "partners": ((1, "triple_win", "partner:{id}"), (3, "parties", "{id}"), (5, "publish_consent", "{id}")),
}


def records_of_deleted(store: Store, deleted: Sequence[tuple[str, int]]) -> list[Update]:
    """The edits that remove the step records of the (table, id) rows being deleted: one per
    step whose fields change."""
    steps: dict[int, dict[str, Any]] = {}
    for table, row_id in deleted:
        for step, field, key in ROW_RECORDS.get(table, ()):
            fields = steps.get(step)
            if fields is None:
                fields = steps[step] = store.step_fields(step)
            section = fields.get(field)
            if isinstance(section, dict) and key.format(id=row_id) in section:
                fields[field] = {k: v for k, v in section.items() if k != key.format(id=row_id)}
    return [Update("steps", step, {"fields": json.dumps(fields, ensure_ascii=False)})
            for step, fields in sorted(steps.items()) if fields != store.step_fields(step)]
