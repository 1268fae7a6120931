"""The decisions and actions log: what was decided, who does what by when."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import ACTION_KINDS, ACTION_STATUSES, NUMBERED_STEPS
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec

STEPS = {0: "Whole workshop", **NUMBERED_STEPS}


class ActionsPage(QWidget):
    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.setObjectName("actions")
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label("Decisions and actions", wrap=False, cls="pageTitle"))
        self.table = RecordTable(ctx.session, TableSpec("actions", [
            Column("kind", "Kind", "choice", ACTION_KINDS, width=90),
            Column("step", "Step", "choice", STEPS, width=230),
            Column("what", "What", width=380, sentence=True), Column("owner", "Owner", width=180),
            Column("due", "Due", "date", width=100),
            Column("status", "Status", "choice", ACTION_STATUSES, width=90),
        ], noun="entry", defaults=lambda: {"kind": "action"}), "",
            "Ctrl+Shift+A adds an action from any step.")
        lay.addWidget(self.table, 1)
