"""What a step workspace and its poll panel are given: the session, the dialogs and the room."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vbp_workshop.core.model.domain import STAKEHOLDER_LABELS
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dialogs import DialogService

if TYPE_CHECKING:  # the room is built above the shared layer; only its type is named here
    from vbp_workshop.ui.projector.room import LiveRoom


@dataclass
class PageContext:
    session: Session
    dialogs: DialogService
    room: LiveRoom

    def partner_names(self) -> dict[int, str]:
        return {p["id"]: p["name"] for p in self.session.store.rows("partners")}

    def stakeholder_labels(self) -> dict[str, str]:
        return {k.value: v for k, v in STAKEHOLDER_LABELS.items()}
