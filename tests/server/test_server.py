"""The vote server over real sockets: joining, voting, refusals, headers, privacy, events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from vbp_workshop.core.operations.live import close_poll, open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.server.network import choose_port, local_addresses, port_free

from .conftest import Room


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def client() -> aiohttp.ClientSession:
    # unsafe=True: keep cookies for an IP address, as a phone's browser does.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def vote_body(room: Room, poll_id: int, uid_char: str, answer: Any = 0) -> dict[str, Any]:
    return {"workshop": room.workshop, "poll_id": poll_id, "round": 1, "ballot_id": uid_char * 16, "answer": answer}


async def joined(room: Room, s: aiohttp.ClientSession, group: str = "pharma") -> None:
    r = await s.post(room.base + "/api/join", json={"code": room.code.lower(), "group": group})
    assert r.status == 200, await r.text()


def test_the_page_is_served_with_a_strict_policy(room: Room) -> None:
    async def go() -> None:
        async with client() as s:
            r = await s.get(room.base + "/")
            assert r.status == 200
            html = await r.text()
            assert "Join the workshop" in html and "http" not in html.replace("http-equiv", "")
            csp = r.headers["Content-Security-Policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            for name in ("app.js", "app.css"):
                assert (await s.get(f"{room.base}/static/{name}")).status == 200
            assert (await s.get(room.base + "/static/../app.py")).status == 404
    run(go())


def test_join_with_a_wrong_code_is_refused(room: Room) -> None:
    async def go() -> None:
        async with client() as s:
            r = await s.post(room.base + "/api/join", json={"code": "ZZZZZ", "group": ""})
            assert r.status == 403 and "join code is not right" in (await r.json())["error"]
            assert (await (await s.get(room.base + "/api/state")).json())["joined"] is False
    run(go())


def test_a_vote_is_acknowledged_only_when_stored_and_counted_once(room: Room) -> None:
    pid = room.open("single")

    async def go() -> None:
        async with client() as s:
            await joined(room, s)
            cookie = next(iter(s.cookie_jar))
            assert cookie["httponly"] and cookie["samesite"] == "Strict"
            body = {"workshop": room.workshop, "poll_id": pid, "round": 1, "ballot_id": "b" * 16, "answer": 2}
            r = await s.post(room.base + "/api/vote", json=body)
            assert r.status == 200 and (await r.json())["ok"]
            mine = [b for b in queries.ballots(room.store, pid, 1) if b["ballot_uid"] == "b" * 16]
            assert [(b["answer"], b["grp"], b["source"]) for b in mine] == [("2", "pharma", "phone")]
            assert mine[0]["voter"].startswith("d-")
            again = await s.post(room.base + "/api/vote", json=body)
            assert (await again.json())["duplicate"] is True
            changed = await s.post(room.base + "/api/vote", json={**body, "ballot_id": "c" * 16, "answer": 0})
            assert (await changed.json())["replaced"] is True
    before = len(queries.ballots(room.store, pid, 1))
    run(go())
    assert len(queries.ballots(room.store, pid, 1)) == before + 1


def test_refusals_have_clear_messages_and_store_nothing(room: Room) -> None:
    pid = room.open("single")
    before = room.store.scalar("SELECT COUNT(*) FROM ballots")

    async def go() -> None:
        async with client() as s:
            r = await s.post(room.base + "/api/vote", json=vote_body(room, pid, "x"))
            assert r.status == 401
            await joined(room, s)
            cases = [
                ({"workshop": room.workshop,
                  "poll_id": pid, "round": 1, "ballot_id": "x" * 16, "answer": 99}, 422, "not on this poll"),
                ({"workshop": room.workshop,
                  "poll_id": pid, "round": 7, "ballot_id": "x" * 16, "answer": 0}, 409, "closed"),
                ({"workshop": room.workshop,
                  "poll_id": "1", "round": 1, "ballot_id": "x" * 16, "answer": 0}, 400, "Which poll"),
                ({"workshop": room.workshop, "poll_id": pid, "round": 1, "ballot_id": "short", "answer": 0}, 400, "id"),
                ({"workshop": room.workshop, "poll_id": pid, "round": 1, "ballot_id": "x" * 16}, 400, "missing"),
            ]
            for body, status, message in cases:
                r = await s.post(room.base + "/api/vote", json=body)
                assert r.status == status, body
                assert message in (await r.json())["error"]
            r = await s.post(room.base + "/api/vote", data="{not json", headers={"Content-Type": "application/json"})
            assert r.status == 400
            r = await s.post(room.base + "/api/vote", data=b"1" * 20000, headers={"Content-Type": "application/json"})
            assert r.status == 413
            r = await s.post(room.base + "/api/vote", data="a=1")
            assert r.status == 415
    run(go())
    close_poll(room.store, room.live, pid)

    async def closed() -> None:
        async with client() as s:
            await joined(room, s)
            r = await s.post(room.base + "/api/vote", json=vote_body(room, pid, "y"))
            assert r.status == 409 and "closed" in (await r.json())["error"]
    run(closed())
    assert room.store.scalar("SELECT COUNT(*) FROM ballots") == before


def test_a_device_is_rate_limited(room: Room) -> None:
    pid = room.open("single")

    async def go() -> list[int]:
        async with client() as s:
            await joined(room, s)
            out = []
            for i in range(40):
                r = await s.post(room.base + "/api/vote", json={**vote_body(room, pid, "z"), "ballot_id": f"{i:016d}"})
                out.append(r.status)
            return out
    statuses = run(go())
    assert 429 in statuses and statuses[0] == 200


def test_the_phone_never_receives_a_name(room: Room) -> None:
    room.open("single")
    pid = room.poll_id("single")
    reveal(room.store, room.live, pid, True)

    async def go() -> str:
        async with client() as s:
            await joined(room, s)
            return await (await s.get(room.base + "/api/state")).text()
    text = run(go())
    for p in room.store.rows("participants"):
        if p["display_name"]:
            assert p["display_name"] not in text
    assert "d-" not in text  # nor anyone's pseudonym


def test_events_follow_the_facilitator(room: Room) -> None:
    pid = room.poll_id("fist")

    async def go() -> list[dict[str, Any]]:
        async with client() as s:
            await joined(room, s)
            seen: list[dict[str, Any]] = []
            async with s.get(room.base + "/api/events") as r:
                assert r.headers["Content-Type"].startswith("text/event-stream")
                loop = asyncio.get_running_loop()
                loop.call_later(0.2, lambda: open_poll(room.store, room.live, pid))
                loop.call_later(0.4, lambda: close_poll(room.store, room.live, pid))
                async for line in r.content:
                    if line.startswith(b"data: "):
                        seen.append(json.loads(line[6:]))
                    if len(seen) >= 3:
                        break
            return seen
    seen = asyncio.run(asyncio.wait_for(go(), 10))
    assert seen[0]["poll"] is None
    assert seen[1]["poll"]["id"] == pid and seen[1]["poll"]["kind"] == "fist"
    assert seen[2]["poll"] is None and seen[2]["closed_poll"] == pid


def test_events_need_a_joined_device(room: Room) -> None:
    async def go() -> int:
        async with client() as s:
            return (await s.get(room.base + "/api/events")).status
    assert run(go()) == 401


def test_the_server_stops_cleanly_and_frees_its_port(room: Room) -> None:
    port = room.server.port
    room.server.stop()
    assert port_free("127.0.0.1", port)


def test_a_taken_port_falls_back_to_the_next(room: Room) -> None:
    assert choose_port("127.0.0.1", room.server.port) != room.server.port


def test_addresses_are_listed_with_loopback_last() -> None:
    found = local_addresses()
    assert found[-1][1].startswith("127.")


def test_a_ballot_idea_or_support_for_another_workshop_or_sitting_is_refused_with_a_reason(room: Room) -> None:
    """Every workshop numbers its polls from 1: an answer kept on a phone since another workshop
    (or an earlier sitting of this one), or sent by a page too old to say, never counts here."""
    pid = room.open("single")
    before = room.store.scalar("SELECT COUNT(*) FROM ballots")

    async def go() -> list[tuple[int, str]]:
        async with client() as s:
            r = await s.post(room.base + "/api/join", json={"code": room.code, "group": ""})
            said = await r.json()
            assert (said["workshop"], said["sitting"]) == (room.workshop, room.live.sitting)
            state = await (await s.get(room.base + "/api/state")).json()
            assert (state["workshop"], state["sitting"]) == (room.workshop, room.live.sitting)
            out = []
            good = vote_body(room, pid, "w")
            for body in ({**good, "workshop": "0" * 32},  # another workshop
                         {**good, "sitting": "another-sitting"},  # an earlier sitting of this one
                         {k: v for k, v in good.items() if k != "workshop"},  # a page too old to say
                         {**good, "workshop": 7}):
                r = await s.post(room.base + "/api/vote", json=body)
                out.append((r.status, (await r.json())["error"]))
            for path, body in (("/api/ideas", {"activity_id": 1, "text": "An idea", "idea_uid": "i" * 16}),
                               ("/api/ideas/support", {"idea_id": 1})):
                r = await s.post(room.base + path, json={**body, "workshop": "0" * 32})
                out.append((r.status, (await r.json())["error"]))
            r = await s.post(room.base + "/api/vote", json={**good, "sitting": room.live.sitting})
            out.append((r.status, "ok"))
            return out

    answers = run(go())
    assert [st for st, _ in answers] == [409] * 6 + [200]
    assert all("another workshop" in why for _, why in answers[:2] + answers[4:6])
    assert all("Reload" in why for _, why in answers[2:4])
    assert room.store.scalar("SELECT COUNT(*) FROM ballots") == before + 1
    old = room.live.sitting
    assert room.live.new_sitting() != old  # voting started afresh: the last sitting's answers are refused

    async def late() -> int:
        async with client() as s:
            await joined(room, s)
            r = await s.post(room.base + "/api/vote", json={**vote_body(room, pid, "v"), "sitting": old})
            return r.status
    assert run(late()) == 409
