"""Hostile phones through the real server over real sockets (issue 15, "The phone server").

Attackers connect from 127.0.0.2 and honest phones from 127.0.0.3+: Linux routes all of 127/8
to loopback, so each source address is a different "phone" to the server.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiohttp

from .conftest import Room

ATTACKER = "127.0.0.2"


def phone(source: str = ATTACKER, **kw: Any) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 connector=aiohttp.TCPConnector(local_addr=(source, 0), limit=0), **kw)


async def join(room: Room, s: aiohttp.ClientSession, group: str = "payer") -> aiohttp.ClientResponse:
    r = await s.post(room.base + "/api/join", json={"code": room.code, "group": group})
    await r.read()
    return r


def in_file(room: Room, uids: list[str]) -> int:
    conn = sqlite3.connect(room.store.path)
    try:
        q = ",".join("?" * len(uids))
        return int(conn.execute(f"SELECT COUNT(*) FROM ballots WHERE ballot_uid IN ({q})", uids).fetchone()[0])
    finally:
        conn.close()


def test_a_poison_ballot_amid_honest_ones_fails_alone(room: Room) -> None:
    pid = room.open("single")
    poisons = [{"poll_id": 2**70}, {"round": 2**64}, {"poll_id": -1}, {"poll_id": 1.0}, {"round": True},
               {"poll_id": str(pid)}, {"seq": 2**80}, {"seq": -5}]

    async def go() -> tuple[list[int], list[int], list[dict[str, Any]]]:
        phones = [phone(f"127.0.0.{10 + i}") for i in range(20)]
        bad = phone()
        try:
            for s in (*phones, bad):
                assert (await join(room, s)).status == 200

            async def vote(s: aiohttp.ClientSession, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
                r = await s.post(room.base + "/api/vote", json=body)
                return r.status, await r.json()
            honest = [vote(s, {"poll_id": pid, "round": 1, "ballot_id": f"honest{i:010d}", "answer": 1})
                      for i, s in enumerate(phones)]
            evil = [vote(bad, {"poll_id": pid, "round": 1, "ballot_id": f"poison{i:010d}", "answer": 0, **p})
                    for i, p in enumerate(poisons)]
            # Interleaved and sent at once, so they share the writer's batches.
            results = await asyncio.gather(*[x for pair in zip(honest, evil + [vote(bad, {})] * 12, strict=True)
                                             for x in pair])
            return ([st for st, _ in results[0::2]], [st for st, _ in results[1::2]],
                    [body for _, body in results[1::2]])
        finally:
            for s in (*phones, bad):
                await s.close()

    honest, evil, bodies = asyncio.run(go())
    assert honest == [200] * 20
    assert set(evil) == {400}, evil
    assert all(b["error"] for b in bodies)
    assert in_file(room, [f"honest{i:010d}" for i in range(20)]) == 20
    assert in_file(room, [f"poison{i:010d}" for i in range(len(poisons))]) == 0


def test_deeply_nested_json_is_refused_with_400(room: Room) -> None:
    pid = room.open("single")

    async def go() -> list[int]:
        async with phone() as s:
            await join(room, s)
            out = []
            for d in (10, 100, 3000):
                body = f'{{"poll_id": {pid}, "round": 1, "ballot_id": "dddddddddddddddd", "answer": ' \
                       + "[" * d + "]" * d + "}"
                r = await s.post(room.base + "/api/vote", data=body, headers={"Content-Type": "application/json"})
                out.append(r.status)
                assert "error" in await r.json()
            r = await s.post(room.base + "/api/join", data='{"code": ' + "{" * 3000 + "}" * 3000 + "}",
                             headers={"Content-Type": "application/json"})
            out.append(r.status)
            return out

    assert asyncio.run(go()) == [400, 400, 400, 400]


def test_text_from_a_phone_is_cleaned_before_it_is_stored(room: Room) -> None:
    pid = room.open("text")

    async def go() -> int:
        async with phone("127.0.0.3") as s:
            await join(room, s)
            r = await s.post(room.base + "/api/vote", json={"poll_id": pid, "round": 1, "ballot_id": "t" * 16,
                                                            "answer": "fair\x01 \ufffeshare\x0b of \ud800risk"})
            return r.status

    assert asyncio.run(go()) == 200
    conn = sqlite3.connect(room.store.path)
    try:
        answer = conn.execute("SELECT answer FROM ballots WHERE ballot_uid = ?", ("t" * 16,)).fetchone()[0]
    finally:
        conn.close()
    assert "fair share of risk" in answer and "\x01" not in answer and "\ufffe" not in answer
