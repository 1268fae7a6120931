"""The real phone page in Chromium on a network that drops things: the Wi-Fi goes and comes back
(the lossy proxy of benchmarks/lossy_proxy.py between Chromium and the real server), the laptop's
server stops and starts again, an acknowledgement is lost after the ballot was stored. The phone
reconnects by itself, with growing and jittered waits, catches up on the poll it missed without a
reload, and a ballot retried under its own id is counted once."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest

from vbp_workshop.core.operations.live import close_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.server.runner import VoteServer

from .conftest import Faults, ProxyThread, Room, new_phone
from .phone_steps import join, my_ballots

pytestmark = pytest.mark.browser
SAME_PAGE = "() => window.__samePage === true"  # set once after joining: a reload would lose it


def connected(page: Any, timeout: float = 15000) -> None:
    page.wait_for_function("() => document.getElementById('conn').textContent === 'Connected'", timeout=timeout)


def on_question(page: Any, question: str, timeout: float = 15000) -> None:
    page.wait_for_function("q => !document.getElementById('poll').hidden && "
                           "document.getElementById('question').textContent === q", arg=question, timeout=timeout)


def vote_ids(page: Any) -> list[str]:
    """Collects the ballot id of every vote request the page makes."""
    ids: list[str] = []
    page.on("request", lambda r: ids.append(json.loads(r.post_data or "{}").get("ballot_id", ""))
            if r.url.endswith("/api/vote") else None)
    return ids


def test_the_wifi_drops_a_poll_opens_meanwhile_and_the_phone_catches_up_without_a_reload(
        room: Room, phone: Any, lossy: Callable[[Faults], ProxyThread]) -> None:
    net = lossy(Faults(delay=0.05))
    first = room.open("single")
    join(phone, room, base=net.base)
    connected(phone)
    phone.evaluate("() => { window.__samePage = true; }")
    phone.locator("label.choice").nth(1).click()  # an answer being built when the Wi-Fi goes
    assert net.drop() >= 1
    phone.wait_for_function("() => document.getElementById('conn').textContent === 'Reconnecting…'")
    # While the phone is away the facilitator closes the question and opens the next one.
    close_poll(room.store, room.live, first)
    second = queries.get_poll(room.store, room.open("scale"))
    phone.wait_for_timeout(2500)  # the subject, not a wait: the phone stays away a while ...
    assert phone.inner_text("#question") != second.question  # ... and really was cut off
    net.back()
    on_question(phone, second.question)
    connected(phone)
    assert phone.evaluate(SAME_PAGE)
    phone.locator(".scale button", has_text="6").first.click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
    assert [b["answer"] for b in my_ballots(room, second)] == ["6"]


def test_a_lost_acknowledgement_is_retried_under_the_same_id_and_counted_once(
        room: Room, phone: Any, lossy: Callable[[Faults], ProxyThread]) -> None:
    # The proxy lets the first vote reach the server, which stores it and answers; the answer is
    # swallowed and the link reset, as a Wi-Fi drop at that instant would.
    net = lossy(Faults(drop_first_vote_ack=True))
    poll = queries.get_poll(room.store, room.open("agreement"))
    join(phone, room, base=net.base)
    on_question(phone, poll.question)
    ids = vote_ids(phone)
    for i in range(len(poll.options)):
        phone.locator("#answer .item").nth(i).locator("button", has_text="2").click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok", timeout=20000)
    assert net.stats()["acks_dropped"] == 1
    mine = my_ballots(room, poll)
    assert len(mine) == 1  # counted once
    assert ids and set(ids) == {mine[0]["ballot_uid"]}  # every try carried the stored ballot's id
    assert "recorded" in phone.inner_text("#status")


def test_a_ballot_sent_while_away_goes_by_itself_when_the_phone_is_back(
        room: Room, phone: Any, lossy: Callable[[Faults], ProxyThread]) -> None:
    net = lossy(Faults())
    poll = queries.get_poll(room.store, room.open("fist"))
    join(phone, room, base=net.base)
    on_question(phone, poll.question)
    connected(phone)
    phone.evaluate("() => { window.__samePage = true; }")
    ids = vote_ids(phone)
    net.drop()
    phone.context.set_offline(True)  # the phone knows it is offline, as it does when Wi-Fi goes
    phone.locator(".scale button", has_text="4").first.click()
    phone.click("#send")
    # It tries a few times with growing waits, then says it will send when it can.
    phone.wait_for_function("() => document.getElementById('status').textContent.startsWith('Not sent yet')",
                            timeout=40000)
    assert my_ballots(room, poll) == []
    assert phone.is_enabled("#send")
    net.back()
    phone.context.set_offline(False)  # fires "online": the page catches up and re-sends at once
    phone.wait_for_selector("#status.ok", timeout=20000)
    assert phone.evaluate(SAME_PAGE)
    mine = my_ballots(room, poll)
    assert [b["answer"] for b in mine] == ["4"]
    assert len(ids) >= 2 and set(ids) == {mine[0]["ballot_uid"]}


def test_the_phone_reconnects_after_the_laptop_server_restarts(room: Room, phone: Any) -> None:
    join(phone, room)
    connected(phone)
    phone.evaluate("() => { window.__samePage = true; }")
    port = room.server.port
    room.server.stop()  # voting switched off and on again on the laptop
    phone.wait_for_function("() => document.getElementById('conn').textContent === 'Reconnecting…'",
                            timeout=15000)
    pid = room.open("single")  # opened while the phones cannot hear it
    room.server = VoteServer(room.live, room.writer, room.store.path, host="127.0.0.1", port=port)
    if room.server.start() != port:
        pytest.skip(f"another process took port {port} while the server was down")
    on_question(phone, queries.get_poll(room.store, pid).question, timeout=40000)
    assert phone.evaluate(SAME_PAGE)
    phone.locator("label.choice").nth(0).click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok")


def test_reconnects_wait_longer_each_time_and_phones_spread_out(
        room: Room, browser: Any, lossy: Callable[[Faults], ProxyThread]) -> None:
    # A hall of phones loses the same Wi-Fi at the same instant: their retries must neither
    # hammer the laptop nor come back in lockstep.
    net = lossy(Faults())
    phones = [new_phone(browser) for _ in range(5)]
    tries: list[list[float]] = [[] for _ in phones]
    for page, times in zip(phones, tries, strict=True):
        join(page, room, base=net.base)
        connected(page)
        page.on("request", lambda r, t=times: t.append(time.monotonic()) if r.url.endswith("/api/events") else None)
    cut = time.monotonic()
    net.drop()
    phones[0].wait_for_timeout(7000)  # the subject: the outage the phones' retry times are measured over
    net.back()
    for page in phones:
        connected(page, timeout=40000)
    for page in phones:
        page.context.close()
    gaps = [[b - a for a, b in zip([cut, *t], t, strict=False)] for t in tries]
    assert all(3 <= len(t) <= 8 for t in tries), tries  # kept trying, never hammering
    assert all(g[0] >= 0.3 for g in gaps), gaps  # never straight back
    firsts = sorted(g[0] for g in gaps)
    assert firsts[-1] - firsts[0] > 0.1, firsts  # not in lockstep
    # The waits grow: the third wait is longer than the first on average (both are random).
    assert statistics.mean(g[2] for g in gaps) > statistics.mean(g[0] for g in gaps), gaps


def test_a_ballot_unacknowledged_when_its_poll_closed_is_settled_on_the_next_update(
        room: Room, phone: Any) -> None:
    poll = queries.get_poll(room.store, room.open("single"))
    join(phone, room)
    connected(phone)
    ids = vote_ids(phone)
    calls: list[int] = []

    def lose_acks(route: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            route.fetch()  # the laptop stores the ballot and answers ...
        route.abort("connectionreset")  # ... and the phone never hears it, nor any retry's answer

    phone.route("**/api/vote", lose_acks)
    phone.locator("label.choice").nth(2).click()
    phone.click("#send")
    phone.wait_for_function("() => document.getElementById('status').textContent.startsWith('Not sent yet')",
                            timeout=40000)
    # Kept under the workshop and sitting the laptop serves (vbpMemory in app.js).
    pending = phone.evaluate("n => 'vbp:' + vbpMemory.scope + ':' + n", f"pending:{poll.id}:{poll.round}")
    assert phone.evaluate("k => localStorage.getItem(k) !== null", pending)
    phone.unroute("**/api/vote")
    close_poll(room.store, room.live, poll.id)  # the next update the phone hears
    phone.wait_for_function("k => localStorage.getItem(k) === null", arg=pending, timeout=15000)
    assert phone.evaluate("n => localStorage.getItem('vbp:' + vbpMemory.scope + ':' + n)",
                          f"ans:{poll.id}:{poll.round}") == "2"
    mine = my_ballots(room, poll)
    assert [b["answer"] for b in mine] == ["2"]
    assert len(ids) >= 3 and set(ids) == {mine[0]["ballot_uid"]}
