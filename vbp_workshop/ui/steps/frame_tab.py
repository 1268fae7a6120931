"""Setup's "Opening, pre-work and close" tab: the day's frame (core/steps/frame.py)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from vbp_workshop.core.steps.frame import frame
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.scrolling import scrolling


class FrameTab(QWidget):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.text = QLabel()
        self.text.setObjectName("day_frame")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(self.text)
        lay.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(page))
        self.load()
        session.changed.connect(lambda c: self.load() if c.touches("partners", "metrics", "actuals", "workshop")
                                else None)

    def load(self) -> None:
        f = frame(self.session.store)

        def items(lines: list[str]) -> str:
            return "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>"

        parts = ["<h3>Before the day</h3>", items(f.prework)]
        if f.baselines_needed:
            parts.append("<p><b>Baselines still to measure:</b> " + escape(", ".join(f.baselines_needed)) + "</p>")
        parts += ["<h3>Opening</h3>", items(f.opening)]
        if f.competition:
            parts.append(f"<p><b>Competition law.</b> {escape(f.competition)}</p>")
        parts += ["<h3>Close</h3>", items(f.close)]
        self.text.setText("".join(parts))
