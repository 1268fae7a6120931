"""Open text on the projector: the answers themselves, newest first, with the frequent words beside."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.model.words import plural
from vbp_workshop.ui.polls.charts.words import WordsChart


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
        self.texts: list[str] = []  # every visible answer, newest first
        self.counts: dict[str, int] = {}  # how many gave each answer (by its normalised text)
        self.first: dict[str, str] = {}  # each distinct answer as first typed
        self.shown: list[str] = []  # the lines on screen now

    def set_tally(self, poll: Poll, tally: Tally) -> None:
        self.texts = [text for _, text in reversed(tally.answers)]
        # The same answer from many people is one line with a count: the room sees more ideas.
        self.counts, self.first = {}, {}
        for text in self.texts:
            key = " ".join(text.casefold().split())
            self.counts[key] = self.counts.get(key, 0) + 1
            self.first.setdefault(key, text)
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
        used, told = 0, 0
        shown: list[str] = []
        distinct = list(self.first.items())
        for i, (key, text) in enumerate(distinct):
            n = self.counts[key]
            line = f"{text}  (×{n})" if n > 1 else text
            more = len(distinct) - i - 1
            need = fm.boundingRect(0, 0, width - fm.horizontalAdvance("• "), 10_000,
                                   Qt.TextFlag.TextWordWrap, line).height() + gap
            reserve = fm.height() if more else 0
            if shown and used + need + reserve > room:
                break
            shown.append(line)
            told += n
            used += need
        self.shown = shown
        rest = len(self.texts) - told
        items = "".join(f"<p style='margin-bottom:{gap}px'>• {escape(t)}</p>" for t in shown)
        if rest:
            items += f"<p style='color:#444444'>+ {plural(rest, 'more answer')}</p>"
        if not self.texts:
            items = "<p style='color:#444444'>No answers yet.</p>"
        self.answers.setText(items)
