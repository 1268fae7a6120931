"""A countdown timer for timeboxing any activity, shown on both windows."""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QPushButton, QWidget

from vbp_workshop.core.model.changes import Update
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.flow import FlowLayout

PRESETS_MIN = (2, 5, 10, 15, 20)


def fmt(seconds: float) -> str:
    s = max(0, round(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


class Countdown(QObject):
    """Counts down against the monotonic clock, so a busy GUI never makes it run slow."""

    ticked = Signal(float)  # seconds left
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.total = 0.0
        self._left = 0.0
        self._ends_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self._ends_at is not None

    def left(self) -> float:
        return max(0.0, self._ends_at - time.monotonic()) if self._ends_at is not None else self._left

    def start(self, seconds: float) -> None:
        self.total = self._left = float(seconds)
        self.resume()

    def resume(self) -> None:
        if self._left > 0:
            self._ends_at = time.monotonic() + self._left
            self._timer.start()
            self.ticked.emit(self.left())

    def pause(self) -> None:
        self._left = self.left()
        self._ends_at = None
        self._timer.stop()
        self.ticked.emit(self._left)

    def reset(self) -> None:
        self._left, self._ends_at = 0.0, None
        self._timer.stop()
        self.ticked.emit(0.0)

    def add(self, seconds: float) -> None:
        if self._ends_at is not None:
            self._ends_at += seconds
        else:
            self._left = max(0.0, self._left + seconds)
        self.ticked.emit(self.left())

    def _tick(self) -> None:
        left = self.left()
        self.ticked.emit(left)
        if left <= 0:
            self._ends_at, self._left = None, 0.0
            self._timer.stop()
            self.finished.emit()


class TimerBar(QWidget):
    """The facilitator's timer controls: presets, custom, pause, +1 min, reset, and the agenda:
    running an item times it by its planned minutes; finishing it records the actual minutes."""

    item_changed = Signal(str)  # the agenda item now running, or ""

    def __init__(self, countdown: Countdown, session: Session | None = None) -> None:
        super().__init__()
        self.countdown = countdown
        self.session = session
        self.running_item: int | None = None
        self._item_started = 0.0
        lay = FlowLayout(self, spacing=4)
        if session is not None:
            self.item_label = QLabel("")
            self.item_label.setObjectName("agenda_item")
            agenda = QPushButton("Agenda")
            agenda.setObjectName("agenda_button")
            agenda.setToolTip("Run an agenda item: its timebox starts; finishing it records the actual time")
            self.agenda_menu = QMenu(agenda)
            self.agenda_menu.aboutToShow.connect(self._fill_agenda)
            agenda.setMenu(self.agenda_menu)
            lay.addWidget(self.item_label)
            lay.addWidget(agenda)
        self.display = QLabel("00:00")
        self.display.setObjectName("timer_display")
        self.display.setProperty("class", "timer")
        lay.addWidget(QLabel("Timer"))
        lay.addWidget(self.display)
        for m in PRESETS_MIN:
            b = QPushButton(f"{m}′")
            b.setObjectName(f"timer_{m}")
            b.setToolTip(f"Start a {m}-minute countdown")
            b.setFixedWidth(40)
            b.clicked.connect(lambda _c=False, m=m: countdown.start(m * 60))
            lay.addWidget(b)
        for text, tip, slot in [("…", "Custom length", self.custom), ("Pause", "Pause / resume", self.toggle),
                                ("+1′", "Add a minute", lambda: countdown.add(60)),
                                ("⟲", "Reset", countdown.reset)]:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setFixedWidth(56 if len(text) > 3 else 40)
            b.clicked.connect(slot)
            lay.addWidget(b)
        countdown.ticked.connect(self.show_left)
        countdown.finished.connect(self.ended)

    def _fill_agenda(self) -> None:
        assert self.session is not None
        self.agenda_menu.clear()
        for item in self.session.store.rows("agenda"):
            done = f" — took {item['actual_min']} min" if item["actual_min"] is not None else ""
            action = self.agenda_menu.addAction(f"{item['title']} ({item['planned_min']} min){done}")
            action.triggered.connect(lambda _c=False, i=item["id"]: self.run_item(i))
        if self.running_item is not None:
            self.agenda_menu.addSeparator()
            self.agenda_menu.addAction("Finish the running item", self.finish_item)

    def run_item(self, item_id: int) -> None:
        """Start an agenda item's timebox (finishing the one that was running)."""
        assert self.session is not None
        self.finish_item()
        item = self.session.store.row("agenda", item_id)
        if item is None:
            return
        self.running_item = item_id
        self._item_started = time.monotonic()
        self.countdown.start(int(item["planned_min"] or 0) * 60)
        self.item_label.setText(f"Now: {item['title']}")
        self.item_changed.emit(item["title"])

    def finish_item(self) -> None:
        """Record how long the running item actually took, in whole minutes (undoable)."""
        if self.running_item is None or self.session is None:
            return
        minutes = max(1, math.ceil((time.monotonic() - self._item_started) / 60))
        if self.session.store.row("agenda", self.running_item):
            self.session.edit([Update("agenda", self.running_item, {"actual_min": minutes})],
                              "Record the actual time")
        self.running_item = None
        self.item_label.setText("")
        self.item_changed.emit("")

    def show_left(self, left: float) -> None:
        self.display.setText(fmt(left))
        self.display.setProperty("ending", 0 < left <= 30)
        self.display.setProperty("over", False)
        self.display.style().unpolish(self.display)
        self.display.style().polish(self.display)

    def ended(self) -> None:
        self.display.setText("Time!")
        self.display.setProperty("over", True)
        self.display.style().unpolish(self.display)
        self.display.style().polish(self.display)
        QApplication.beep()

    def toggle(self) -> None:
        if self.countdown.running:
            self.countdown.pause()
        else:
            self.countdown.resume()

    def custom(self) -> None:
        minutes, ok = QInputDialog.getInt(self, "Timer", "Minutes:", 7, 1, 240)
        if ok:
            self.countdown.start(minutes * 60)
