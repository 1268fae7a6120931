"""A step workspace's chrome: its header and the guide panel beside it."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.model.domain import StepStatus, step_label
from vbp_workshop.core.operations.edits import Refused
from vbp_workshop.core.steps.template import guide
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import CheckText, plain_label


class GuidePanel(QScrollArea):
    """The facilitator's guide for a step: purpose, timings, prompts, checklist, sources."""

    def __init__(self, session: Session, step: int) -> None:
        super().__init__()
        self.session, self.step = session, step
        self.setObjectName("guide")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(210)
        g = guide(step)
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(plain_label("Facilitator's guide", cls="guideTitle"))
        lay.addWidget(plain_label(g["purpose"]))
        lay.addWidget(plain_label("Suggested timings", cls="section"))
        total = sum(m for _, m in g["timings"])
        for what, minutes in g["timings"]:
            lay.addWidget(plain_label(f"{minutes:>3} min  {what}"))
        lay.addWidget(plain_label(f"{total} minutes in all", cls="hint"))
        lay.addWidget(plain_label("Prompts for the room", cls="section"))
        for p in g["prompts"]:
            lay.addWidget(plain_label("• " + p))
        lay.addWidget(plain_label("What good looks like", cls="section"))
        self.checks: list[QCheckBox] = []
        for i, item in enumerate(g["checklist"]):
            row = QHBoxLayout()
            box = QCheckBox()
            box.setObjectName(f"check_{step}_{i}")
            box.setAccessibleName(item)
            box.toggled.connect(lambda on, i=i: self._toggle(i, on))
            text = CheckText(item, box)
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            lay.addLayout(row)
            self.checks.append(box)
        if g.get("notes"):  # how to read the step's results (the balance rule, NASSS levels…)
            lay.addWidget(plain_label("Reading the results", cls="section"))
            for n in g["notes"]:
                lay.addWidget(plain_label(n))
        lay.addWidget(plain_label("Sources to follow up", cls="section"))
        for s in g["sources"]:
            lay.addWidget(plain_label(s, cls="hint"))
        lay.addStretch(1)
        self.setWidget(body)
        self.load()
        session.changed.connect(lambda c: self.load() if c.touches("steps") else None)

    def ticked(self) -> list[int]:
        row = self.session.store.row("steps", self.step) or {}
        return list(json.loads(row.get("checklist") or "[]"))

    def load(self) -> None:
        ticked = set(self.ticked())
        for i, box in enumerate(self.checks):
            box.blockSignals(True)
            box.setChecked(i in ticked)
            box.blockSignals(False)

    def _toggle(self, i: int, on: bool) -> None:
        ticked = set(self.ticked())
        ticked = ticked | {i} if on else ticked - {i}
        self.session.edit([Update("steps", self.step, {"checklist": json.dumps(sorted(ticked))})],
                          "Tick checklist" if on else "Untick checklist")


class StepHeader(QFrame):
    """The step's number, title and status, and a button that shows or hides the guide."""

    guide_toggled = Signal(bool)

    def __init__(self, session: Session, step: int) -> None:
        super().__init__()
        self.session, self.step = session, step
        self.setObjectName("stepHeader")
        lay = QHBoxLayout(self)
        lay.addWidget(plain_label(step_label(step), cls="pageTitle"), 1)
        lay.addWidget(QLabel("Status:"))
        self.status = QComboBox()
        self.status.setObjectName(f"status_{step}")
        for s in StepStatus:
            self.status.addItem(s.label, s.value)
        self.status.currentIndexChanged.connect(self._set_status)
        lay.addWidget(self.status)
        self.guide_button = QPushButton("Hide guide")
        self.guide_button.setCheckable(True)
        self.guide_button.setChecked(True)
        self.guide_button.toggled.connect(self._toggle_guide)
        lay.addWidget(self.guide_button)
        self.load()
        session.changed.connect(lambda c: self.load() if c.touches("steps") else None)

    def load(self) -> None:
        row = self.session.store.row("steps", self.step) or {}
        self.status.blockSignals(True)
        self.status.setCurrentIndex(max(0, self.status.findData(row.get("status", "not_started"))))
        self.status.blockSignals(False)

    def _set_status(self) -> None:
        value = self.status.currentData()
        row = self.session.store.row("steps", self.step) or {}
        if value != row.get("status"):
            try:
                self.session.edit([Update("steps", self.step, {"status": value})], "Change step status")
            except Refused as exc:  # step 3 is not ready (the joint-working checklist): say why
                self.load()
                self.session.refused.emit(str(exc))

    def _toggle_guide(self, shown: bool) -> None:
        self.guide_button.setText("Hide guide" if shown else "Show guide")
        self.guide_toggled.emit(shown)
