"""The facilitator's poll panel for a step: the list of the step's polls beside the selected
poll's heading, live actions and result. Each part is its own widget (`PollEdits`,
`PollHeading`, `LiveActions`, `ResultView`); the panel composes them and keeps them on the
poll selected in its list."""

from __future__ import annotations

import builtins

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.changes import PHONE, Changes
from vbp_workshop.core.model.poll import KINDS, Poll
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.heading import PollHeading
from vbp_workshop.ui.polls.live_actions import LiveActions
from vbp_workshop.ui.polls.poll_edits import PollEdits
from vbp_workshop.ui.polls.result_view import ResultView
from vbp_workshop.ui.polls.states import state_label
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.scrolling import VerticalScroll

STATE_MARKS = {"open": "● ", "closed": "✓ "}  # a draft poll is "○ "


class PollList(QListWidget):
    """The step's polls, each question whole (wrapped, no sideways scrolling) after its state's mark."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("poll_list")
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fill(self, polls: list[Poll], phones_on: bool = True) -> None:
        """Show `polls` without announcing a selection (the caller selects one)."""
        self.blockSignals(True)
        self.clear()
        for p in polls:
            item = QListWidgetItem(f"{STATE_MARKS.get(p.state, '○ ')}{p.question}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(f"{KINDS[p.kind]} · {state_label(p, phones_on)}")
            self.addItem(item)
        self.blockSignals(False)

    def poll_id(self, row: int) -> int | None:
        item = self.item(row)
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None


def column(*parts: QWidget | tuple[QWidget, int]) -> QWidget:
    """Widgets one above the other with no margin (a part given with a number stretches by it)."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        widget, stretch = part if isinstance(part, tuple) else (part, 0)
        lay.addWidget(widget, stretch)
    return box


class PollPanel(QWidget):
    ctx: PageContext
    session: Session
    step: int
    poll: Poll | None  # the poll selected in the list; its parts are kept on it by `refresh`
    list: PollList
    edits: PollEdits
    heading: PollHeading
    live: LiveActions
    result: ResultView

    def __init__(self, ctx: PageContext, step: int) -> None:
        super().__init__()
        self.ctx, self.step, self.session = ctx, step, ctx.session
        self.setObjectName(f"polls{step}")
        self.poll = None
        self.list = PollList()
        self.edits = PollEdits(ctx, step)
        self.heading = PollHeading()
        self.live = LiveActions(ctx)
        self.result = ResultView(ctx)
        self.list.currentRowChanged.connect(self._on_select)
        self.edits.chosen.connect(self.select)
        self.live.acted.connect(self.reload_list)
        self.result.redraw.connect(self.refresh)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(column(plain_label("Polls for this step", cls="section"), (self.list, 1), self.edits))
        # The question, the controls and the chart scroll together when the window is short (a
        # 1366×768 laptop at 150 %): wrapped lines always get their height, nothing overlaps.
        split.addWidget(VerticalScroll(column(self.heading, self.live, (self.result, 1))))
        split.setSizes([300, 700])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.reload_list()
        self.session.changed.connect(self._on_changed)
        ctx.room.voting_changed.connect(self._on_voting)  # "open" says whether phones can vote

    def _on_voting(self, _on: bool) -> None:
        self.reload_list()

    # What the benchmarks reach for (benchmarks/room_app.py, vote_latency.py), by the names
    # they had before the panel was composed.
    @property
    def buttons(self) -> dict[str, QPushButton]:
        """The live action buttons by name."""
        return self.live.buttons

    @property
    def charts(self) -> dict[str, PollChart]:
        """The result's chart for each kind shown so far."""
        return self.result.charts

    def polls(self) -> builtins.list[Poll]:  # `list` here is the widget
        return queries.polls(self.session.store, self.step)

    def reload_list(self) -> None:
        keep = self.poll.id if self.poll else None
        polls = self.polls()
        self.list.fill(polls, self.ctx.room.voting)
        ids = [p.id for p in polls]
        if keep in ids:
            self.list.setCurrentRow(ids.index(keep))
        elif ids:
            self.list.setCurrentRow(0)
        else:
            self.poll = None
            self.refresh()

    def select(self, poll_id: int) -> None:
        ids = [p.id for p in self.polls()]
        self.reload_list()
        if poll_id in ids:
            self.list.setCurrentRow(ids.index(poll_id))

    def refresh(self, chart_only: bool = False) -> None:
        """Show the selected poll in every part; `chart_only` (votes arriving, another round
        chosen): the poll as it was read, only its buttons, chart and count redrawn."""
        poll = self.poll
        if poll is not None and not chart_only:
            self.poll = poll = queries.get_poll(self.session.store, poll.id)
        self.edits.poll = poll
        self.live.show_poll(poll, chart_only)
        if poll is None:
            self.heading.show_poll(None)
            self.result.clear()
            return
        if not chart_only:
            self.heading.show_poll(poll, self.ctx.room.voting)
        self.heading.show_count(self.result.show_poll(poll, chart_only))

    def _on_select(self, row: int) -> None:
        poll_id = self.list.poll_id(row)
        self.poll = queries.get_poll(self.session.store, poll_id) if poll_id is not None else None
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.origin == PHONE:  # votes coming in: the chart and the count only
            if self.poll and self.poll.id in changes.polls and self.isVisible():
                self.refresh(chart_only=True)
        elif changes.touches("polls"):
            self.reload_list()
        elif changes.touches("ballots") and self.poll:
            self.refresh()
