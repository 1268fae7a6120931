"""The projector view: a second window for the back of the room.

Large type, high contrast: the question, the response count (always), the chart once
revealed, the timer, and how to join (address, code, QR code). Made for a 1024×768 projector
and grown with the window: every size is a multiple of min(width / 1024, height / 768).
"""

from __future__ import annotations

import math
import re
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.words import plural
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.round_result import RoundResult
from vbp_workshop.core.polls.tally import headline
from vbp_workshop.core.steps.checks import RAG_COLOURS
from vbp_workshop.ui.polls import over_time
from vbp_workshop.ui.polls.answers_view import AnswersView
from vbp_workshop.ui.polls.charts import chart_for
from vbp_workshop.ui.polls.charts.base import PollChart
from vbp_workshop.ui.polls.charts.groups import GroupChart
from vbp_workshop.ui.projector import idea_cards
from vbp_workshop.ui.projector.paged_text import PagedText
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.timer import Countdown, fmt

PREBUILD_MS = 60  # between two charts built ahead of need: the window stays responsive meanwhile

# Sizes for 1024×768; `styled` multiplies them. The question is 32 px here and 45 px at 1080p.
STYLE_768 = """
#projector { background: #ffffff; }
#projector QLabel { color: #111111; }
#proj_title { font-size: 18px; color: #333333; }
#proj_timer { font-size: 52px; font-weight: 700; color: #12355b; }
#proj_timer[ending="true"] { color: AMBER; }
#proj_timer[over="true"] { color: #ffffff; background: RED; border-radius: 10px; padding: 0 14px; }
#proj_question { font-size: 32px; font-weight: 700; color: #111111; }
#proj_statement { font-size: 26px; font-weight: 600; color: #111111; background: #eef3f9;
                  border-left: 8px solid #12355b; padding: 8px 14px; }
#proj_count { font-size: 24px; font-weight: 700; color: #12355b; }
#proj_hidden { font-size: 26px; color: #333333; }
#proj_answers { font-size: 22px; color: #111111; }
#proj_join { font-size: 20px; color: #111111; }
#proj_address { font-size: 28px; font-weight: 700; color: #111111; }
#proj_code { font-size: 52px; font-weight: 800; letter-spacing: 6px; color: #12355b; }
#proj_headline { font-size: 24px; color: #111111; }
#proj_pager { font-size: 16px; color: #333333; }
""".replace("AMBER", RAG_COLOURS["amber"]).replace("RED", RAG_COLOURS["red"])
BASE_W, BASE_H = 1024, 768
CHART_PX = 17  # chart text at 1024×768
SUMMARY_PX = 20
QR_SHARE = 0.3  # of the window's height: ~230 px at 768, ~320 px at 1080


def styled(scale: float) -> str:
    """The stylesheet with every pixel size scaled: made for 768 lines, grown with the screen."""
    return re.sub(r"(\d+)px", lambda m: f"{max(1, round(int(m.group(1)) * scale))}px", STYLE_768)


def scale_for(width: int, height: int) -> float:
    return round(max(0.6, min(width / BASE_W, height / BASE_H)), 2)


