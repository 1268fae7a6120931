"""Open text on the projector: the answers themselves, newest first, with the frequent words beside."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from vbp_workshop.core.polls import Poll
from vbp_workshop.core.tally import Tally
from vbp_workshop.core.words import plural
from vbp_workshop.ui.charts import WordsChart


class AnswersView(QWidget):
    """As many whole answers as fit (newest first) and "+ N more"; the word counts are secondary.

    Hidden (moderated) answers never reach it: the tally leaves them out.
    """

    def __init__(self, large: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answers_view")
        self.answers = QLabel()
        self.answers.setObjectName("proj_answers")
        self.answers.setWordWrap(True)
        self.answers.setTextFormat(Qt.TextFormat.RichText)
        self.answers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answers.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.words = WordsChart(large=large)
        self.words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.answers, 3)
        lay.addWidget(self.words, 2)
        self.texts: list[str] = []
        self.shown: list[str] = []  # the answers on screen now (for tests)

    def set_tally(self, poll: Poll, tally: Tally) -> None:
        self.texts = [text for _, text in reversed(tally.answers)]
        self.words.set_tally(poll, tally)
        self._fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Whole answers only: a cut-off answer would put words in someone's mouth."""
        width = max(50, self.answers.width())
        room = self.answers.height()
        fm = self.answers.fontMetrics()
        gap = fm.height() // 2
        used, shown = 0, []
        for i, text in enumerate(self.texts):
            more = len(self.texts) - i - 1
            need = fm.boundingRect(0, 0, width - fm.horizontalAdvance("• "), 10_000,
                                   Qt.TextFlag.TextWordWrap, text).height() + gap
            reserve = fm.height() if more else 0
            if shown and used + need + reserve > room:
                break
            shown.append(text)
            used += need
        self.shown = shown
        rest = len(self.texts) - len(shown)
        items = "".join(f"<p style='margin-bottom:{gap}px'>• {escape(t)}</p>" for t in shown)
        if rest:
            items += f"<p style='color:#444444'>+ {plural(rest, 'more answer')}</p>"
        if not self.texts:
            items = "<p style='color:#444444'>No answers yet.</p>"
        self.answers.setText(items)
