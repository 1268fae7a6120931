"""The phone page on the engines phones use: Chromium, WebKit (Safari's) and Gecko (Firefox's),
each at a phone's 390×844 (issue 20, item 6), through one driver layer (`engines.py`).

One body for every engine: join, every poll kind the registry knows (answered, sent, stored,
then revealed, with each result figure measured on one line), ideas (sent and +1), and
reconnecting (voting stopped and started again: an answer held goes by itself, the next question
arrives). A missing engine skips locally and fails in CI, which installs all three.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vbp_workshop.core.intake.ideas import derive as derive_ideas
from vbp_workshop.core.intake.ideas import room as ideas_room
from vbp_workshop.core.intake.ideas import set_state
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.operations.live import close_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds import ORDER
from vbp_workshop.core.steps import ideas
from vbp_workshop.server.runner import VoteServer

from .conftest import Room
from .engines import ENGINES, Phone, phone_on
from .phone_steps import my_ballots

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Phone]:
    with phone_on(request.param) as phone:
        yield phone


@pytest.fixture
def ephone(engine: Phone) -> Iterator[Phone]:
    yield engine
    engine.forget()  # the next test is a new phone


def join(phone: Phone, room: Room) -> None:
    phone.open(f"{room.base}/?c={room.code}")
    phone.wait("!document.getElementById('join').hidden")
    assert phone.js("return document.getElementById('code').value;") == room.code
    phone.click("#join-button")
    phone.wait("!document.getElementById('wait').hidden || !document.getElementById('poll').hidden")


def showing(phone: Phone, question: str) -> None:
    phone.wait("!document.getElementById('poll').hidden && "
               "document.getElementById('question').textContent === arguments[0]", question)


def recorded(phone: Phone, timeout: float = 20) -> None:
    phone.wait("document.getElementById('status').textContent.includes('recorded')", timeout=timeout)


def answer(phone: Phone, kind: str, poll: Poll) -> None:
    """What a person taps for each kind (a kind the registry adds needs its step here)."""
    if kind == "single":
        phone.click("#answer label.choice", nth=1)
    elif kind == "multiple":
        phone.click("#answer label.choice", nth=0)
        phone.click("#answer label.choice", nth=2)
    elif kind == "agreement":
        for i in range(len(poll.options)):
            phone.click(f"#answer > .item:nth-of-type({i + 1}) .scale button", text="4")
    elif kind in ("scale", "fist"):
        phone.click("#answer .scale button", text="4")
    elif kind == "ranking":
        phone.click("#answer .rank button", attr=("aria-label", f"Move down: {poll.options[0]}"))
    elif kind == "points":
        for _ in range(3):
            phone.click("#answer .stepper button", attr=("aria-label", f"One point more: {poll.options[1]}"))
        phone.wait("document.querySelector('.budget').textContent.includes('7 of 10 points left')")
    elif kind in ("matrix", "importance"):
        for i in range(len(poll.options)):
            item = f"#answer > .item:nth-of-type({i + 1})"
            phone.click(f"{item} > .scale:nth-of-type(3) button", text="2")  # the first axis
            phone.click(f"{item} > .scale:nth-of-type(5) button", text="5")  # the second
    elif kind == "text":
        phone.type("#text-answer", "Patients know their numbers")
    elif kind == "number":
        phone.type("#number-answer", "12.5")
    else:
        raise AssertionError(f"no phone step for the poll kind {kind!r}")


# Each result figure: its line boxes and whether it is cut off (issue 20, item 5, on every engine).
FIGURES = """return Array.from(document.querySelectorAll('#result .figure')).map(function (el) {
  var range = document.createRange(); range.selectNodeContents(el);
  var tops = {};
  Array.from(range.getClientRects()).forEach(function (r) { if (r.width > 0) tops[Math.round(r.top)] = 1; });
  var box = el.getBoundingClientRect();
  return [el.textContent, Object.keys(tops).length, el.scrollWidth <= el.clientWidth + 1,
          box.right <= window.innerWidth];
});"""


def test_join_every_kind_and_reveal(room: Room, ephone: Phone) -> None:
    phone = ephone
    join(phone, room)
    for kind in ORDER:
        poll = queries.get_poll(room.store, room.open(kind))
        showing(phone, poll.question)
        answer(phone, kind, poll)
        phone.click("#send")
        recorded(phone)
        assert len(my_ballots(room, poll)) == 1, f"{phone.name}: {kind}"
        close_poll(room.store, room.live, poll.id)
        reveal(room.store, room.live, poll.id, True)
        phone.wait("!document.getElementById('result').hidden && document.querySelector('#result h2')")
        # Laid out before it is measured: a result the laptop re-sends is drawn again (a moment
        # with no boxes), so wait until every figure has a box of its own.
        phone.wait("Array.from(document.querySelectorAll('#result .figure')).length > 0 && "
                   "Array.from(document.querySelectorAll('#result .figure')).every(function (el) {"
                   " var r = document.createRange(); r.selectNodeContents(el);"
                   " return Array.from(r.getClientRects()).some(function (x) { return x.width > 0; }); })")
        figures = phone.js(FIGURES)
        assert figures, f"{phone.name}: {kind} shows no figure"
        assert all(lines == 1 and whole and inside for _text, lines, whole, inside in figures), \
            (phone.name, kind, figures)
    assert "Voting has closed" in phone.text("#wait-title")


def test_ideas_sent_and_supported(room: Room, ephone: Phone) -> None:
    phone = ephone
    intake = ideas_room(room.live, room.store.path)
    aid = int(ideas.activities(room.store)[0]["id"])
    set_state(room.store, aid, "open")
    derive_ideas(room.store, intake.live)
    join(phone, room)
    phone.wait("!document.getElementById('ideas').hidden", timeout=10)
    phone.type("#idea-text", "Share outcome data every month")
    phone.click("#idea-send")
    phone.wait("document.getElementById('idea-status').textContent.includes('Sent')")
    phone.wait("document.getElementById('ideas-meta').textContent.includes('sent 1 of')")
    while not intake.writer.notices.empty():  # the GUI's drain: the idea reaches the board
        intake.writer.notices.get()
    derive_ideas(room.store, intake.live)
    phone.wait("document.getElementById('ideas-board').textContent.includes('Share outcome data')", timeout=10)
    phone.click("#ideas-board button", attr=("aria-pressed", "false"))
    phone.wait("document.querySelector(\"#ideas-board button[aria-pressed='true']\")")
    mine = int(ideas.ideas_of(room.store, aid)[-1]["id"])
    assert len(ideas.supporters(room.store, aid)[mine]) == 1


def test_reconnect_sends_what_the_phone_holds_and_follows_the_room(room: Room, ephone: Phone) -> None:
    phone = ephone
    join(phone, room)
    poll = queries.get_poll(room.store, room.open("single"))
    showing(phone, poll.question)
    phone.wait("document.getElementById('conn').textContent === 'Connected'")
    port = room.server.port
    room.server.stop()  # voting stops ...
    phone.wait("document.getElementById('conn').textContent.indexOf('Reconnecting') === 0")
    phone.click("#answer label.choice", nth=2)
    phone.click("#send")  # ... as the participant taps Send
    phone.wait("document.getElementById('status').textContent.indexOf('Sending') === 0")
    server = VoteServer(room.live, room.writer, room.store.path, host="127.0.0.1", port=port)
    server.start()  # voting starts again: nothing else happens
    room.server = server
    assert server.port == port
    recorded(phone, timeout=15)
    assert [b["answer"] for b in my_ballots(room, poll)] == ["2"]
    phone.wait("document.getElementById('conn').textContent === 'Connected'")
    close_poll(room.store, room.live, poll.id)
    nxt = queries.get_poll(room.store, room.open("scale"))
    showing(phone, nxt.question)  # the stream came back: the room's next question arrives
