"""The facilitator's poll panel for a step: the step's polls, the live controls, the chart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
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
from vbp_workshop.core.domain import GROUP_LABELS
from vbp_workshop.core.operations import Refused, answer_count, frozen_reason
from vbp_workshop.core.polls import KINDS, PRIVACY, BallotError, Poll
from vbp_workshop.core.store import PHONE, Changes, Delete, Update
from vbp_workshop.core.tally import Tally, divergence
from vbp_workshop.core.words import plural
from vbp_workshop.ui.polls import sector_view
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.charts.groups import GroupChart
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.scrolling import VerticalScroll

STATE_LABELS = {"draft": "Not opened yet", "open": "OPEN — taking votes", "closed": "Closed"}


class ChartArea(QSplitter):
    """The chart (and open answers) take whatever height is left: asking only a little keeps the
    scroll area around the controls from scrolling on a usual laptop screen."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 220)


class PollPanel(QWidget):
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

    # -- showing --------------------------------------------------------------------------------

    def current_tally(self) -> Tally | None:
        if not self.poll:
            return None
        r = self.round_box.currentData() or self.poll.round
        return self.session.round_tally(self.poll, r)

    def refresh(self, chart_only: bool = False) -> None:
        poll = self.poll
        for name, b in self.buttons.items():  # every refresh, a chart-only one too: never Open on an open poll
            b.setEnabled(poll is not None and not (name == "open" and poll.is_open)
                         and not (name == "close" and not poll.is_open))
        if poll is None:
            self.question.setText("No poll selected. Add one, or pick one from the list.")
            self.meta.setText("")
            self.state.setText("")
            self.count.setText("")
            self.text_box.hide()
            return
        if not chart_only:
            self.poll = poll = pollops.get_poll(self.session.store, poll.id)
            self.question.setText(poll.question)
            self.meta.setText(f"{KINDS[poll.kind]} · {PRIVACY.get(poll.privacy, poll.privacy)} · "
                              f"round {poll.round}")
            self.state.setText(STATE_LABELS[poll.state])
            self.state.setProperty("state", poll.state)
            self.state.style().unpolish(self.state)
            self.state.style().polish(self.state)
            self.buttons["open"].setEnabled(not poll.is_open)
            self.buttons["close"].setEnabled(poll.is_open)
            self.buttons["open"].setToolTip("Voting is open" if poll.is_open else "Open this poll for votes")
            self.buttons["reveal"].setText("Hide results" if poll.revealed else "Reveal results")
            self.buttons["apply"].setVisible(poll.target.startswith("rule:") or poll.target == "pilots")
            self.round_box.blockSignals(True)
            self.round_box.clear()
            for r in range(poll.round, 0, -1):
                self.round_box.addItem(f"{r}" + (" (current)" if r == poll.round else ""), r)
            self.round_box.blockSignals(False)
            self.by_group.setEnabled(poll.privacy != "anonymous_nogroup")
            self.by_sector.setEnabled(poll.privacy != "anonymous_nogroup")
            self.compare.setEnabled(poll.round > 1)
        t = self.current_tally()
        assert t is not None
        sources = ", ".join(f"{n} by {s}" for s, n in sorted(t.by_source.items()))
        self.count.setText(plural(t.respondents, "response") + (f" ({sources})" if len(t.by_source) > 1 else ""))
        self.text_box.setVisible(poll.kind == "text")
        if poll.kind == "text":
            self._fill_answers()
        if self.compare.isChecked() and poll.round > 1 and poll.kind != "text":
            rounds = {f"round{r}": self.session.round_tally(poll, r) for r in range(1, poll.round + 1)}
            self.group_chart.set_groups(poll, rounds, {f"round{r}": f"Round {r}" for r in range(1, poll.round + 1)})
            self.stack.setCurrentWidget(self.group_chart)
            d, pair = divergence(poll, rounds)
            self._say_divergence(f"Change between rounds: {d:.2f}" if pair else "")
        elif self.by_sector.isChecked() and poll.privacy != "anonymous_nogroup":
            groups, labels, line = sector_view.sector_split(self.session, poll, self.round_box.currentData())
            self.group_chart.set_groups(poll, groups, labels)
            self.stack.setCurrentWidget(self.group_chart)
            self._say_divergence(line)
        elif self.by_group.isChecked() and poll.privacy != "anonymous_nogroup":
            groups = self.session.group_tallies(poll, self.round_box.currentData())
            self.group_chart.set_groups(poll, groups, GROUP_LABELS)
            self.stack.setCurrentWidget(self.group_chart)
            d, pair = divergence(poll, groups)
            self._say_divergence(
                f"Groups differ most: {GROUP_LABELS.get(pair[0], pair[0])} vs "
                f"{GROUP_LABELS.get(pair[1], pair[1])} (divergence {d:.2f})" if pair
                else "Too few respondents per group to compare.")
        else:
            chart = self.chart(poll.kind)
            chart.set_tally(poll, t)
            self.stack.setCurrentWidget(chart)
            self._say_divergence(sector_view.spread_line(self.session, poll, self.round_box.currentData()))

    def _say_divergence(self, text: str) -> None:
        self.divergence.setText(text)
        self.divergence.setVisible(bool(text))  # an empty line would leave a gap above the chart

    def _toggle_groups(self, on: bool) -> None:
        if on and self.by_sector.isChecked():  # one split at a time
            self.by_sector.blockSignals(True)
            self.by_sector.setChecked(False)
            self.by_sector.blockSignals(False)
        self.refresh()
        if self.poll:  # the room sees the split too, once the result is revealed
            self.ctx.room.set_split(self.poll.id, on)

    def _toggle_sectors(self, on: bool) -> None:
        if on and self.by_group.isChecked():  # one split at a time
            self.by_group.blockSignals(True)
            self.by_group.setChecked(False)
            self.by_group.blockSignals(False)
        self.refresh()
        if self.poll:  # the room sees the sector split too, once the result is revealed
            self.ctx.room.set_sector_split(self.poll.id, on)

    def _toggle_compare(self, on: bool) -> None:
        self.refresh()
        if self.poll:  # the room compares the rounds too, once the result is revealed
            self.ctx.room.set_compare(self.poll.id, on)

    def chart(self, kind: str) -> PollChart:
        if kind not in self.charts:
            self.charts[kind] = chart_for(kind)
            self.stack.addWidget(self.charts[kind])
        return self.charts[kind]

    def _fill_answers(self) -> None:
        assert self.poll
        self.answers.clear()
        for b in pollops.ballots(self.session.store, self.poll.id, self.round_box.currentData() or self.poll.round):
            import json

            item = QListWidgetItem(("(hidden) " if b["hidden"] else "") + str(json.loads(b["answer"])))
            item.setData(Qt.ItemDataRole.UserRole, b["id"])
            if b["hidden"]:
                item.setForeground(Qt.GlobalColor.gray)
            self.answers.addItem(item)

    # -- live actions ---------------------------------------------------------------------------

    def _live(self, action: Any) -> None:
        if not self.poll:
            return
        try:
            action()
        except BallotError as exc:
            self.ctx.dialogs.error("Cannot do that yet", str(exc))
        self.reload_list()

    def open_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        # The room puts it on the projector when it hears the "open" change record.
        self._live(lambda: pollops.open_poll(self.session.store, self.session.live, poll_id))

    def close_poll(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        self._live(lambda: pollops.close_poll(self.session.store, self.session.live, poll_id))
        # A consent vote or a 2×2 carries its result into the rule or the pilots when it closes
        # (undoable, like any edit; "Apply result" does it again after hand counts).
        edits = pollops.apply_result_edits(self.session.store, pollops.get_poll(self.session.store, poll_id))
        if edits:
            self.session.edit(edits, "Record the poll's result")

    def toggle_reveal(self) -> None:
        assert self.poll
        poll_id, shown = self.poll.id, not self.poll.revealed
        self._live(lambda: pollops.reveal(self.session.store, self.session.live, poll_id, shown))

    def new_round(self) -> None:
        assert self.poll
        poll_id = self.poll.id
        if self.ctx.dialogs.confirm("Start a new round?",
                                    "The room votes again on the same question. This round's "
                                    "answers are kept and can be compared."):
            self._live(lambda: pollops.new_round(self.session.store, self.session.live, poll_id))

    def project(self) -> None:
        if self.poll:
            self.ctx.room.show_poll(self.poll.id)

    def apply_result(self) -> None:
        if not self.poll:
            return
        edits = pollops.apply_result_edits(self.session.store, self.poll)
        if not edits:
            self.ctx.dialogs.info("Nothing to apply", "This poll has no answers to carry over yet.")
            return
        self.session.edit(edits, "Apply poll result")

    def hand_count(self) -> None:
        from vbp_workshop.ui.polls.hand_count import HandCountDialog

        if not self.poll:
            return
        dialog = HandCountDialog(self.poll, self)
        if dialog.exec():
            self.record_hand_count(dialog.entries())

    def record_hand_count(self, entries: list[tuple[str, Any, int]]) -> bool:
        assert self.poll
        try:
            edits = pollops.hand_count_edits(self.poll, self.poll.round, entries)
        except BallotError as exc:
            self.ctx.dialogs.error("Hand count not recorded", str(exc))
            return False
        if edits:
            self.session.edit(edits, "Record hand count")
        return True

    def toggle_answer(self) -> None:
        item = self.answers.currentItem()
        if item is None:
            return
        ballot_id = item.data(Qt.ItemDataRole.UserRole)
        row = self.session.store.row("ballots", ballot_id)
        if row:
            self.session.edit([Update("ballots", ballot_id, {"hidden": 1 - row["hidden"]})],
                              "Hide answer" if not row["hidden"] else "Show answer")

    # -- editing the list ---------------------------------------------------------------------------

    def add_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        editor = PollEditor(None, self)
        if editor.exec():
            v = editor.values()
            edit = pollops.new_poll_edit(self.step, v["kind"], v["question"], v["options"], v["settings"])
            back = self.session.edit([edit], "Add poll")
            self.select(back[0].id)  # type: ignore[union-attr]

    def edit_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        if not self.poll:
            return
        # Once a poll has answers its type and options are fixed: the editor says why.
        editor = PollEditor(self.poll, self, frozen=frozen_reason(self.session.store, self.poll.id))
        if editor.exec():
            v = editor.values()
            import json

            try:
                self.session.edit([Update("polls", self.poll.id, {
                    "kind": v["kind"], "question": v["question"], "privacy": v["privacy"],
                    "options": json.dumps(v["options"], ensure_ascii=False),
                    "settings": json.dumps(v["settings"], ensure_ascii=False)})], "Edit poll")
            except Refused as exc:
                self.ctx.dialogs.error("Poll has answers", str(exc))

    def duplicate(self) -> None:
        if self.poll:
            back = self.session.edit([pollops.duplicate_edit(self.poll)], "Duplicate poll")
            self.select(back[0].id)  # type: ignore[union-attr]

    def delete(self) -> None:
        if not self.poll:
            return
        n = answer_count(self.session.store, self.poll.id)
        if n and not self.ctx.dialogs.confirm("Delete poll?", f"This poll has {n} answers. Delete "
                                              "it and its answers? (Edit › Undo brings it back.)"):
            return
        if self.poll.is_open:
            pollops.close_poll(self.session.store, self.session.live, self.poll.id)
        self.session.edit([Delete("polls", self.poll.id)], "Delete poll")

    def move(self, delta: int) -> None:
        polls = self.polls()
        r = self.list.currentRow()
        o = r + delta
        if 0 <= r < len(polls) and 0 <= o < len(polls):
            a, b = self.session.store.row("polls", polls[r].id), self.session.store.row("polls", polls[o].id)
            assert a and b
            pa, pb = a["pos"], b["pos"] if b["pos"] != a["pos"] else a["pos"] + delta
            self.session.edit([Update("polls", a["id"], {"pos": pb}), Update("polls", b["id"], {"pos": pa})],
                              "Move poll")
            self.list.setCurrentRow(o)
