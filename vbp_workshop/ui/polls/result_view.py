"""The poll panel's result: the chart for the chosen round, the group, sector and round
comparisons, the divergence line and the open answers (which the facilitator can hide)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.round_result import RoundResult
from vbp_workshop.core.polls.spreads import apart_words, divergence_details
from vbp_workshop.core.polls.tally import divergence
from vbp_workshop.ui.polls import over_time
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.charts.groups import GroupChart
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.labels import plain_label


class ChartArea(QSplitter):
    """The chart (and open answers) take whatever height is left: asking only a little keeps the
    scroll area around the controls from scrolling on a usual laptop screen."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 220)


class ResultView(QWidget):
    """The selected poll's result and the choices of how to see it."""

    redraw = Signal(bool)  # a view choice changed: the panel refreshes (True: the chart and count only)

    ctx: PageContext
    session: Session
    poll: Poll | None
    by_group: QCheckBox
    by_sector: QCheckBox
    compare: QCheckBox
    round_box: QComboBox
    divergence: QLabel
    figures: QLabel
    figures_button: QToolButton
    stack: QStackedWidget
    group_chart: GroupChart
    charts: dict[str, PollChart]  # one chart per kind, built when a poll of that kind is first shown
    answers: QListWidget
    hide_answer: QPushButton
    text_box: QWidget

    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx, self.session = ctx, ctx.session
        self.poll = None
        self.charts = {}
        self.by_group = QCheckBox("Split by stakeholder group")
        self.by_group.setObjectName("by_group")
        self.by_group.toggled.connect(self._toggle_groups)
        self.by_sector = QCheckBox("Split by sector (NHS vs industry)")
        self.by_sector.setObjectName("by_sector")
        self.by_sector.toggled.connect(self._toggle_sectors)
        self.round_box = QComboBox()
        self.round_box.setObjectName("round_box")
        self.round_box.currentIndexChanged.connect(lambda _i: self.redraw.emit(True))
        self.compare = QCheckBox("Compare rounds")
        self.compare.setObjectName("compare_rounds")
        self.compare.toggled.connect(self._toggle_compare)
        self.divergence = plain_label(cls="hint")
        self.divergence.hide()
        # The statistics behind the plain line (divergence, standard deviation, shares at the
        # ends, counts): one click away, for the facilitator who wants them.
        self.figures = plain_label(cls="hint")
        self.figures.setObjectName("result_figures")
        self.figures.hide()
        self.figures_button = QToolButton()
        self.figures_button.setObjectName("show_figures")
        self.figures_button.setText("Figures")
        self.figures_button.setCheckable(True)
        self.figures_button.setToolTip("Show the statistics behind the line above the chart")
        self.figures_button.toggled.connect(lambda on: self.figures.setVisible(on and bool(self.figures.text())))
        self.figures_button.hide()
        self.stack = QStackedWidget()
        self.group_chart = GroupChart()
        self.stack.addWidget(self.group_chart)
        self.answers = QListWidget()
        self.answers.setObjectName("text_answers")
        self._answer_items: dict[int, QListWidgetItem] = {}
        self._answers_of: tuple[int, int] | None = None  # the poll and round the list holds
        self.hide_answer = QPushButton("Hide / show the selected answer")
        self.hide_answer.setObjectName("hide_answer")
        self.hide_answer.clicked.connect(self.toggle_answer)
        self.text_box = QWidget()
        tl = QVBoxLayout(self.text_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.answers, 1)
        tl.addWidget(self.hide_answer)

        view = FlowLayout()
        view.addWidget(self.by_group)
        view.addWidget(self.by_sector)
        view.addWidget(self.compare)
        round_row = QWidget()
        rr = QHBoxLayout(round_row)
        rr.setContentsMargins(0, 0, 0, 0)
        rr.addWidget(QLabel("Round:"))
        rr.addWidget(self.round_box)
        view.addWidget(round_row)
        chart_split = ChartArea(Qt.Orientation.Horizontal)
        chart_split.addWidget(self.stack)
        chart_split.addWidget(self.text_box)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(view)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.divergence, 1)
        line.addWidget(self.figures_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(line)
        lay.addWidget(self.figures)
        lay.addWidget(chart_split, 1)

    def current_result(self) -> RoundResult | None:
        """The chosen round's result, as the session keeps it (computed once per change)."""
        if not self.poll:
            return None
        return self.session.result(self.poll, self.round_box.currentData() or self.poll.round)

    def current_tally(self) -> Tally | None:
        result = self.current_result()
        return result.tally if result is not None else None

    def clear(self) -> None:
        """No poll selected: the last chart stays behind the heading's "No poll selected"."""
        self.poll = None
        self.text_box.hide()

    def show_poll(self, poll: Poll, chart_only: bool = False) -> Tally:
        """Draw `poll`'s result as chosen; return the tally drawn (the heading counts it)."""
        self.poll = poll
        if not chart_only:
            self.round_box.blockSignals(True)
            self.round_box.clear()
            for r in range(poll.round, 0, -1):
                self.round_box.addItem(f"{r}" + (" (current)" if r == poll.round else ""), r)
            self.round_box.blockSignals(False)
            self.by_group.setEnabled(poll.keeps_groups)
            self.by_sector.setEnabled(poll.keeps_groups)
            self.compare.setEnabled(over_time.can_compare(self.session, poll))
            self.compare.setText("Compare with earlier days" if over_time.has_earlier(self.session, poll)
                                 else "Compare rounds")
        result = self.current_result()
        assert result is not None
        t = result.tally
        self.text_box.setVisible(poll.kind == "text")
        if poll.kind == "text":
            self._fill_answers()
        if self.compare.isChecked() and over_time.can_compare(self.session, poll):
            rounds, labels = over_time.compared(self.session, poll)
            self.group_chart.set_groups(poll, rounds, labels)
            self.stack.setCurrentWidget(self.group_chart)
            d, pair = divergence(poll, rounds)
            what = "days and rounds" if len(labels) > poll.round else "rounds"
            self._say_divergence(f"Change between {what}: {apart_words(d)}" if pair else "",
                                 divergence_details(d) if pair else "")
        elif self.by_sector.isChecked() and poll.keeps_groups:
            self.group_chart.set_groups(poll, result.sectors, result.sector_labels)
            self.stack.setCurrentWidget(self.group_chart)
            self._say_divergence(result.sector_line, result.sector_details)
        elif self.by_group.isChecked() and poll.keeps_groups:
            self.group_chart.set_groups(poll, result.groups, GROUP_LABELS)
            self.stack.setCurrentWidget(self.group_chart)
            self._say_divergence(result.group_line, result.group_details)
        else:
            chart = self.chart(poll.kind)
            chart.set_tally(poll, t)
            self.stack.setCurrentWidget(chart)
            self._say_divergence(result.spread_line(poll), result.spread_details)
        return t

    def _say_divergence(self, text: str, details: str = "") -> None:
        """A line in plain words; its figures (divergence, sd, …) a hover away, and in the line's
        "details" link for a keyboard or touch."""
        self.divergence.setText(text)
        self.divergence.setToolTip(details)
        self.figures.setText(details)
        self.figures_button.setVisible(bool(details))
        self.figures.setVisible(bool(details) and self.figures_button.isChecked())
        self.divergence.setVisible(bool(text))  # an empty line would leave a gap above the chart

    def _toggle_groups(self, on: bool) -> None:
        if on and self.by_sector.isChecked():  # one split at a time
            self.by_sector.blockSignals(True)
            self.by_sector.setChecked(False)
            self.by_sector.blockSignals(False)
        self.redraw.emit(False)
        if self.poll:  # the room sees the split too, once the result is revealed
            self.ctx.room.set_split(self.poll.id, on)

    def _toggle_sectors(self, on: bool) -> None:
        if on and self.by_group.isChecked():  # one split at a time
            self.by_group.blockSignals(True)
            self.by_group.setChecked(False)
            self.by_group.blockSignals(False)
        self.redraw.emit(False)
        if self.poll:  # the room sees the sector split too, once the result is revealed
            self.ctx.room.set_sector_split(self.poll.id, on)

    def _toggle_compare(self, on: bool) -> None:
        self.redraw.emit(False)
        if self.poll:  # the room compares the rounds too, once the result is revealed
            self.ctx.room.set_compare(self.poll.id, on)

    def chart(self, kind: str) -> PollChart:
        if kind not in self.charts:
            self.charts[kind] = chart_for(kind)
            self.stack.addWidget(self.charts[kind])
        return self.charts[kind]

    def _fill_answers(self) -> None:
        """The round's open answers, kept in step with the votes: new ones are added and changed
        ones rewritten in place (rebuilding 2,000 rows on every drain cost ~65 ms of the GUI)."""
        assert self.poll
        where = (self.poll.id, self.round_box.currentData() or self.poll.round)
        if where != self._answers_of:
            self.answers.clear()
            self._answer_items = {}
            self._answers_of = where
        rows = self.session.round_ballots(self.poll, where[1])
        gone = set(self._answer_items) - {int(b["id"]) for b in rows}
        for ballot_id in gone:  # an undone hand count, a deleted answer
            self.answers.takeItem(self.answers.row(self._answer_items.pop(ballot_id)))
        for b in rows:
            text = ("(hidden) " if b["hidden"] else "") + str(b["parsed"])
            item = self._answer_items.get(int(b["id"]))
            if item is None:
                item = self._answer_items[int(b["id"])] = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, int(b["id"]))
                self.answers.addItem(item)
            elif item.text() != text:
                item.setText(text)
            else:
                continue
            item.setForeground(Qt.GlobalColor.gray if b["hidden"] else self.answers.palette().text())

    def toggle_answer(self) -> None:
        """Hide the selected open answer from the projector and the export, or show it again."""
        item = self.answers.currentItem()
        if item is None:
            return
        ballot_id = item.data(Qt.ItemDataRole.UserRole)
        row = self.session.store.row("ballots", ballot_id)
        if row:
            self.session.edit([Update("ballots", ballot_id, {"hidden": 1 - row["hidden"]})],
                              "Hide answer" if not row["hidden"] else "Show answer")
