"""Why phones cannot join, and "Test with my phone": the dialogs the voting bar opens.

The checks (`server/joinhelp.diagnose`: on Windows, commands that take seconds) run on a plain
thread that never touches Qt; a timer on the GUI thread picks the answer up (as `ui/tasks.py`).
The phone test polls the room for the test page's events the same way.
"""

from __future__ import annotations

import html
import sys
import threading
import time
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.server import joinhelp
from vbp_workshop.server.joinhelp import FINE, FOUND, Cause
from vbp_workshop.server.network import DEFAULT_PORT, offers
from vbp_workshop.ui.projector.room import LiveRoom, qr_png
from vbp_workshop.ui.shared.labels import plain_label

POLL_MS = 100
SELFTEST_TIMEOUT_S = 90.0
STATUS_WORDS = {FOUND: "found on this laptop", joinhelp.POSSIBLE: "the laptop cannot check this", FINE: "looks fine"}


def rich_label(text: str) -> QLabel:
    """A wrapping label for our own markup (never participants' text)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setText(text)
    return label


def causes_html(causes: list[Cause], checking: bool) -> str:
    parts = ["<p>Most likely first. Try <b>Test with my phone</b> after each fix.</p>"]
    if checking:
        parts.append("<p><i>Checking this laptop's firewall and network…</i></p>")
    for n, c in enumerate(causes, 1):
        colour = {"found": "#9a3412", "possible": "#1e3a5f", "fine": "#166534"}[c.status]
        parts.append(f"<h3>{n}. {html.escape(c.title)} <span style='color:{colour}'>— {STATUS_WORDS[c.status]}"
                     "</span></h3>")
        parts.append(f"<p>{html.escape(c.finding)}</p>")
        if c.steps:
            parts.append("<ol>" + "".join(f"<li>{html.escape(s)}</li>" for s in c.steps) + "</ol>")
    parts.append("<p>Nothing needs the internet: phones talk only to this laptop. You can always count hands "
                 "instead: every poll has <b>Hand count…</b>, and hands and phones add up.</p>")
    return "".join(parts)


class JoinHelpDialog(QDialog):
    """"No phones yet? What to check": the likely causes in order, with the fix for each."""

    def __init__(self, room: LiveRoom, parent: QWidget | None = None, port: int = DEFAULT_PORT) -> None:
        super().__init__(parent)
        self.room = room
        self.setObjectName("join_help")
        self.setWindowTitle("No phones yet? What to check")
        self.resize(720, 620)
        lay = QVBoxLayout(self)
        where = room.join_url() or "phone voting is off"
        self.where = rich_label(f"Phones should open <b>{html.escape(where)}</b> (or scan the QR code).")
        lay.addWidget(self.where)
        self.text = QTextBrowser()
        self.text.setObjectName("join_help_text")
        self.text.setOpenLinks(False)
        lay.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.test_button = QPushButton("Test with my phone")
        self.test_button.setObjectName("selftest_button")
        self.test_button.setToolTip("Scan a test code with your own phone: the laptop says whether it got through")
        self.test_button.clicked.connect(self.test_with_phone)
        self.test_button.setEnabled(room.voting)
        if not room.voting:
            self.test_button.setToolTip("Start phone voting first: the test page is served by the vote server")
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.selftest: SelfTestDialog | None = None
        # First what the adapters say (milliseconds), then the firewall (seconds, on a thread).
        self.findings = joinhelp.Findings(sys.platform, port, joinhelp.server_program(), offers())
        self.checking = True
        self._render()
        self._result: list[Any] = []
        threading.Thread(target=self._diagnose, args=(port,), name="join-help", daemon=True).start()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._collect)
        self._timer.start()

    def _diagnose(self, port: int) -> None:  # a plain thread: no Qt here
        try:
            self._result.append(joinhelp.diagnose(port))
        except Exception as exc:  # any failure: the guidance stays as it was, without the checks
            self._result.append(exc)

    def _collect(self) -> None:
        if not self._result:
            return
        self._timer.stop()
        self.checking = False
        found = self._result[0]
        if isinstance(found, joinhelp.Findings):
            self.findings = found
        self._render()

    def _render(self) -> None:
        self.causes = joinhelp.causes(self.findings)
        self.text.setHtml(causes_html(self.causes, self.checking))

    def test_with_phone(self) -> SelfTestDialog | None:
        if not self.room.voting:
            return None
        self.selftest = SelfTestDialog(self.room, self)
        self.selftest.open()
        return self.selftest


class SelfTestDialog(QDialog):
    """A test QR code for the facilitator's own phone, and what came of it."""

    def __init__(self, room: LiveRoom, parent: QWidget | None = None,
                 timeout_s: float = SELFTEST_TIMEOUT_S) -> None:
        super().__init__(parent)
        self.room = room
        self.timeout_s = timeout_s
        self.setObjectName("selftest")
        self.setWindowTitle("Test with my phone")
        self.url = room.start_selftest()
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label("Scan this with your own phone, joined to the same Wi-Fi as the participants "
                                  "(Wi-Fi on, not mobile data)."))
        row = QHBoxLayout()
        pix = QPixmap()
        pix.loadFromData(qr_png(self.url), "PNG")
        self.qr = QLabel()
        self.qr.setPixmap(pix.scaled(240, 240, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.FastTransformation))
        row.addWidget(self.qr)
        side = QVBoxLayout()
        side.addWidget(plain_label(f"Or type it into the phone's browser:\n{self.url}"))
        self.status = rich_label("Waiting for your phone…")
        self.status.setObjectName("selftest_status")
        side.addWidget(self.status, 1)
        row.addLayout(side, 1)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.outcome = ""  # "reached", "partial" or "failed" once known
        self.rtt_ms = 0
        self._page = False
        self._started = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        self.resize(640, 320)

    def _poll(self) -> None:
        for event in self.room.selftest_events():
            if event.get("token") and not self.url.endswith(str(event["token"])):
                continue  # an older test's phone
            if event["stage"] == "page":
                self._page = True
                self.status.setText("Your phone opened the test page… measuring.")
            elif event["stage"] == "done":
                self.rtt_ms = int(event["rtt_ms"])
                self._finish("reached", f"<b style='color:#166534'>Your phone reached the laptop in "
                                        f"{self.rtt_ms} ms.</b><br>Phones on this Wi-Fi can join. (The time is "
                                        "a request's round trip, measured by the phone.)")
                return
        waited = time.monotonic() - self._started
        if waited >= self.timeout_s:
            if self._page:
                self._finish("partial", "<b style='color:#9a3412'>Your phone reached the laptop, but could not "
                                        "finish the test.</b><br>The page loaded, then its requests stopped: the "
                                        "Wi-Fi may be dropping, or the phone's browser blocks scripts. Try again, "
                                        "or another phone.")
            else:
                self._finish("failed", f"<b style='color:#9a3412'>Your phone did not reach the laptop in "
                                       f"{round(self.timeout_s)} s.</b><br>Check that the phone is on the same "
                                       "Wi-Fi as this laptop (not mobile data). If it is, the Wi-Fi probably "
                                       "keeps devices apart, or the laptop's firewall turns phones away: see the "
                                       "list under \"What to check\", most likely first.")
        elif not self._page:
            self.status.setText(f"Waiting for your phone… {round(self.timeout_s - waited)} s")

    def _finish(self, result: str, text: str) -> None:
        self._timer.stop()
        self.outcome = result
        self.status.setText(text)
