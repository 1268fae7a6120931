"""Phone voting stopped mid-poll and started again (issue 24 item 4): a real window, the real vote
server's process, phones in Chromium. Ballots the phones sent while voting was off reach the
poll, still open, soon after voting starts again — not only when the facilitator next reveals or
closes (when a close would refuse them)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from tests.e2e.conftest import new_phone
from vbp_workshop.core.operations.live import new_round
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.polls.states import OPEN_PHONES_OFF, STATE_LABELS
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

pytestmark = pytest.mark.slow


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    win = MainWindow(Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)),
                     ScriptedDialogs())
    qtbot.addWidget(win)
    build_demo(tmp_path / "demo.vbpw").close()
    assert win.open_path(tmp_path / "demo.vbpw")
    yield win
    if win.view is not None:
        win.view.room.stop_voting()
    win.close_workshop()


def join(page: Any, port: int, code: str) -> None:
    page.goto(f"http://127.0.0.1:{port}/?c={code}")
    page.wait_for_selector("#join:not([hidden])")
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector("#wait:not([hidden]), #poll:not([hidden])")


def test_ballots_sent_while_voting_was_off_arrive_when_it_restarts(window: MainWindow, browser, qtbot) -> None:
    session, view = window.session, window.view
    room, dialogs = view.room, window.dialogs
    projector = room.open_projector()
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    port = room.server.port
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "single")
    poll = new_round(session.store, session.live, pid)  # open, with no answer yet
    page = view.show_page(f"step{poll.step}")
    page.tabs.setCurrentWidget(page.polls)
    page.polls.select(pid)
    assert page.polls.heading.state.text() == STATE_LABELS["open"]
    phones = [new_phone(browser) for _ in range(3)]
    try:
        for phone in phones:
            join(phone, port, session.live.join_code)
            phone.wait_for_function("q => document.getElementById('question').textContent === q", arg=poll.question,
                                    timeout=60_000)
        dialogs.answers.append(1)  # "Stop and leave it open"
        view.voting_bar.toggle.click()  # the facilitator stops phone voting mid-poll
        assert not room.voting and queries.get_poll(session.store, pid).is_open
        assert dialogs.shown[-1][:2] == ("choose", "Stop phone voting?")
        # Nobody can vote: the poll does not say it is taking votes, here or on the projector.
        assert page.polls.heading.state.text() == OPEN_PHONES_OFF
        assert "phones off" in projector.count.text() and "voting open" not in projector.count.text()
        for phone in phones:
            phone.locator("#answer label.choice").nth(1).click()
            phone.click("#send")
        for phone in phones:  # each has tried and is waiting for the laptop
            phone.wait_for_function(
                "() => /Sending|Not sent|weak/.test(document.getElementById('status').textContent)", timeout=60_000)
        # The subject, not a wait: voting stays off a while (every phone has already tried, above)
        # and the phones keep retrying meanwhile; the restart must still collect every ballot.
        time.sleep(3)
        room.start_voting("127.0.0.1", host="127.0.0.1", port=port)  # the same address as before
        restarted = time.monotonic()
        qtbot.waitUntil(lambda: session.round_tally(queries.get_poll(session.store, pid)).respondents == 3,
                        timeout=40_000)
        took = time.monotonic() - restarted
        for phone in phones:
            phone.wait_for_function("() => document.getElementById('status').textContent.includes('recorded')",
                                    timeout=60_000)
        assert queries.get_poll(session.store, pid).is_open  # accepted for the poll, still open
        assert page.polls.heading.state.text() == STATE_LABELS["open"]
        print(f"all 3 ballots stored {took:.1f} s after voting restarted")
    finally:
        for phone in phones:
            phone.context.close()
