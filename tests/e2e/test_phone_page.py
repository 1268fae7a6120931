"""The phone page in Debian's Chromium at a phone viewport: join by the QR address, answer every
poll kind, see the confirmation, and find the answer in the facilitator's tally."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from vbp_workshop.core import pollops

from .conftest import Room

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("VBP_SCREENSHOTS", "")


def shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"phone-{name}.png"), full_page=True)


def join(page: Any, room: Room, tmp_path: Path) -> None:
    page.goto(f"{room.base}/?c={room.code}")
    page.wait_for_selector("#join:not([hidden])")
    assert page.input_value("#code") == room.code  # the QR code's address fills the code in
    page.select_option("#group", "provider")
    shot(page, "join", tmp_path)
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector("#wait:not([hidden])")
    assert "You're in" in page.inner_text("#wait-title")


def answer(page: Any, kind: str, poll: Any) -> None:
    form = page.locator("#answer")
    if kind == "single":
        form.locator("label.choice").nth(1).click()
    elif kind == "multiple":
        form.locator("label.choice").nth(0).click()
        form.locator("label.choice").nth(2).click()
    elif kind == "agreement":
        for i in range(len(poll.options)):
            form.locator(".item").nth(i).locator("button", has_text="4").click()
    elif kind in ("scale", "fist"):
        form.locator(".scale button", has_text="4").first.click()
    elif kind == "ranking":
        page.get_by_label(f"Move down: {poll.options[0]}").click()
    elif kind == "points":
        plus = page.get_by_label(f"One point more: {poll.options[1]}")
        for _ in range(3):
            plus.click()
        assert "7 of 10 points left" in page.inner_text(".budget")
    elif kind in ("matrix", "importance"):
        for i in range(len(poll.options)):
            rows = form.locator(".item").nth(i).locator(".scale")
            rows.nth(0).locator("button", has_text="2").click()
            rows.nth(1).locator("button", has_text="5").click()
    elif kind == "text":
        page.fill("#text-answer", "Patients <b>know</b> their numbers")


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
}


def test_a_phone_answers_every_poll_kind(room: Room, phone: Any, tmp_path: Path) -> None:
    store = room.store
    join(phone, room, tmp_path)
    seen_kinds = set()
    for poll in pollops.polls(store):
        if poll.kind in seen_kinds or poll.settings.get("fill_from") == "metrics":
            continue
        seen_kinds.add(poll.kind)
        before = pollops.round_tally(store, poll).respondents
        pollops.open_poll(store, room.live, poll.id)
        poll = pollops.get_poll(store, poll.id)
        phone.wait_for_selector("#poll:not([hidden])")
        phone.wait_for_function("q => document.getElementById('question').textContent === q", arg=poll.question)
        assert "no name is stored" in phone.inner_text("#poll-meta")
        answer(phone, poll.kind, poll)
        shot(phone, poll.kind, tmp_path)
        phone.click("#send")
        phone.wait_for_selector("#status.ok", timeout=5000)
        assert "recorded" in phone.inner_text("#status")
        t = pollops.round_tally(store, poll)
        assert t.respondents == before + 1, poll.kind
        assert EXPECT[poll.kind](t, poll), poll.kind
        ballot = [b for b in pollops.ballots(store, poll.id, poll.round) if b["source"] == "phone"][-1]
        assert ballot["grp"] == "provider"
    # The ranking poll fills from metrics; make sure every kind was tried.
    ranking = next(p for p in pollops.polls(store) if p.kind == "ranking")
    seen_kinds.add("ranking") if pollops.round_tally(store, ranking).respondents else None
    assert seen_kinds >= {"single", "multiple", "agreement", "scale", "points", "matrix", "importance",
                          "fist", "text"}


def test_ranking_by_moving_items(room: Room, phone: Any, tmp_path: Path) -> None:
    join(phone, room, tmp_path)
    pid = room.open("ranking")  # the demo's metric ranking: 5 options, already 27 answers
    poll = pollops.get_poll(room.store, pid)
    before = pollops.round_tally(room.store, poll).counts
    phone.wait_for_selector("#poll:not([hidden])")
    phone.get_by_label(f"Move down: {poll.options[0]}").click()
    phone.get_by_label(f"Move up: {poll.options[2]}").click()
    labels = phone.locator(".rank .label").all_inner_texts()
    assert labels == [poll.options[i] for i in (1, 2, 0, 3, 4)]
    shot(phone, "ranking", tmp_path)
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
    after = pollops.round_tally(room.store, poll).counts
    assert [a - b for a, b in zip(after, before, strict=True)] == [2.0, 4.0, 3.0, 1.0, 0.0]  # first of 5 earns 4


def test_the_phone_follows_close_and_reveal_and_can_change_its_answer(room: Room, phone: Any, tmp_path: Path) -> None:
    join(phone, room, tmp_path)
    pid = room.open("fist")
    poll = pollops.get_poll(room.store, pid)
    phone.wait_for_selector("#poll:not([hidden])")
    phone.locator(".scale button", has_text="2").first.click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
    assert phone.inner_text("#send") == "Change my answer"
    phone.locator(".scale button", has_text="5").first.click()
    phone.click("#send")
    phone.wait_for_function("() => document.getElementById('status').className.includes('ok')")
    phone.wait_for_timeout(100)
    me = room.store.rows("devices", order="id")[-1]["pseudonym"]  # the device that just joined
    mine = [b for b in pollops.ballots(room.store, pid, poll.round) if b["voter"] == me]
    assert [b["answer"] for b in mine] == ["5"]  # changed, not counted twice
    pollops.close_poll(room.store, room.live, pid)
    phone.wait_for_selector("#wait:not([hidden])")
    assert "closed" in phone.inner_text("#wait-title")
    pollops.reveal(room.store, room.live, pid, True)
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


def test_the_phone_reconnects_after_the_laptop_drops_off(room: Room, phone: Any, tmp_path: Path) -> None:
    from vbp_workshop.server.runner import VoteServer

    join(phone, room, tmp_path)
    phone.wait_for_function("() => document.getElementById('conn').textContent.includes('connected')")
    port = room.server.port
    room.server.stop()  # the Wi-Fi drops, or voting is switched off and on again
    phone.wait_for_function("() => document.getElementById('conn').textContent.includes('Reconnecting')",
                            timeout=15000)
    room.server = VoteServer(room.live, room.writer, room.store.path, host="127.0.0.1", port=port)
    assert room.server.start() == port
    pid = room.open("single")
    phone.wait_for_selector("#poll:not([hidden])", timeout=20000)
    assert phone.inner_text("#question") == pollops.get_poll(room.store, pid).question
    phone.locator("label.choice").nth(0).click()
    phone.click("#send")
    phone.wait_for_selector("#status.ok")
