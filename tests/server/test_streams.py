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

    async def go() -> list[list[Any]]:
        seen: list[list[Any]] = [[], []]
        tasks = [asyncio.create_task(phone(events)) for events in seen]
        await asyncio.sleep(0.5)
        open_poll(room.store, room.live, pid)
        await asyncio.sleep(1.2)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return seen

    for events in asyncio.run(asyncio.wait_for(go(), 20)):
        states = [e for e in events if e != "ping"]
        assert [s["poll"] and s["poll"]["id"] for s in states] == [None, pid]  # nothing sent twice
        assert events.count("ping") >= 3  # about every 0.3 s, from one timer
        assert events.index("ping") < events.index(states[1])  # pings before the change too
