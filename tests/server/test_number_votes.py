"""Numbers from the network for a number poll, over real sockets: NaN, infinities, overflowing
literals, booleans, strings and values off the range are refused with the kind's message and
store nothing; an honest estimate is stored in its canonical form."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from vbp_workshop.core.polls import queries

from .conftest import Room


async def _vote(room: Room, raw_answers: list[str]) -> list[tuple[int, str]]:
    pid = room.poll_id("number")
    out = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        r = await s.post(room.base + "/api/join", json={"code": room.code, "group": "payer"})
        assert r.status == 200
        for n, raw in enumerate(raw_answers):
            # The body is written by hand: NaN and 1e999 are what no JSON encoder sends.
            body = (f'{{"workshop": "{room.workshop}", '
                    f'"poll_id": {pid}, "round": 1, "ballot_id": "n{n:015d}", "answer": {raw}}}')
            r = await s.post(room.base + "/api/vote", data=body, headers={"Content-Type": "application/json"})
            data: dict[str, Any] = await r.json()
            out.append((r.status, str(data.get("error", "ok"))))
    return out


def test_hostile_numbers_are_refused_and_an_honest_one_is_stored(room: Room) -> None:
    pid = room.open("number")
    poll = queries.get_poll(room.store, pid)
    lo, hi = poll.scale_range
    before = room.store.scalar("SELECT COUNT(*) FROM ballots")
    hostile = {"NaN": "Enter a number.", "Infinity": "Enter a number.", "-Infinity": "Enter a number.",
               "1e999": "Enter a number.", "true": "Enter a number.", '"12"': "Enter a number.",
               "null": "Enter a number.", "[12]": "Enter a number.", str(hi + 1): f"Enter a number from {lo} to {hi}.",
               "-0.5": f"Enter a number from {lo} to {hi}.", "12.25": "Use at most one decimal place.",
               "1e-300": "Use at most one decimal place."}
    got = asyncio.run(_vote(room, list(hostile)))
    assert got == [(422, message) for message in hostile.values()]
    assert room.store.scalar("SELECT COUNT(*) FROM ballots") == before
    assert asyncio.run(_vote(room, ["12.5"])) == [(200, "ok")]
    mine = [b for b in queries.ballots(room.store, pid, 1) if b["grp"] == "payer" and b["ballot_uid"] == "n" + "0" * 15]
    assert [b["answer"] for b in mine] == ["12.5"]
