"""Event streams over real sockets: the room's state is encoded once per change for every stream,
one timer pings every stream, and a ping is never taken for a change."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.server import app as server_app

from .conftest import Room


@pytest.fixture
def fast_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_app, "PING_S", 0.3)  # read when the server starts: list it before `room`


def test_the_state_is_encoded_once_per_change(room: Room) -> None:
    vote_app = room.server.vote_app
    assert vote_app is not None
    first = vote_app.state_message()
    assert vote_app.state_message() is first  # the same bytes for every stream
    open_poll(room.store, room.live, room.poll_id("single"))
    changed = vote_app.state_message()
    assert changed is not first
    assert json.loads(changed[len(b"data: "):])["poll"]["id"] == room.poll_id("single")
    assert changed.endswith(b"\n\n")


def test_every_stream_gets_each_change_once_and_pings_between(fast_ping: None, room: Room) -> None:
    pid = room.poll_id("scale")

    async def phone(events: list[Any]) -> None:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            r = await s.post(room.base + "/api/join", json={"code": room.code, "group": "payer"})
            assert r.status == 200, await r.text()
            async with s.get(room.base + "/api/events") as stream:
                async for line in stream.content:
                    if line.startswith(b"data: "):
                        events.append(json.loads(line[6:]))
                    elif line.startswith(b": ping"):
                        events.append("ping")

    async def until(condition: Any, within: float = 10) -> None:  # a condition, not a fixed wait
        async with asyncio.timeout(within):
            while not condition():
                await asyncio.sleep(0.02)

    async def go() -> list[list[Any]]:
        seen: list[list[Any]] = [[], []]
        tasks = [asyncio.create_task(phone(events)) for events in seen]
        await until(lambda: all("ping" in events for events in seen))  # pings before the change
        open_poll(room.store, room.live, pid)
        await until(lambda: all(len([e for e in events if e != "ping"]) >= 2 and events.count("ping") >= 3
                                and events[-1] == "ping" and events.index("ping") < len(events) - 1
                                for events in seen))
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return seen

    for events in asyncio.run(asyncio.wait_for(go(), 20)):
        states = [e for e in events if e != "ping"]
        assert [s["poll"] and s["poll"]["id"] for s in states] == [None, pid]  # nothing sent twice
        assert events.count("ping") >= 3  # about every 0.3 s, from one timer
        assert events.index("ping") < events.index(states[1])  # pings before the change too


def test_a_stream_cancelled_from_outside_lets_the_cancellation_through(demo) -> None:
    """The server stopping cancels the event-stream handlers: the handler must not swallow that
    (it once caught CancelledError and returned as if the phone had left)."""
    import dataclasses

    from aiohttp import web
    from aiohttp.test_utils import TestServer

    from vbp_workshop.core.intake.votes import VoteWriter
    from vbp_workshop.core.model.room import LiveState
    from vbp_workshop.server.guard import Limits

    live = LiveState(demo.workshop()["join_code"])
    writer = VoteWriter(demo.path, live)
    writer.start()
    seen: dict[str, Any] = {}

    @web.middleware
    async def watch(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/api/events":
            seen["task"] = asyncio.current_task()
        try:
            return await handler(request)
        except asyncio.CancelledError:
            seen["cancelled"] = True
            raise

    async def go() -> None:
        vote_app = server_app.VoteApp(live, writer, demo.path, dataclasses.replace(Limits(), stream_budget=50))
        vote_app.attach(asyncio.get_running_loop())
        app = server_app.make_app(vote_app)
        app.middlewares.append(watch)
        server = TestServer(app, host="127.0.0.1", port=0)
        await server.start_server()
        try:
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
                base = f"http://127.0.0.1:{server.port}"
                r = await s.post(base + "/api/join", json={"code": live.join_code, "group": "payer"})
                assert r.status == 200, await r.text()
                async with s.get(base + "/api/events") as stream:
                    assert (await stream.content.readline()).startswith(b"data: ")
                    seen["task"].cancel()  # as aiohttp does to its handlers when the server stops
                    await asyncio.wait({seen["task"]}, timeout=5)
        finally:
            vote_app.detach()
            await server.close()

    try:
        asyncio.run(asyncio.wait_for(go(), 20))
    finally:
        writer.stop()
    assert seen.get("cancelled") is True and seen["task"].cancelled()


def test_a_stream_ended_by_a_newer_one_of_the_same_phone_still_closes_cleanly(room: Room) -> None:
    """The guard ends a phone's oldest stream when it opens one too many: that end is ours, and
    the handler finishes normally (no error reaches aiohttp)."""
    async def go() -> list[bytes]:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            r = await s.post(room.base + "/api/join", json={"code": room.code, "group": "payer"})
            assert r.status == 200, await r.text()
            first = await s.get(room.base + "/api/events")
            assert (await first.content.readline()).startswith(b"data: ")
            others = [await s.get(room.base + "/api/events") for _ in range(3)]  # one too many
            rest = await asyncio.wait_for(first.content.read(), 10)  # the oldest ends: EOF
            for o in others:
                o.close()
            first.close()
            return [rest]

    assert asyncio.run(asyncio.wait_for(go(), 20)) is not None
