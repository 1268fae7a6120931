"""A phone's memory belongs to one sitting of one workshop (issue 20, item 1), in real Chromium.

Two workshop files are served one after the other on the same laptop address (the same port),
as when a practice run on the demo comes before the real session, or yesterday's workshop before
today's. Every workshop numbers its polls, activities and ideas from 1, so workshop B's poll 3 is
not workshop A's poll 3:

- the ghost vote: an answer left "Not sent yet" at A must never be sent by itself at B;
- the false "recorded": B's poll must not show A's answer as recorded;
- a stale tab still showing A's question cannot vote into B (the laptop answers 409 and the
  page says why);
- the ideas' "N of 5 sent" count and +1 state of A are not B's.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vbp_workshop.core import operations
from vbp_workshop.core.file.schema import workshop_uid
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.ideas import derive as derive_ideas
from vbp_workshop.core.intake.ideas import room as ideas_room
from vbp_workshop.core.intake.ideas import set_state
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import ideas
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.server.runner import VoteServer

from .conftest import new_phone

pytestmark = pytest.mark.browser

# Waits with no random spread (400 ms each): the retries these tests wait for come at once.
NO_JITTER = "Math.random = () => 0;"


class Served:
    """One workshop file served to phones, as the app serves it while voting is on."""

    def __init__(self, store: Store, port: int = 0) -> None:
        self.store = store
        self.live = LiveState(store.workshop()["join_code"])
        operations.derive(store, self.live)
        self.writer = VoteWriter(store.path, self.live)
        self.writer.start()
        self.ideas = ideas_room(self.live, store.path)
        self.ideas.ensure_started()
        self.listener = lambda c: derive_ideas(store, self.ideas.live) \
            if c.touches("ideas", "idea_activities", "idea_supports") else None
        store.listeners.append(self.listener)
        self.server = VoteServer(self.live, self.writer, store.path, host="127.0.0.1", port=port)
        self.server.start()
        self.stopped = False
        self.demo_voters = {d["pseudonym"] for d in store.rows("devices")}

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def workshop(self) -> str:
        return workshop_uid(self.store.conn)

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.server.stop()
            self.ideas.stop()
            self.writer.stop()
            self.store.listeners.remove(self.listener)

    def drain(self) -> None:
        """The GUI's part: the phones' ideas reach the board (as after the window's drain)."""
        while not self.ideas.writer.notices.empty():
            self.ideas.writer.notices.get()
        derive_ideas(self.store, self.ideas.live)

    def poll(self, kind: str = "single") -> Poll:
        pid = next(p.id for p in queries.polls(self.store) if p.kind == kind)
        open_poll(self.store, self.live, pid)
        return queries.get_poll(self.store, pid)

    def ballots(self, poll_id: int) -> list[dict[str, Any]]:
        """The poll's ballots from phones that joined this workshop in the test (not the demo's)."""
        phones = {d["pseudonym"] for d in self.store.rows("devices")} - self.demo_voters
        return [dict(b) for b in queries.ballots(self.store, poll_id, 1) if b["voter"] in phones]


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    a, b = build_demo(tmp_path / "a.vbpw"), build_demo(tmp_path / "b.vbpw")
    assert workshop_uid(a.conn) and workshop_uid(a.conn) != workshop_uid(b.conn)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def served() -> Iterator[list[Served]]:
    made: list[Served] = []
    yield made
    for s in made:
        s.stop()


def serve(made: list[Served], store: Store, port: int = 0) -> Served:
    s = Served(store, port)
    made.append(s)
    if port:
        assert s.server.port == port, "the second workshop must be served on the first one's address"
    return s


def join(page: Any, s: Served) -> None:
    page.goto(f"{s.base}/?c={s.live.join_code}")
    page.wait_for_selector("#join:not([hidden])")
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector("#wait:not([hidden]), #poll:not([hidden])")


def rejoin(page: Any, s: Served) -> None:
    """The phone, still on the page, is asked to join again (the laptop does not know it)."""
    page.wait_for_selector("#join:not([hidden])", timeout=20000)
    page.fill("#code", s.live.join_code)
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector("#wait:not([hidden]), #poll:not([hidden])")


def showing(page: Any, poll: Poll) -> None:
    page.wait_for_function("q => !document.getElementById('poll').hidden && "
                           "document.getElementById('question').textContent === q", arg=poll.question, timeout=20000)


def status(page: Any) -> str:
    return str(page.inner_text("#status"))


def test_an_answer_not_sent_at_one_workshop_is_never_sent_at_the_next(two: tuple[Store, Store], browser: Any,
                                                                       served: list[Served]) -> None:
    a = serve(served, two[0])
    poll_a = a.poll("single")
    phone = new_phone(browser)
    try:
        phone.add_init_script(NO_JITTER)
        join(phone, a)
        showing(phone, poll_a)
        a.stop()  # the laptop stops voting as the participant taps Send
        phone.locator("label.choice").nth(2).click()
        phone.click("#send")
        phone.wait_for_function("() => document.getElementById('status').textContent.startsWith('Not sent yet')")

        b = serve(served, two[1], a.server.port)  # the next workshop, same laptop, same address
        poll_b = b.poll("single")
        assert poll_b.id == poll_a.id  # every workshop numbers its polls from 1
        rejoin(phone, b)
        showing(phone, poll_b)
        # Nothing is held for B, nothing shows as answered: the form is as new.
        assert phone.inner_text("#send") == "Send answer"
        assert "recorded" not in status(phone)
        assert phone.locator("input:checked").count() == 0
        # The participant answers B themselves: B holds that one answer, stored once (a ghost
        # of A's answer would have been stored first, then replaced).
        phone.locator("label.choice").nth(0).click()
        phone.click("#send")
        phone.wait_for_function("() => document.getElementById('status').textContent.includes('recorded')")
        stored = b.ballots(poll_b.id)
        assert [x["answer"] for x in stored] == ["0"]
        assert stored[0]["created_at"] == stored[0]["updated_at"], "A's answer reached B before the phone's own"
        assert not a.ballots(poll_a.id)  # and A never had it either: it was never acknowledged
    finally:
        phone.context.close()


def test_an_answer_recorded_at_one_workshop_is_not_shown_as_recorded_at_the_next(
        two: tuple[Store, Store], browser: Any, served: list[Served]) -> None:
    a = serve(served, two[0])
    poll_a = a.poll("single")
    phone = new_phone(browser)
    try:
        join(phone, a)
        showing(phone, poll_a)
        phone.locator("label.choice").nth(2).click()
        phone.click("#send")
        phone.wait_for_function("() => document.getElementById('status').textContent.includes('recorded')")
        assert [x["answer"] for x in a.ballots(poll_a.id)] == ["2"]
        a.stop()

        b = serve(served, two[1], a.server.port)
        poll_b = b.poll("single")
        rejoin(phone, b)
        showing(phone, poll_b)
        assert "recorded" not in status(phone)
        assert phone.inner_text("#send") == "Send answer"
        assert phone.locator("input:checked").count() == 0
        assert not b.ballots(poll_b.id)
    finally:
        phone.context.close()


def test_a_stale_tab_of_one_workshop_cannot_vote_into_the_next(two: tuple[Store, Store], browser: Any,
                                                               served: list[Served]) -> None:
    a = serve(served, two[0])
    poll_a = a.poll("single")
    stale = new_phone(browser)
    try:
        join(stale, a)
        showing(stale, poll_a)
        stale.route("**/api/events", lambda route: route.abort())  # this tab hears nothing new
        stale.route("**/api/state", lambda route: route.abort())
        a.stop()
        b = serve(served, two[1], a.server.port)
        poll_b = b.poll("single")
        # The same phone joins B in another tab (same browser, so the same cookie).
        fresh = stale.context.new_page()
        join(fresh, b)
        showing(fresh, poll_b)
        # Back in the old tab, still showing A's question, the participant answers.
        stale.locator("label.choice").nth(1).click()
        stale.click("#send")
        stale.wait_for_function("() => document.getElementById('status').textContent.includes('another workshop')")
        assert not b.ballots(poll_b.id)
    finally:
        stale.context.close()


def test_ideas_sent_and_supported_at_one_workshop_are_not_counted_at_the_next(
        two: tuple[Store, Store], browser: Any, served: list[Served]) -> None:
    a = serve(served, two[0])
    aid = int(ideas.activities(a.store)[0]["id"])
    set_state(a.store, aid, "open")
    phone = new_phone(browser)
    try:
        join(phone, a)
        phone.wait_for_selector("#ideas:not([hidden])", timeout=10000)
        for text in ("Share outcome data monthly", "One budget for the pathway"):
            phone.fill("#idea-text", text)
            phone.get_by_role("button", name="Send idea").click()
            phone.wait_for_function("() => document.getElementById('idea-status').textContent.includes('Sent')")
        a.drain()
        phone.wait_for_function("() => document.getElementById('ideas-meta').textContent.includes('sent 2 of')")
        first = phone.locator("#ideas-board button").first
        first.click()
        phone.wait_for_selector("#ideas-board button[aria-pressed='true']")
        a.stop()

        b = serve(served, two[1], a.server.port)
        assert int(ideas.activities(b.store)[0]["id"]) == aid
        set_state(b.store, aid, "open")
        other = post_idea(b, aid, "Pool the data team")  # the same number at B as A's first idea
        b.drain()
        assert other == int(ideas.ideas_of(a.store, aid)[0]["id"])
        rejoin(phone, b)
        phone.wait_for_selector("#ideas:not([hidden])", timeout=10000)
        phone.wait_for_function("() => document.getElementById('ideas-board').textContent.includes('Pool the data')")
        assert "you have sent 0 of" in phone.inner_text("#ideas-meta")
        button = phone.locator("#ideas-board button").first
        assert button.get_attribute("aria-pressed") == "false" and button.is_enabled()
        button.click()  # the +1 is this phone's first at B: counted
        phone.wait_for_selector("#ideas-board button[aria-pressed='true']")
        b.drain()
        assert len(ideas.supporters(b.store, aid).get(other, [])) == 1
    finally:
        phone.context.close()


def post_idea(s: Served, aid: int, text: str) -> int:
    """Another phone's idea (plain HTTP: Playwright's sync API holds this thread's event loop)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        req = urllib.request.Request(s.base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with opener.open(req, timeout=10) as r:
            out: dict[str, Any] = json.loads(r.read())
            return out
    workshop = post("/api/join", {"code": s.live.join_code, "group": ""})["workshop"]
    return int(post("/api/ideas", {"workshop": workshop, "activity_id": aid, "text": text,
                                   "idea_uid": "other-phone-0001"})["id"])
