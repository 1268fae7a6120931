"""The poll panel's result: the chart for the chosen round, the group and sector splits,
the open answers and the divergence line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QListWidgetItem,
    QSplitter,
)

from vbp_workshop.core import pollops
from vbp_workshop.core.domain import GROUP_LABELS
from vbp_workshop.core.polls import KINDS, PRIVACY
from vbp_workshop.core.tally import Tally, divergence
from vbp_workshop.core.words import plural
from vbp_workshop.ui.polls import sector_view
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.states import STATE_LABELS


class ChartArea(QSplitter):
    """The chart (and open answers) take whatever height is left: asking only a little keeps the
    scroll area around the controls from scrolling on a usual laptop screen."""

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), 220)


class ResultView:
    """The result half of `PollPanel` (a mixin: it uses the panel's poll, session and widgets)."""

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
