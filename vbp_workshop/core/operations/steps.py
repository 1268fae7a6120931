"""Edits to a step's free fields (risk appetite, decision rules, joint working, the decision…).

They are kept together as one JSON object in `steps.fields`; this is the one place that merges a
changed field into the others, so no screen rewrites the object itself.
"""

from __future__ import annotations

import json
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Update


def step_field_edit(store: Store, step: int, key: str, value: Any) -> Update:
    """The edit that sets one field of a step and keeps every other field as it is."""
    fields = store.step_fields(step)
    fields[key] = value
    return Update("steps", step, {"fields": json.dumps(fields, ensure_ascii=False)})
