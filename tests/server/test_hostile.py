"""Hostile phones through the real server over real sockets (issue 15, "The phone server").

Attackers connect from 127.0.0.2 and honest phones from 127.0.0.3+: Linux routes all of 127/8
to loopback, so each source address is a different "phone" to the server.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import sqlite3
import time
from typing import Any

import aiohttp
from yarl import URL

from tests.waits import until
from vbp_workshop.core.intake.votes import token_hash

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
            honest = [vote(s, {"workshop": room.workshop,
                               "poll_id": pid, "round": 1, "ballot_id": f"honest{i:010d}", "answer": 1})
                      for i, s in enumerate(phones)]
            evil = [vote(bad, {"workshop": room.workshop,
                               "poll_id": pid, "round": 1, "ballot_id": f"poison{i:010d}", "answer": 0, **p})
                    for i, p in enumerate(poisons)]
            # Interleaved and sent at once, so they share the writer's batches.
            empty = [vote(bad, {"workshop": room.workshop})] * 12
            results = await asyncio.gather(*[x for pair in zip(honest, evil + empty, strict=True) for x in pair])
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
                body = (f'{{"workshop": "{room.workshop}", '
                        f'"poll_id": {pid}, "round": 1, "ballot_id": "dddddddddddddddd", "answer": '
                        + "[" * d + "]" * d + "}")
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
            r = await s.post(room.base + "/api/vote", json={"workshop": room.workshop,
                                                            "poll_id": pid, "round": 1, "ballot_id": "t" * 16,
                                                            "answer": "fair\x01 \ufffeshare\x0b of \ud800risk"})
            return r.status

    assert asyncio.run(go()) == 200
    conn = sqlite3.connect(room.store.path)
    try:
        answer = conn.execute("SELECT answer FROM ballots WHERE ballot_uid = ?", ("t" * 16,)).fetchone()[0]
    finally:
        conn.close()
    assert "fair share of risk" in answer and "\x01" not in answer and "\ufffe" not in answer


def test_a_join_flood_from_one_address_is_capped_and_honest_phones_still_join(room: Room) -> None:
    pid = room.open("single")
    devices_before = room.store.scalar("SELECT COUNT(*) FROM devices")

    async def go() -> tuple[dict[int, int], set[str], list[int], float]:
        statuses: dict[int, int] = {}
        errors: set[str] = set()
        retry_after: set[str | None] = set()
        t0 = time.monotonic()
        async with phone() as s:
            async def one() -> None:
                s.cookie_jar.clear()  # drop the cookie: each join asks for a new device
                r = await s.post(room.base + "/api/join", json={"code": room.code, "group": ""})
                statuses[r.status] = statuses.get(r.status, 0) + 1
                if r.status != 200:
                    errors.add((await r.json())["error"])
                    retry_after.add(r.headers.get("Retry-After"))
            for _ in range(10):
                await asyncio.gather(*(one() for _ in range(100)))
        took = time.monotonic() - t0
        honest = []
        for i in range(5):
            async with phone(f"127.0.0.{3 + i}") as s:
                honest.append((await join(room, s)).status)
                r = await s.post(room.base + "/api/vote", json={"workshop": room.workshop, "poll_id": pid, "round": 1,
                                                                "ballot_id": f"after{i:011d}", "answer": 2})
                honest.append(r.status)
        assert retry_after == {"10"}  # refused phones are told when to try again
        return statuses, errors, honest, took

    statuses, errors, honest, took = asyncio.run(go())
    made = statuses.get(200, 0)
    assert 300 <= made <= 301 + took, (statuses, took)  # the burst, plus 1 a second while the flood lasted
    assert statuses.get(429, 0) == 1000 - made
    assert len(errors) == 1 and "Too many phones have joined from this network" in errors.pop()
    assert honest == [200] * 10
    assert room.store.scalar("SELECT COUNT(*) FROM devices") == devices_before + made + 5
    stats = room.server.server_stats()
    assert stats["devices_by_address"][0] == (ATTACKER, made)
    assert stats["refused"]["join"] == 1000 - made
    assert stats["joins_last_min"] == made + 5


def test_a_forged_device_token_is_never_adopted(room: Room) -> None:
    chosen = "attacker-chosen-token-0123456789"

    async def go() -> tuple[str, str, str]:
        async with phone() as s:
            s.cookie_jar.update_cookies({"vbp_device": chosen}, URL(room.base))
            assert (await join(room, s)).status == 200
            issued = next(m.value for m in s.cookie_jar if m.key == "vbp_device")
            # A phone that joins again with the token it was given keeps its identity.
            assert (await join(room, s, "pharma")).status == 200
            again = next(m.value for m in s.cookie_jar if m.key == "vbp_device")
            state = await (await s.get(room.base + "/api/state")).json()
            return issued, again, state["group"]

    issued, again, group = asyncio.run(go())
    assert issued != chosen and len(issued) >= 40
    assert again == issued and group == "pharma"
    assert room.store.scalar("SELECT COUNT(*) FROM devices WHERE token_hash = ?", (token_hash(chosen),)) == 0
    assert room.store.scalar("SELECT COUNT(*) FROM devices WHERE token_hash = ?", (token_hash(issued),)) == 1
    assert room.server.server_stats()["joins_total"] == 1


def test_a_request_for_another_host_name_is_refused(room: Room) -> None:
    """DNS rebinding: a page on attacker.example re-pointed at the laptop sends its own Host."""
    port = room.server.port

    async def go() -> dict[str, int]:
        out = {}
        async with phone() as s:
            for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1.attacker.example",
                         "localhost", f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}",
                         socket.gethostname()):
                r = await s.get(room.base + "/api/state", headers={"Host": host})
                body = await r.json()
                out[host] = r.status
                if r.status != 200:
                    assert "not the workshop laptop" in body["error"]
            r = await s.post(room.base + "/api/join", json={"code": room.code, "group": ""},
                             headers={"Host": "attacker.example"})
            out["join"] = r.status
        return out

    statuses = asyncio.run(go())
    assert statuses == {"attacker.example": 421, f"attacker.example:{port}": 421,
                        "127.0.0.1.attacker.example": 421, "join": 421,
                        "localhost": 200, f"localhost:{port}": 200, f"127.0.0.1:{port}": 200,
                        f"[::1]:{port}": 200, socket.gethostname(): 200}


def test_the_page_is_served_compressed_and_revalidated_by_etag(room: Room) -> None:
    from vbp_workshop.server.page import load_page

    page = load_page()

    async def go() -> None:
        async with phone("127.0.0.3", auto_decompress=False) as s:
            for path, name in (("/", "index.html"), ("/static/app.js", "app.js"), ("/static/app.css", "app.css")):
                r = await s.get(room.base + path, headers={"Accept-Encoding": "gzip, deflate"})
                body = await r.read()
                assert r.status == 200 and r.headers["Content-Encoding"] == "gzip"
                assert gzip.decompress(body) == page[name].body and len(body) < len(page[name].body) * 0.6
                etag = r.headers["ETag"]
                again = await s.get(room.base + path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
                assert again.status == 304 and await again.read() == b""
                plain = await s.get(room.base + path, headers={"Accept-Encoding": "identity"})
                assert "Content-Encoding" not in plain.headers and await plain.read() == page[name].body
                assert plain.headers["ETag"] != etag
                assert "Content-Security-Policy" in again.headers

    asyncio.run(go())


def test_a_device_holds_at_most_three_streams_and_its_newest_wins(room: Room) -> None:
    """A phone reconnecting after a Wi-Fi drop gets its stream; the oldest of its streams ends."""

    async def go() -> tuple[list[int], list[bool]]:
        async with phone(timeout=aiohttp.ClientTimeout(total=20)) as s:
            await join(room, s)
            streams = []
            for _ in range(5):
                r = await s.get(room.base + "/api/events")
                await r.content.readline()  # the first snapshot: the stream is open
                streams.append(r)
            # the server has ended the two oldest (the newest three stay open)
            await until(lambda: room.server.server_stats()["open_streams"] == 3, 10, "two streams ended")
            ended = []
            for r in streams:
                try:
                    data = await asyncio.wait_for(r.content.read(), 0.5)
                    ended.append(r.content.at_eof() or data == b"")
                except TimeoutError:
                    ended.append(False)  # still open, waiting for the next event
            statuses = [r.status for r in streams]
            open_now = room.server.server_stats()["open_streams"]
            for r in streams:
                r.close()
            return [*statuses, open_now], ended

    statuses, ended = asyncio.run(go())
    assert statuses == [200] * 5 + [3]
    assert ended == [True, True, False, False, False]
    assert room.server.server_stats()["refused"]["stream_device"] == 2


def test_a_late_resend_of_an_older_ballot_is_acked_but_the_newer_stays(room: Room) -> None:
    pid = room.open("single")

    async def go() -> list[dict[str, Any]]:
        async with phone("127.0.0.3") as s:
            await join(room, s)
            out = []
            for uid, answer, seq in (("older", 0, 1), ("newer", 2, 2), ("older", 0, 1), ("oldest", 1, 0)):
                r = await s.post(room.base + "/api/vote", json={"workshop": room.workshop,
                                                                "poll_id": pid, "round": 1, "answer": answer,
                                                                "ballot_id": uid * 3, "seq": seq})
                assert r.status == 200
                out.append(await r.json())
            return out

    replies = asyncio.run(go())
    assert [(r["replaced"], r["stale"]) for r in replies] == [(False, False), (True, False), (False, True),
                                                              (False, True)]
    conn = sqlite3.connect(room.store.path)
    try:
        rows = conn.execute("SELECT answer, ballot_uid FROM ballots WHERE ballot_uid IN (?, ?, ?)",
                            ("older" * 3, "newer" * 3, "oldest" * 3)).fetchall()
    finally:
        conn.close()
    assert rows == [("2", "newer" * 3)]


def test_made_up_cookie_headers_are_refused_and_their_memo_stays_bounded(room: Room, monkeypatch) -> None:
    """The server remembers each phone's Cookie header to skip parsing it per ballot: a flood
    of made-up headers is refused one by one and never grows that memory past its bound."""
    from vbp_workshop.server import app as server_app

    monkeypatch.setattr(server_app, "COOKIE_MEMO", 16)
    pid = room.open("single")

    async def flood() -> tuple[list[int], int]:
        statuses = []
        async with aiohttp.ClientSession() as s:
            for n in range(60):
                r = await s.post(room.base + "/api/vote", headers={"Cookie": f"vbp_device=forged{n:04d}; x={n}"},
                                 json={"workshop": room.workshop,
                                       "poll_id": pid, "round": 1, "ballot_id": f"{n:016d}", "answer": 0})
                statuses.append(r.status)
        # A real phone still gets through, however many made-up headers came before it.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            await s.post(room.base + "/api/join", json={"code": room.code, "group": ""})
            r = await s.post(room.base + "/api/vote", json={"workshop": room.workshop, "poll_id": pid, "round": 1,
                                                            "ballot_id": "r" * 16, "answer": 1})
            return statuses, r.status

    statuses, real = asyncio.run(flood())
    assert set(statuses) == {401} and real == 200
    assert len(room.server.vote_app._cookie_tokens) <= 16
