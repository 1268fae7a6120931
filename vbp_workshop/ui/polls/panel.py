"""The facilitator's poll panel for a step: the step's polls, the live controls, the chart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core import pollops
from vbp_workshop.core.polls import KINDS, Poll
from vbp_workshop.core.store import PHONE, Changes
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.charts.groups import GroupChart
from vbp_workshop.ui.polls.live_actions import LiveActions
from vbp_workshop.ui.polls.poll_edits import PollEdits
from vbp_workshop.ui.polls.result_view import ChartArea, ResultView
from vbp_workshop.ui.polls.states import STATE_LABELS
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.scrolling import VerticalScroll


class PollPanel(ResultView, LiveActions, PollEdits, QWidget):
    """A step's polls: the list (here), the result (`ResultView`), the live actions
    (`LiveActions`) and the edits (`PollEdits`)."""

    def __init__(self, ctx: PageContext, step: int) -> None:
        super().__init__()
        self.ctx, self.step = ctx, step
        self.session = ctx.session
        self.setObjectName(f"polls{step}")
        self.poll: Poll | None = None
        self.charts: dict[str, PollChart] = {}

        self.list = QListWidget()
        self.list.setObjectName("poll_list")
        self.list.setWordWrap(True)  # whole questions, no sideways scrolling
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._on_select)
        left = QWidget()
        llay = QVBoxLayout(left)
        llay.setContentsMargins(0, 0, 0, 0)
        llay.addWidget(plain_label("Polls for this step", cls="section"))
        llay.addWidget(self.list, 1)
        row = QGridLayout()  # three rows of two: fits the narrow list column with no wrapping
        row.setSpacing(4)
        for n, (name, text, slot) in enumerate([
                ("add", "Add…", self.add_poll), ("edit", "Edit…", self.edit_poll),
                ("dup", "Duplicate", self.duplicate), ("del", "Delete", self.delete),
                ("up", "↑", lambda: self.move(-1)), ("down", "↓", lambda: self.move(1))]):
            b = QPushButton(text)
            b.setObjectName(f"poll_{name}")
            b.clicked.connect(slot)
            if name in ("up", "down"):
                b.setToolTip("Move the selected poll " + ("up" if name == "up" else "down"))
            row.addWidget(b, n // 2, n % 2)
        llay.addLayout(row)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        self.question = plain_label(cls="question")
        self.question.setObjectName("poll_question")
        self.meta = plain_label(cls="hint")
        self.state = QLabel()
        self.state.setObjectName("poll_state")
        self.count = plain_label(cls="count")  # "12 responses (9 by phone, 3 by hand)" wraps
        self.count.setObjectName("poll_count")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        rlay.addWidget(self.question)
        rlay.addWidget(self.meta)
        status = QHBoxLayout()
        status.addWidget(self.state)
        status.addStretch(1)
        status.addWidget(self.count, 1)
        rlay.addLayout(status)
        controls = FlowLayout(spacing=4)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in [("open", "Open voting", self.open_poll),
                                 ("close", "Close", self.close_poll),
                                 ("reveal", "Reveal results", self.toggle_reveal),
                                 ("round", "New round", self.new_round),
                                 ("hand", "Hand count…", self.hand_count),
                                 ("project", "Show on projector", self.project),
                                 ("apply", "Apply result", self.apply_result)]:
            b = QPushButton(text)
            b.setObjectName(f"poll_{name}")
            b.clicked.connect(slot)
            controls.addWidget(b)
            self.buttons[name] = b
        rlay.addLayout(controls)
        view = FlowLayout()
        self.by_group = QCheckBox("Split by stakeholder group")
        self.by_group.setObjectName("by_group")
        self.by_group.toggled.connect(self._toggle_groups)
        self.by_sector = QCheckBox("Split by sector (NHS vs industry)")
        self.by_sector.setObjectName("by_sector")
        self.by_sector.toggled.connect(self._toggle_sectors)
        self.round_box = QComboBox()
        self.round_box.setObjectName("round_box")
        self.round_box.currentIndexChanged.connect(lambda _i: self.refresh(chart_only=True))
        self.compare = QCheckBox("Compare rounds")
        self.compare.setObjectName("compare_rounds")
        self.compare.toggled.connect(self._toggle_compare)
        view.addWidget(self.by_group)
        view.addWidget(self.by_sector)
        view.addWidget(self.compare)
        round_row = QWidget()
        rr = QHBoxLayout(round_row)
        rr.setContentsMargins(0, 0, 0, 0)
        rr.addWidget(QLabel("Round:"))
        rr.addWidget(self.round_box)
        view.addWidget(round_row)
        rlay.addLayout(view)
        self.divergence = plain_label(cls="hint")
        self.divergence.hide()
        rlay.addWidget(self.divergence)
        self.stack = QStackedWidget()
        self.group_chart = GroupChart()
        self.stack.addWidget(self.group_chart)
        self.answers = QListWidget()
        self.answers.setObjectName("text_answers")
        self.hide_answer = QPushButton("Hide / show the selected answer")
        self.hide_answer.setObjectName("hide_answer")
        self.hide_answer.clicked.connect(self.toggle_answer)
        self.text_box = QWidget()
        tl = QVBoxLayout(self.text_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.answers, 1)
        tl.addWidget(self.hide_answer)
        chart_split = ChartArea(Qt.Orientation.Horizontal)
        chart_split.addWidget(self.stack)
        chart_split.addWidget(self.text_box)
        rlay.addWidget(chart_split, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        # The question, the controls and the chart scroll together when the window is short (a
        # 1366×768 laptop at 150 %): wrapped lines always get their height, nothing overlaps.
        split.addWidget(VerticalScroll(right))
        split.setSizes([300, 700])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self.reload_list()
        self.session.changed.connect(self._on_changed)

    # -- the list -------------------------------------------------------------------------------

    def polls(self) -> list[Poll]:
        return pollops.polls(self.session.store, self.step)

    def reload_list(self) -> None:
        keep = self.poll.id if self.poll else None
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.polls():
            mark = {"open": "● ", "closed": "✓ "}.get(p.state, "○ ")
            item = QListWidgetItem(f"{mark}{p.question}")
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setToolTip(f"{KINDS[p.kind]} · {STATE_LABELS[p.state]}")
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [p.id for p in self.polls()]
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

    def _on_select(self, row: int) -> None:
        item = self.list.item(row)
        self.poll = pollops.get_poll(self.session.store, item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.origin == PHONE:  # votes coming in: the chart and the count only
            if self.poll and self.poll.id in changes.polls and self.isVisible():
                self.refresh(chart_only=True)
        elif changes.touches("polls"):
            self.reload_list()
        elif changes.touches("ballots") and self.poll:
            self.refresh()
