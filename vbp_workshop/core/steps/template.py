"""The built-in template ("Value-based partnership — five steps") and new workshops from it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Insert, Update
from vbp_workshop.core.model.domain import RESOURCES
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.steps import ideas


def resource_path(*parts: str) -> Any:
    return resources.files("vbp_workshop").joinpath("resources", *parts)


@cache
def load_template() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("template.json").read_text("utf-8"))
    return data


def guide(step: int) -> dict[str, Any]:
    guides: dict[str, Any] = load_template()["steps"][str(step)]
    return guides


def starter_poll_edits() -> list[Edit]:
    edits: list[Edit] = []
    for p in load_template()["polls"]:
        # A "rule" poll is a pattern: the rules table makes one per rule (target rule:<id>).
        target = p.get("target", "") if p.get("target") != "rule" else ""
        edits.append(new_poll_edit(p["step"], p["kind"], p["question"], p.get("options", []),
                                   p.get("settings", {}), target))
    return edits


def new_workshop(path: Path | str, title: str = "New partnership workshop", **fields: Any) -> Store:
    """Create a workshop file from the template: agenda, guides and starter polls."""
    store = Store.create(path)
    edits: list[Edit] = [Update("workshop", 1, {"title": title, **fields})]
    edits += [Insert("agenda", dict(item)) for item in load_template()["agenda"]]
    edits += starter_poll_edits()
    edits += ideas.starter_activity_edits()  # an ideas activity where each step starts
    store.apply(edits, origin="template")
    return store


def ensure_partner_rows(store: Store, partner_id: int) -> list[Edit]:
    """The per-partner rows a new partner needs in steps 1 and 2 (alignment, contributions)."""
    edits: list[Edit] = []
    if not store.rows("alignment", "partner_id = ?", (partner_id,)):
        edits.append(Insert("alignment", {"partner_id": partner_id}))
    have = {r["resource"] for r in store.rows("contributions", "partner_id = ?", (partner_id,))}
    edits += [Insert("contributions", {"partner_id": partner_id, "resource": r})
              for r in RESOURCES if r not in have]
    return edits
