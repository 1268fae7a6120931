"""The projector view: a second window for the back of the room.

Large type, high contrast: the question, the response count (always), the chart once
revealed, the timer, and how to join (address, code, QR code).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

from vbp_workshop.core import pollops
from vbp_workshop.core.polls import Poll
from vbp_workshop.core.tally import divergence
from vbp_workshop.ui.charts import GroupChart, PollChart, chart_for
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.timer import Countdown, fmt
from vbp_workshop.ui.widgets import plain_label

STYLE_720 = """
#projector { background: #ffffff; }
#projector QLabel { color: #111111; }
#proj_title { font-size: 20px; color: #444444; }
#proj_timer { font-size: 64px; font-weight: 700; color: #12355b; }
#proj_timer[ending="true"] { color: #b86e00; }
#proj_timer[over="true"] { color: #ffffff; background: #c0262d; border-radius: 10px; padding: 0 14px; }
#proj_question { font-size: 44px; font-weight: 700; color: #111111; }
#proj_count { font-size: 34px; font-weight: 700; color: #12355b; }
#proj_hidden { font-size: 30px; color: #444444; }
#proj_join { font-size: 22px; color: #111111; }
#proj_address { font-size: 24px; font-weight: 700; color: #111111; }
#proj_code { font-size: 48px; font-weight: 800; letter-spacing: 6px; color: #12355b; }
#proj_headline { font-size: 30px; color: #111111; }
"""


def styled(scale: float) -> str:
    """The stylesheet with every pixel size scaled: made for 720 lines, grown with the screen."""
    return re.sub(r"(\d+)px", lambda m: f"{round(int(m.group(1)) * scale)}px", STYLE_720)


class ProjectorWindow(QWidget):
    def __init__(self, session: Session, countdown: Countdown) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.session = session
        self.setObjectName("projector")
        self.setWindowTitle("VBP Workshop — projector")
        self._scale = 0.0
        self.setStyleSheet(styled(1.0))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.poll: Poll | None = None
        self.charts: dict[str, PollChart] = {}

        self.title = plain_label(session.title, wrap=False)
        self.title.setObjectName("proj_title")
        self.timer = QLabel("")
        self.timer.setObjectName("proj_timer")
        self.off_note = plain_label("Phone voting is off · hands up counts too", wrap=False)
        self.off_note.setObjectName("proj_title")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.off_note)
        top.addSpacing(24)
        top.addWidget(self.timer)

        self.question = plain_label("")
        self.question.setObjectName("proj_question")
        self.count = QLabel("")
        self.count.setObjectName("proj_count")
        self.headline = plain_label("")
        self.headline.setObjectName("proj_headline")
        self.stack = QStackedWidget()
        self.hidden_note = plain_label("Results are hidden until everyone has voted.")
        self.hidden_note.setObjectName("proj_hidden")
        self.hidden_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.hidden_note)
        self.group_chart = GroupChart(large=True)
        self.stack.addWidget(self.group_chart)
        self.split = False  # show the result side by side per stakeholder group
        self.summary = QTextBrowser()
        self.summary.setObjectName("proj_summary")
        self.summary.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.stack.addWidget(self.summary)
        self.summary_html: str | None = None

        self.join_text = plain_label("")
        self.join_text.setObjectName("proj_join")
        self.code = QLabel("")
        self.code.setObjectName("proj_code")
        self.qr = QLabel()
        self.qr.setObjectName("proj_qr")
        self.qr.setScaledContents(True)
        self.address = plain_label("", wrap=False)
        self.address.setObjectName("proj_address")
        self.code_caption = plain_label("", wrap=False)
        self.code_caption.setObjectName("proj_join")
        join = QVBoxLayout()
        join.addWidget(self.join_text)
        join.addWidget(self.address)
        join.addWidget(self.code_caption)
        join.addWidget(self.code)
        join.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        join.addStretch(1)
        self.join_box = QWidget()
        self.join_box.setObjectName("proj_join_box")
        self.join_box.setLayout(join)


        grid = QGridLayout(self)
        grid.setContentsMargins(36, 24, 36, 24)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(self.question, 1, 0, 1, 2)
        grid.addWidget(self.count, 2, 0)
        grid.addWidget(self.stack, 3, 0)
        grid.addWidget(self.headline, 4, 0)
        grid.addWidget(self.join_box, 2, 1, 3, 1)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(0, 1)
        self.set_join("", "", None)
        # Bound methods, not lambdas: Qt drops them when this window is deleted.
        countdown.ticked.connect(self._on_tick)
        countdown.finished.connect(self._on_finished)
        for key in ("Escape", "F11"):
            QShortcut(QKeySequence(key), self, activated=self.toggle_full_screen)
        self.show_poll(None)

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
            self.resize(1280, 720)
            self.show()

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def resizeEvent(self, event: object) -> None:
        # The join panel takes about a quarter of the width, so the chart keeps the rest even at
        # 1024×768; the QR code stays big enough to scan from a few rows back.
        scale = round(max(1.0, min(self.height() / 720, self.width() / 1280)), 2)
        if scale != self._scale:
            self._scale = scale
            self.setStyleSheet(styled(scale))
        side = max(300, min(520, int(self.width() * 0.26)))
        self.join_box.setFixedWidth(side)
        self.qr.setFixedSize(side - 30, side - 30)
        super().resizeEvent(event)  # type: ignore[arg-type]

    def set_join(self, url: str, code: str, qr_png: bytes | None) -> None:
        self.join_box.setVisible(bool(url))  # voting off: the chart takes the whole width
        self.off_note.setVisible(not url)
        self.join_text.setText("Join on your phone at" if url else "")
        # Without "http://" it fits a narrow panel; phones' browsers add it, and the QR has it.
        self.address.setText(url.removeprefix("http://").rstrip("/") if url else "")
        self.code_caption.setText("with the code" if url else "")
        self.code.setText(code if url else "")
        self.qr.setVisible(bool(qr_png))
        if qr_png:
            pix = QPixmap()
            pix.loadFromData(qr_png, "PNG")
            self.qr.setPixmap(pix)

    def set_activity(self, title: str) -> None:
        self.title.setText(f"{self.session.title}  ·  now: {title}" if title else self.session.title)
        self._activity = title

    def show_poll(self, poll: Poll | None) -> None:
        self.poll = poll
        self.summary_html = None
        self.refresh()

    def show_summary(self, html: str) -> None:
        """The end of the day: the partnership at a glance instead of a poll."""
        self.poll = None
        self.summary_html = html
        self.refresh()

    def refresh(self) -> None:
        self.set_activity(getattr(self, "_activity", ""))
        if self.summary_html is not None:
            self.question.setText("What we agreed today")
            self.count.setText("")
            self.headline.setText("")
            # A stylesheet, not setFont: the application's stylesheet would win over a font.
            self.summary.setStyleSheet(f"font-size: {round(16 * max(self._scale, 1.0))}pt;")
            self.summary.setHtml(self.summary_html)
            self.stack.setCurrentWidget(self.summary)
            return
        poll = self.poll
        if poll is None:
            self.question.setText(self.session.store.workshop().get("partnership") or self.session.title)
            self.count.setText("")
            self.headline.setText("")
            self.stack.setCurrentWidget(self.hidden_note)
            self.hidden_note.setText("Welcome. Questions will appear here.")
            return
        poll = self.poll = pollops.get_poll(self.session.store, poll.id)
        tally = self.session.round_tally(poll)
        self.question.setText(poll.question)
        state = {"open": "voting open", "closed": "voting closed", "draft": "not open yet"}[poll.state]
        joined = int(self.session.store.scalar("SELECT COUNT(*) FROM devices") or 0)
        of = f" of {joined} phones" if joined and tally.by_source.get("hand", 0) == 0 else ""
        self.count.setText(f"{tally.respondents} responses{of} · {state}")
        groups = pollops.group_tallies(self.session.store, poll) if self.split and poll.revealed else {}
        if groups and poll.kind != "text":
            from vbp_workshop.core.domain import GROUP_LABELS

            self.group_chart.set_groups(poll, groups, GROUP_LABELS)
            self.stack.setCurrentWidget(self.group_chart)
            _distance, pair = divergence(poll, groups)
            self.headline.setText(f"Furthest apart: {GROUP_LABELS.get(pair[0], pair[0])} and "
                                  f"{GROUP_LABELS.get(pair[1], pair[1])}" if pair else tally.headline())
        elif poll.revealed:
            chart = self.charts.get(poll.kind)
            if chart is None:
                chart = self.charts[poll.kind] = chart_for(poll.kind, large=True)
                self.stack.addWidget(chart)
            chart.set_tally(poll, tally)
            self.stack.setCurrentWidget(chart)
            self.headline.setText(tally.headline())
        else:
            self.headline.setText("")
            self.hidden_note.setText("Results are hidden until the facilitator reveals them.")
            self.stack.setCurrentWidget(self.hidden_note)
