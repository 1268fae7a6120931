"""The phone page in Debian's Chromium at a phone viewport: join by the QR address, answer every
poll kind, see the confirmation, and find the answer in the facilitator's tally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.waits import wait_until
from vbp_workshop.core.model.poll import BallotError, validate
from vbp_workshop.core.operations.live import close_poll, open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds import ORDER

from .conftest import Room, new_phone
from .phone_steps import answer, join, my_ballots, shot

pytestmark = pytest.mark.browser


EXPECT = {
    "single": lambda t, p: t.counts[1] >= 1,
    "multiple": lambda t, p: t.counts[0] >= 1 and t.counts[2] >= 1,
    "agreement": lambda t, p: all(row[3] >= 1 for row in t.distribution),
    "scale": lambda t, p: t.counts[4 - p.scale_range[0]] >= 1,
    "fist": lambda t, p: t.counts[4] >= 1,
    "ranking": lambda t, p: t.distribution[1][0] >= 1,
    "points": lambda t, p: t.counts[1] >= 3,
    "matrix": lambda t, p: all(pt is not None for pt in t.points),
    "importance": lambda t, p: all(pt is not None for pt in t.points),
    "text": lambda t, p: any(a == "Patients <b>know</b> their numbers" for _, a in t.answers),
    "number": lambda t, p: t.counts[next(i for i, (lo, hi) in enumerate(t.bins) if lo <= 12.5 < hi)] >= 1,
}


def test_a_phone_answers_every_poll_kind(room: Room, phone: Any, tmp_path: Path) -> None:
    store = room.store
    join(phone, room, tmp_path)
    assert "You're in" in phone.inner_text("#wait-title")
    seen_kinds = set()
    for poll in queries.polls(store):
        if poll.kind in seen_kinds or poll.settings.get("fill_from") == "metrics":
            continue
        seen_kinds.add(poll.kind)
        before = queries.round_tally(store, poll).respondents
        open_poll(store, room.live, poll.id)
        poll = queries.get_poll(store, poll.id)
        phone.wait_for_selector("#poll:not([hidden])")
        phone.wait_for_function("q => document.getElementById('question').textContent === q", arg=poll.question)
        assert "no name is stored" in phone.inner_text("#poll-meta")
        answer(phone, poll.kind, poll)
        shot(phone, poll.kind, tmp_path)
        phone.click("#send")
        phone.wait_for_selector("#status.ok", timeout=5000)
        assert "recorded" in phone.inner_text("#status")
        t = queries.round_tally(store, poll)
        assert t.respondents == before + 1, poll.kind
        assert EXPECT[poll.kind](t, poll), poll.kind
        ballot = [b for b in queries.ballots(store, poll.id, poll.round) if b["source"] == "phone"][-1]
        assert ballot["grp"] == "provider"
    # The ranking poll fills from metrics; make sure every kind was tried.
    ranking = next(p for p in queries.polls(store) if p.kind == "ranking")
    seen_kinds.add("ranking") if queries.round_tally(store, ranking).respondents else None
    assert seen_kinds >= set(ORDER) - {"number"}  # every kind the demo asks (a number: test_number_phone)


def test_ranking_by_moving_items(room: Room, phone: Any, tmp_path: Path) -> None:
    join(phone, room, tmp_path)
    pid = room.open("ranking")  # the demo's metric ranking: 5 options, already 27 answers
    poll = queries.get_poll(room.store, pid)
    before = queries.round_tally(room.store, poll).counts
    phone.wait_for_selector("#poll:not([hidden])")
    phone.get_by_label(f"Move down: {poll.options[0]}").click()
    phone.get_by_label(f"Move up: {poll.options[2]}").click()
    labels = phone.locator(".rank .label").all_inner_texts()
    assert labels == [poll.options[i] for i in (1, 2, 0, 3, 4)]
    shot(phone, "ranking", tmp_path)
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
    after = queries.round_tally(room.store, poll).counts
    assert [a - b for a, b in zip(after, before, strict=True)] == [2.0, 4.0, 3.0, 1.0, 0.0]  # first of 5 earns 4


def test_the_phone_follows_close_and_reveal_and_can_change_its_answer(room: Room, phone: Any, tmp_path: Path) -> None:
    join(phone, room, tmp_path)
    pid = room.open("fist")
    poll = queries.get_poll(room.store, pid)
    phone.wait_for_selector("#poll:not([hidden])")
    phone.locator(".scale button", has_text="2").first.click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
    assert phone.inner_text("#send") == "Change my answer"
    phone.locator(".scale button", has_text="5").first.click()
    phone.click("#send")
    phone.wait_for_function("() => document.getElementById('status').className.includes('ok')")
    # changed, not counted twice
    wait_until(lambda: [b["answer"] for b in my_ballots(room, poll)] == ["5"], 10, "the one ballot changed to 5")
    close_poll(room.store, room.live, pid)
    phone.wait_for_selector("#wait:not([hidden])")
    assert "closed" in phone.inner_text("#wait-title")
    reveal(room.store, room.live, pid, True)
    phone.wait_for_selector("#result:not([hidden])")
    assert "Results" in phone.inner_text("#result")
    shot(phone, "result", tmp_path)
    assert poll.question


def test_a_wrong_code_is_explained_on_the_phone(room: Room, phone: Any) -> None:
    phone.goto(room.base + "/")
    phone.wait_for_selector("#join:not([hidden])")
    phone.fill("#code", "WRONG")
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.wait_for_function("() => document.getElementById('join-error').textContent.length > 0")
    assert "not right" in phone.inner_text("#join-error")


def test_the_page_weighs_under_60_kb_and_loads_nothing_external(room: Room, phone: Any) -> None:
    requests: list[str] = []
    sizes: list[int] = []
    phone.on("request", lambda r: requests.append(r.url))
    phone.on("response", lambda r: sizes.append(len(r.body())) if r.url.endswith((".js", ".css", "/")) else None)
    phone.goto(room.base + "/")
    phone.wait_for_selector("#join:not([hidden])")
    assert all(u.startswith(room.base) for u in requests)
    assert sum(sizes) < 60 * 1024


def restart_with(room: Room, limits: Any) -> None:
    """The same room served by a server with tighter limits (the flood guards of server/guard.py)."""
    from vbp_workshop.server.runner import VoteServer

    room.server.stop()
    room.server = VoteServer(room.live, room.writer, room.store.path, host="127.0.0.1",
                             port=room.server.port, limits=limits)
    room.server.start()


def test_a_join_refused_by_the_flood_guard_is_explained_on_the_phone(room: Room, browser: Any) -> None:
    from vbp_workshop.server.guard import Limits

    # One new device per address, and loopback not trusted: the second phone meets the flood guard.
    restart_with(room, Limits(join_burst=1, join_per_s=0.001, trusted=frozenset()))
    first, second = new_phone(browser), new_phone(browser)
    join(first, room)
    second.goto(f"{room.base}/?c={room.code}")
    second.wait_for_selector("#join:not([hidden])")
    second.get_by_role("button", name="Join", exact=True).click()
    second.wait_for_function("() => document.getElementById('join-error').textContent.length > 0")
    assert "Too many phones have joined" in second.inner_text("#join-error")
    assert second.is_visible("#join") and second.is_enabled("#join-button")  # try again later
    first.context.close()
    second.context.close()


def test_a_stream_refused_for_capacity_is_explained_and_retried(room: Room, browser: Any) -> None:
    from vbp_workshop.server.guard import Limits

    restart_with(room, Limits(stream_budget=1))  # the laptop can hold one live stream
    first, second = new_phone(browser), new_phone(browser)
    join(first, room)
    first.wait_for_function("() => document.getElementById('conn').textContent === 'Connected'")
    join(second, room)
    second.wait_for_function("() => !document.getElementById('notice').hidden")
    assert "serving as many phones as it can" in second.inner_text("#notice")
    assert second.inner_text("#conn") == "Reconnecting…"
    first.context.close()  # a place frees up: the second phone gets in by itself
    second.wait_for_function("() => document.getElementById('conn').textContent === 'Connected'",
                             timeout=40000)
    assert second.is_hidden("#notice")
    pid = room.open("single")
    second.wait_for_function("q => document.getElementById('question').textContent === q",
                             arg=queries.get_poll(room.store, pid).question)
    second.context.close()


def test_a_ballot_the_laptop_refuses_shows_the_laptops_reason(room: Room, phone: Any) -> None:
    join(phone, room)
    poll = queries.get_poll(room.store, room.open("single"))
    phone.wait_for_selector("#poll:not([hidden])")
    phone.locator("label.choice").nth(0).click()

    def tamper(route: Any) -> None:  # an answer no honest page sends: option 99 of 4
        body = json.loads(route.request.post_data or "{}")
        route.continue_(post_data=json.dumps({**body, "answer": 99}))

    phone.route("**/api/vote", tamper)
    phone.click("#send")
    phone.wait_for_selector("#status.bad")
    with pytest.raises(BallotError) as reason:
        validate(poll, 99)
    assert phone.inner_text("#status") == str(reason.value)  # the laptop's own words
    assert my_ballots(room, poll) == []
    assert phone.is_enabled("#send")
