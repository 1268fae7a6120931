"""The ideas on the projector: one card per idea the room may see (never a hidden one), with
its +1 count, while an ideas activity is open and no poll is being voted on.

`attach(projector)` is the projector's one hook: it adds the cards to the projector's stack and
puts them up after the projector's own refresh whenever an activity is open.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from vbp_workshop.core.model.changes import PHONE, Changes
from vbp_workshop.core.steps import ideas
from vbp_workshop.ui.shared.labels import plain_label

COLUMNS = 3
REDRAW_MS = 150
MAX_CARDS = 24  # a projector shows this many legibly; the newest win a place
CARD_STYLE = """
#idea_card { background: #fff7d6; border: 2px solid #e0c25a; border-radius: 10px; }
#idea_card QLabel#idea_text { color: #111111; }
#idea_card QLabel#idea_votes { color: #12355b; font-weight: 700; }
"""


class IdeaCards(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("idea_cards")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(CARD_STYLE)
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self._grid.setSpacing(14)
        self.setWidget(self._inner)
        self.texts: list[str] = []  # what is on the cards now (tests read it)
        self.px = 24

    def set_ideas(self, board: list[dict[str, Any]], px: int) -> None:
        shown = board[-MAX_CARDS:]
        texts = [f"{i['text']}\x00{i['supports']}" for i in shown]
        if texts == self.texts and px == self.px:
            return
        self.texts, self.px = texts, px
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and (w := item.widget()) is not None:
                w.deleteLater()
        for n, idea in enumerate(shown):
            card = QFrame()
            card.setObjectName("idea_card")
            lay = QVBoxLayout(card)
            text = plain_label(idea["text"])
            text.setObjectName("idea_text")
            text.setStyleSheet(f"font-size: {px}px;")
            lay.addWidget(text, 1)
            if idea["supports"]:
                votes = QLabel(f"+{idea['supports']}")
                votes.setObjectName("idea_votes")
                votes.setStyleSheet(f"font-size: {round(px * 0.8)}px;")
                votes.setAlignment(Qt.AlignmentFlag.AlignRight)
                lay.addWidget(votes)
            self._grid.addWidget(card, n // COLUMNS, n % COLUMNS)
        self._grid.setRowStretch(self._grid.rowCount(), 1)


def open_activity(store: Any) -> dict[str, Any] | None:
    found = store.find("idea_activities", state="open")
    return found[-1] if found else None


def attach(projector: Any) -> IdeaCards:
    """Give the projector its ideas cards (called once from ProjectorWindow.__init__)."""
    cards = IdeaCards()
    projector.stack.addWidget(cards)
    own_refresh = projector.refresh

    def refresh() -> None:
        own_refresh()
        show(projector, cards)

    projector.refresh = refresh

    later = QTimer(projector)  # a burst of phones: one redraw per REDRAW_MS, not one per drain
    later.setSingleShot(True)
    later.setInterval(REDRAW_MS)
    later.timeout.connect(projector.refresh)

    def on_changed(changes: Changes) -> None:
        if changes.origin == PHONE and changes.touches("ideas", "idea_supports"):
            if not later.isActive():
                later.start()
        elif changes.touches("ideas", "idea_activities", "idea_supports"):
            projector.refresh()
    projector.session.changed.connect(on_changed)
    projector.destroyed.connect(lambda *_: _disconnect(projector.session, on_changed))
    projector.refresh()
    return cards


def _disconnect(session: Any, slot: Any) -> None:
    with contextlib.suppress(RuntimeError, TypeError):  # already gone with the session
        session.changed.disconnect(slot)


def show(projector: Any, cards: IdeaCards) -> None:
    """Cards instead of the projector's idle page while an activity is open and no poll is."""
    if projector.summary_html is not None or (projector.poll is not None and projector.poll.is_open):
        return
    activity = open_activity(projector.session.store)
    if activity is None:
        return
    projector.question.setText(activity["prompt"] or "Your ideas")
    board = ideas.board(projector.session.store, int(activity["id"]))
    waiting = len([r for r in ideas.ideas_of(projector.session.store, int(activity["id"]))
                   if r["status"] == ideas.NEW]) if activity["approval"] else 0
    note = f" · {waiting} waiting for approval" if waiting else ""
    projector.count.setText(f"{len(board)} ideas{note} · send yours from your phone")
    projector.headline.setText("")
    cards.set_ideas(board, round(24 * getattr(projector, "_scale", 1.0)))
    projector.stack.setCurrentWidget(cards)
