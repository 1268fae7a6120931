"""What the phones, the projector and the window show is one state, after every change.

Issue 24 item 1: open a poll, 4 phones vote, Reveal, 5 more vote, Close — the projector showed 9
answers and every phone kept "4 answers". Here, for every poll kind in the registry, in a real
window with the real vote server's process and phones joined over HTTP, after each step of
open → votes → reveal → votes → close, what a phone's event stream last delivered (as the phone
page reads it) is compared with the projector window and the window's poll panel: the count, the
headline figure and the whole revealed result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.ui.room_phones import Phone
from vbp_workshop.core.model.poll import REGISTRY, Poll
from vbp_workshop.core.operations.live import new_round
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow

# One answer per phone (n = the phone's number) for each kind; a kind without one fails the test.
ANSWERS: dict[str, Callable[[Poll, int], Any]] = {
    "single": lambda p, n: n % len(p.options) if n < 4 else 0,
    "multiple": lambda p, n: [0] if n < 4 else [1, 2][: p.max_choices],
    "agreement": lambda p, n: {str(i): 5 if n < 4 else 1 for i in range(len(p.options))},
    "scale": lambda p, n: p.scale_range[1] if n < 4 else p.scale_range[0],
    "number": lambda p, n: p.scale_range[0] + (n + 1),
    "ranking": lambda p, n: list(range(len(p.options))) if n < 4 else list(range(len(p.options)))[::-1],
    "points": lambda p, n: {"0": p.budget} if n < 4 else {"1": p.budget},
    "matrix": lambda p, n: {str(i): [5, 5] if n < 4 else [1, 1] for i in range(len(p.options))},
    "importance": lambda p, n: {str(i): [5, 1] if n < 4 else [1, 5] for i in range(len(p.options))},
    "fist": lambda p, n: 5 if n < 4 else 1,
    "text": lambda p, n: f"Answer number {n}",
}


@pytest.fixture
def voting(demo_window: MainWindow) -> Iterator[tuple[MainWindow, list[Phone]]]:
    room = demo_window.view.room
    room.open_projector()
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    phones = [Phone(room.server.port, room.session.live.join_code, group) for group in
              ("provider", "payer", "pharma", "patient", "provider", "payer", "pharma", "medtech", "clinician")]
    phones[0].follow()
    yield demo_window, phones
    for p in phones:
        p.stop()
    room.stop_voting()


def count_in(text: str) -> int:
    found = re.match(r"(\d+) response", text)
    return int(found.group(1)) if found else -1


def mismatches(window: MainWindow, phone: Phone, pid: int, votes: int) -> list[str]:
    """Where the phone, the projector and the window disagree with each other or with the votes
    cast; [] when all three show the same state."""
    session = window.session
    poll = queries.get_poll(session.store, pid)
    t = session.round_tally(poll)
    projector = window.view.room.projector
    panel = window.view.page(f"step{poll.step}").polls
    snap = phone.last or {}
    out = []
    if t.respondents != votes:
        out.append(f"window tally {t.respondents} != {votes} votes cast")
    if count_in(panel.heading.count.text()) != votes:
        out.append(f"window count {panel.heading.count.text()!r}")
    if count_in(projector.count.text()) != votes:
        out.append(f"projector count {projector.count.text()!r}")
    if poll.is_open != ((snap.get("poll") or {}).get("id") == pid):
        out.append(f"phone poll {snap.get('poll')} while the poll is {poll.state}")
    result = snap.get("result")
    if not poll.revealed:
        if result is not None:
            out.append(f"phone shows a result {result} that is hidden")
        if projector.stack.currentWidget() is not projector.hidden_note:
            out.append("projector shows a hidden result")
        return out
    expected = json.loads(json.dumps(queries.public_result(poll, t)))  # as the phone receives it
    if result != expected:
        out.append(f"phone result {result} != the window's {expected}")
        return out
    if result["respondents"] != votes:
        out.append(f"phone says {result['respondents']} answers")
    if panel.heading.headline.text() != f"Result: {result['headline']}":
        out.append(f"window headline {panel.heading.headline.text()!r} != phone {result['headline']!r}")
    if poll.kind == "text":
        if projector.stack.currentWidget() is not projector.answers:
            out.append("projector does not show the answers")
    elif not projector.headline.text().startswith(result["headline"]):
        out.append(f"projector headline {projector.headline.text()!r} != phone {result['headline']!r}")
    return out


def test_phones_projector_and_window_agree_after_every_step_for_every_kind(voting, qtbot) -> None:
    window, phones = voting
    session = window.session
    missing = sorted(set(REGISTRY) - set(ANSWERS))
    assert not missing, f"add an answer for the kinds {missing}"
    for kind in REGISTRY:
        pid = next(p.id for p in queries.polls(session.store) if p.kind == kind)
        page = window.view.show_page(f"step{queries.get_poll(session.store, pid).step}")
        page.tabs.setCurrentWidget(page.polls)
        page.polls.select(pid)
        # open (a fresh round: the demo's own votes stay in the earlier one)
        poll = new_round(session.store, session.live, pid)
        cast = [0]

        def agree(step: str, kind: str = kind, pid: int = pid, cast: list[int] = cast) -> None:
            def check() -> None:
                wrong = mismatches(window, phones[0], pid, cast[0])
                assert not wrong, f"{kind}, after {step}: " + "; ".join(wrong)
            qtbot.waitUntil(check, timeout=8000)

        agree("open")
        for n in range(4):
            status, body = phones[n].vote(pid, poll.round, ANSWERS[kind](poll, n))
            assert status == 200, (kind, body)
            cast[0] += 1
        agree("4 votes")
        page.polls.live.toggle_reveal()  # the facilitator's Reveal button
        agree("reveal")
        for n in range(4, 9):
            status, body = phones[n].vote(pid, poll.round, ANSWERS[kind](poll, n))
            assert status == 200, (kind, body)
            cast[0] += 1
        agree("5 more votes after the reveal")
        page.polls.live.close_poll()  # the facilitator's Close button
        agree("close")