class ElidedLabel(QLabel):
    """One line that never asks for more width than it gets: the end gives way to "…"."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.full = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def set_full(self, text: str) -> None:
        self.full = text
        self._elide()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, max(0, self.width())))


class ProjectorWindow(QWidget):
    def __init__(self, session: Session, countdown: Countdown) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.session = session
        self.setObjectName("projector")
        self.setWindowTitle("VBP Workshop — projector")
        self._scale = 1.0
        self.setStyleSheet(styled(1.0))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.poll: Poll | None = None
        self.charts: dict[str, PollChart] = {}
        self._activity = ""
        self._qr_source: QPixmap | None = None
        self.phones_on = False  # phone voting is on: an open poll takes phones' votes
        self.connected = 0  # phones following the room now (the room tells it every second)

        self.title = ElidedLabel(session.title)
        self.title.setObjectName("proj_title")
        self.timer = QLabel("")
        self.timer.setObjectName("proj_timer")
        self.off_note = plain_label("Phone voting is off · hands up counts too", wrap=False)
        self.off_note.setObjectName("proj_title")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.off_note)
        top.addSpacing(16)
        top.addWidget(self.timer)

        self.question = plain_label("")
        self.question.setObjectName("proj_question")
        self.statement = plain_label("")  # a consent poll: what the room is asked to consent to
        self.statement.setObjectName("proj_statement")
        self.statement.hide()
        self.count = plain_label("")
        self.count.setObjectName("proj_count")
        self.headline = plain_label("")
        self.headline.setObjectName("proj_headline")
        self.pager = QLabel("")
        self.pager.setObjectName("proj_pager")
        self.pager.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.stack = QStackedWidget()
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.stack.setMinimumSize(120, 120)
        self.hidden_note = plain_label("Results are hidden until everyone has voted.")
        self.hidden_note.setObjectName("proj_hidden")
        self.hidden_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.hidden_note)
        self.group_chart = GroupChart(large=True)
        self.stack.addWidget(self.group_chart)
        self.split = False  # show the result side by side per stakeholder group
        self.by_sector = False  # ... per sector instead (with split on)
        self.compare = False  # show every round of the poll side by side
        self.answers = AnswersView(large=True)
        self.stack.addWidget(self.answers)
        self.summary = PagedText()
        self.summary.setObjectName("proj_summary")
        self.summary.paged.connect(self._on_paged)
        self.stack.addWidget(self.summary)
        self.summary_html: str | None = None

        left = QVBoxLayout()
        left.addWidget(self.question)
        left.addWidget(self.statement)
        left.addWidget(self.count)
        left.addWidget(self.stack, 1)
        left.addWidget(self.headline)
        left.addWidget(self.pager)

        self.join_text = plain_label("Join on your phone at", wrap=False)
        self.join_text.setObjectName("proj_join")
        self.code = QLabel("")
        self.code.setObjectName("proj_code")
        self.qr = QLabel()
        self.qr.setObjectName("proj_qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address = plain_label("", wrap=False)
        self.address.setObjectName("proj_address")
        self.code_caption = plain_label("with the code", wrap=False)
        self.code_caption.setObjectName("proj_join")
        join = QVBoxLayout()
        join.setContentsMargins(0, 0, 0, 0)
        for w in (self.join_text, self.address, self.code_caption, self.code):
            join.addWidget(w)
        join.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        join.addStretch(1)
        self.join_box = QWidget()
        self.join_box.setObjectName("proj_join_box")
        self.join_box.setLayout(join)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        self.body_gap = 24
        body.addSpacing(self.body_gap)
        body.addWidget(self.join_box)
        self.root = QVBoxLayout(self)
        self.root.addLayout(top)
        self.root.addLayout(body, 1)
        self._margins(1.0)
        self.set_join("", "", None)
        # Bound methods, not lambdas: Qt drops them when this window is deleted.
        countdown.ticked.connect(self._on_tick)
        countdown.finished.connect(self._on_finished)
        # F11 toggles full screen; Esc only ever leaves it (pressed to get the laptop's screen back,
        # it must never cover the laptop instead).
        QShortcut(QKeySequence("F11"), self).activated.connect(self.toggle_full_screen)
        QShortcut(QKeySequence("Escape"), self).activated.connect(self.leave_full_screen)
        for key in ("PgDown", "Right", "Space"):
            QShortcut(QKeySequence(key), self).activated.connect(self.next_page)
        for key in ("PgUp", "Left"):
            QShortcut(QKeySequence(key), self).activated.connect(self.previous_page)
        self.show_poll(None)
        idea_cards.attach(self)  # an open ideas activity shows its cards here
        # Build the charts this workshop's polls will need while the room is still joining, one
        # per pause: building one (~25 ms) inside the first open click competed with the first
        # question's broadcast to every phone.
        self._to_build = sorted({p.kind for p in queries.polls(session.store)} - {"text"} - set(self.charts))
        QTimer.singleShot(PREBUILD_MS, self, self._build_next_chart)

    def _build_next_chart(self) -> None:
        if self._to_build:
            self.chart(self._to_build.pop())
            QTimer.singleShot(PREBUILD_MS, self, self._build_next_chart)

    # -- the room's furniture ---------------------------------------------------------------------

    def _on_tick(self, left: float) -> None:
        self._timer(fmt(left) if left > 0 else "")

    def _on_finished(self) -> None:
        self._timer("Time!", over=True)

    def _timer(self, text: str, over: bool = False) -> None:
        self.timer.setText(text)
        self.timer.setProperty("over", over)
        self.timer.style().unpolish(self.timer)
        self.timer.style().polish(self.timer)

    def place(self) -> None:
        """Full screen on a second display when there is one; else a window to drag there."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].geometry())
            self.showFullScreen()
        else:
            self.resize(BASE_W, BASE_H)
            self.show()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()

    def _margins(self, scale: float) -> None:
        m = round(20 * scale)
        self.root.setContentsMargins(m, round(14 * scale), m, round(14 * scale))
        self.root.setSpacing(round(8 * scale))

    def resizeEvent(self, event: Any) -> None:
        scale = scale_for(self.width(), self.height())
        if scale != self._scale:
            self._scale = scale
            self.setStyleSheet(styled(scale))
            self._margins(scale)
            for chart in (*self.charts.values(), self.group_chart, self.answers.words):
                chart.set_text_px(round(CHART_PX * scale))
            self.refresh()
        self._size_qr()
        super().resizeEvent(event)

    def _size_qr(self) -> None:
        """The QR code: square, whole, a share of the height, scaled by whole pixels per pixel
        where it can be (sharp module edges scan best); the white around it is its quiet zone."""
        if self._qr_source is None or self._qr_source.isNull():
            return
        side = max(120, round(self.height() * QR_SHARE))
        pix = self._qr_source.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.FastTransformation)
        # The image has 2 modules of white; 2 more around it keep the join code's letters (a Q's
        # tail) out of the quiet zone. A code is at least 21 + 4 modules wide: side/12.5 ≥ 2.
        margin = math.ceil(pix.width() * 2 / 25)
        self.qr.setMargin(margin)
        self.qr.setPixmap(pix)
        self.qr.setFixedSize(pix.width() + 2 * margin, pix.height() + 2 * margin)

    def set_join(self, url: str, code: str, qr_png: bytes | None) -> None:
        phones_were = self.phones_on
        self.phones_on = bool(url)
        self.join_box.setVisible(bool(url))  # voting off: the chart takes the whole width
        self.off_note.setVisible(not url)
        # Without "http://" it fits a narrow panel; phones' browsers add it, and the QR has it.
        self.address.setText(url.removeprefix("http://").rstrip("/") if url else "")
        self.code.setText(code if url else "")
        self.qr.setVisible(bool(qr_png))
        self._qr_source = None
        if qr_png:
            pix = QPixmap()
            pix.loadFromData(qr_png, "PNG")
            self._qr_source = pix
            self._size_qr()
        if self.phones_on != phones_were:
            self.refresh()  # an open poll says whether phones can answer it

    def set_connected(self, phones: int) -> None:
        """How many phones follow the room now: the count says "of N phones connected"."""
        if phones != self.connected:
            self.connected = phones
            if self.poll is not None and self.summary_html is None:
                self.refresh()

    def set_activity(self, title: str) -> None:
        self._activity = title
        # What is happening now comes first: if the line is too long, the workshop's name gives way.
        self.title.set_full(f"Now: {title}  ·  {self.session.title}" if title else self.session.title)

    # -- what is shown ------------------------------------------------------------------------------

    def show_poll(self, poll: Poll | None) -> None:
        self.poll = poll
        self.summary_html = None
        self.refresh()
        if poll is not None and poll.kind != "text" and poll.kind not in self.charts:
            # Build its chart once the open click is over, not inside the reveal click later
            # (a new pyqtgraph plot costs ~25 ms): the reveal then only draws.
            QTimer.singleShot(0, self, lambda kind=poll.kind: self.chart(kind))

    def show_summary(self, html: str) -> None:
        """The end of the day: the partnership at a glance instead of a poll, a page at a time."""
        self.poll = None
        self.summary_html = html
        self.summary.page = 0
        self.refresh()

    def next_page(self) -> None:
        if self.summary_html is not None:
            self.summary.turn(1)

    def previous_page(self) -> None:
        if self.summary_html is not None:
            self.summary.turn(-1)

    def _on_paged(self, page: int, pages: int) -> None:
        shown = self.summary_html is not None and pages > 1
        self.pager.setText(f"Page {page + 1} of {pages}  ·  Page Down / Page Up" if shown else "")
        self.pager.setVisible(shown)

    def _show_statement(self, poll: Poll | None) -> None:
        store = self.session.store
        fresh = queries.get_poll(store, poll.id) if poll is not None and store.row("polls", poll.id) else None
        text = queries.consent_statement(store, fresh) if fresh is not None else ""
        self.statement.setText(text)
        self.statement.setVisible(bool(text))

    def refresh(self) -> None:
        self.set_activity(self._activity)
        self._show_statement(self.poll if self.summary_html is None else None)
        if self.summary_html is not None:
            self.question.setText("What we agreed today")
            self.count.setText("")
            self.count.hide()
            self.headline.setText("")
            page = self.summary.page
            self.summary.set_html(self.summary_html, round(SUMMARY_PX * self._scale))
            self.summary.page = page
            self.stack.setCurrentWidget(self.summary)
            self.summary.turn(0)
            return
        self.count.show()
        self.pager.hide()
        poll = self.poll
        if poll is None:
            self.question.setText(self.session.store.workshop().get("partnership") or self.session.title)
            self.count.setText("")
            self.headline.setText("")
            self.stack.setCurrentWidget(self.hidden_note)
            self.hidden_note.setText("Welcome. Questions will appear here.")
            return
        poll = self.poll = queries.get_poll(self.session.store, poll.id)
        result = self.session.result(poll)
        tally = result.tally
        self.question.setText(poll.question)
        state = {"open": "voting open" if self.phones_on else "open · phones off, hands up",
                 "closed": "voting closed", "draft": "not open yet"}[poll.state]
        # Phones connected now, not every phone that ever joined (those that left cannot answer).
        connected = self.connected if self.phones_on else 0
        of = (f" · {plural(connected, 'phone')} connected"
              if connected and tally.by_source.get("hand", 0) == 0 else "")
        rnd = f" · round {poll.round}" if poll.round > 1 else ""
        self.count.setText(f"{plural(tally.respondents, 'response')}{of} · {state}{rnd}")
        if not poll.revealed:
            self.headline.setText("")
            self.hidden_note.setText("Results are hidden until the facilitator reveals them.")
            self.stack.setCurrentWidget(self.hidden_note)
        elif poll.kind == "text":
            self.answers.set_tally(poll, tally)
            self.stack.setCurrentWidget(self.answers)
            self.headline.setText("")
        elif self.compare and over_time.can_compare(self.session, poll):
            self._show_rounds(poll)
        elif self.split and self._show_groups(poll, result):
            pass
        else:
            chart = self.chart(poll.kind)
            chart.set_tally(poll, tally)
            self.stack.setCurrentWidget(chart)
            self.headline.setText(result.with_note(poll, headline(tally)))

    def chart(self, kind: str) -> PollChart:
        chart = self.charts.get(kind)
        if chart is None:
            chart = self.charts[kind] = chart_for(kind, large=True)
            chart.set_text_px(round(CHART_PX * self._scale))
            self.stack.addWidget(chart)
        return chart

    def _show_groups(self, poll: Poll, result: RoundResult) -> bool:
        if self.by_sector:
            groups, labels, pair = result.sectors, result.sector_labels, result.sector_pair
        else:
            groups, labels, pair = result.groups, GROUP_LABELS, result.group_pair
        if not groups:
            return False
        self.group_chart.set_groups(poll, groups, labels)
        self.stack.setCurrentWidget(self.group_chart)
        line = (f"Furthest apart: {labels.get(pair[0], pair[0])} and {labels.get(pair[1], pair[1])}" if pair
                else headline(result.tally))
        self.headline.setText(result.with_note(poll, line))
        return True

    def _show_rounds(self, poll: Poll) -> None:
        rounds, labels = over_time.compared(self.session, poll)
        self.group_chart.set_groups(poll, rounds, labels)
        self.stack.setCurrentWidget(self.group_chart)
        keys = list(rounds)
        last, before = keys[-1], keys[-2]
        self.headline.setText(f"{labels[before]}: {headline(rounds[before])}  →  "
                              f"{labels[last]}: {headline(rounds[last])}")
