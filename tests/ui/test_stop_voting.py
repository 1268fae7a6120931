"""Stopping phone voting mid-poll asks what becomes of the open poll (issue 24 item 4): close it
and stop, stop and leave it open, or cancel. The real voting bar, the real vote server's process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.polls.states import OPEN_PHONES_OFF, STATE_LABELS


@pytest.fixture
def voting(demo_window: MainWindow) -> Iterator[MainWindow]:
    room = demo_window.view.room
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    yield demo_window
    room.stop_voting()


def open_one(window: MainWindow) -> int:
    session = window.session
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "scale")
    open_poll(session.store, session.live, pid)
    return pid


def test_cancel_keeps_voting_on(voting: MainWindow, dialogs) -> None:
    pid = open_one(voting)
    bar = voting.view.voting_bar
    dialogs.answers.append(None)  # Cancel
    bar.toggle.click()
    assert dialogs.shown[-1][:2] == ("choose", "Stop phone voting?")
    assert voting.view.room.voting and bar.toggle.isChecked() and bar.toggle.text() == "Stop phone voting"
    assert queries.get_poll(voting.session.store, pid).is_open


def test_close_the_poll_and_stop(voting: MainWindow, dialogs) -> None:
    pid = open_one(voting)
    dialogs.answers.append(0)  # "Close the poll and stop"
    voting.view.voting_bar.toggle.click()
    assert not voting.view.room.voting
    assert queries.get_poll(voting.session.store, pid).state == "closed"
    assert voting.session.live.open_polls() == []


def test_stop_and_leave_it_open_says_phones_are_off(voting: MainWindow, dialogs) -> None:
    pid = open_one(voting)
    poll = queries.get_poll(voting.session.store, pid)
    page = voting.view.show_page(f"step{poll.step}")
    page.tabs.setCurrentWidget(page.polls)
    page.polls.select(pid)
    assert page.polls.heading.state.text() == STATE_LABELS["open"]
    dialogs.answers.append(1)  # "Stop and leave it open"
    voting.view.voting_bar.toggle.click()
    assert not voting.view.room.voting and queries.get_poll(voting.session.store, pid).is_open
    assert page.polls.heading.state.text() == OPEN_PHONES_OFF  # never "OPEN — taking votes" now
    assert OPEN_PHONES_OFF in page.polls.list.currentItem().toolTip()


def test_no_open_poll_no_question(voting: MainWindow, dialogs) -> None:
    voting.view.voting_bar.toggle.click()
    assert not voting.view.room.voting
    assert [s for s in dialogs.shown if s[0] == "choose"] == []
