"""Fuzzing every endpoint with malformed, oversized and wrong-typed input (hypothesis).

Whatever is sent, the answer is a 4xx (or a 200 for a GET of the page), the server keeps
serving, and nothing is stored.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Room

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=8), children, max_size=6),
    max_leaves=25,
)
vote_bodies = st.fixed_dictionaries(
    {}, optional={"poll_id": json_values, "round": json_values, "ballot_id": json_values, "answer": json_values,
                  "extra": json_values})
raw_bodies = st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode) | st.just(b"x" * 50000)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


async def _send(room: Room, path: str, *, body: Any = None, raw: bytes | None = None, join: bool = True,
                content_type: str = "application/json") -> int:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        if join:
            r = await s.post(room.base + "/api/join", json={"code": room.code, "group": ""})
            assert r.status == 200
        data = raw if raw is not None else json.dumps(body).encode()
        r = await s.post(room.base + path, data=data, headers={"Content-Type": content_type})
        await r.read()
        return r.status


def _still_serving(room: Room) -> None:
    async def go() -> int:
        async with aiohttp.ClientSession() as s:
            return (await s.get(room.base + "/")).status
    assert asyncio.run(go()) == 200


def test_fuzz_vote_bodies(room: Room) -> None:
    pid = room.open("agreement")
    before = room.store.scalar("SELECT COUNT(*) FROM ballots")

    @SETTINGS
    @given(vote_bodies)
    def check(body: dict[str, Any]) -> None:
        body.pop("ballot_id", None) if body.get("answer") is not None and body.get("poll_id") == pid else None
        status = asyncio.run(_send(room, "/api/vote", body=body))
        assert 400 <= status < 500, (body, status)

    check()
    _still_serving(room)
    assert room.store.scalar("SELECT COUNT(*) FROM ballots") == before


def test_fuzz_answers_to_the_open_poll_are_valid_or_refused(room: Room) -> None:
    """Well-formed envelopes with arbitrary answers: stored only when the answer fits the poll."""
    pid = room.open("matrix")
    from vbp_workshop.core.model.poll import BallotError, validate
    from vbp_workshop.core.polls import queries

    poll = queries.get_poll(room.store, pid)
    counter = iter(range(10**6))

    @SETTINGS
    @given(json_values)
    def check(answer: Any) -> None:
        try:
            validate(poll, answer)
            fits = True
        except BallotError:
            fits = False
        body = {"workshop": room.workshop,
                "poll_id": pid, "round": 1, "ballot_id": f"f{next(counter):015d}", "answer": answer}
        status = asyncio.run(_send(room, "/api/vote", body=body))
        assert status == (200 if fits else 422), (answer, status)

    check()
    _still_serving(room)


def test_fuzz_raw_bytes_on_every_post_endpoint(room: Room) -> None:
    room.open("single")
    before = (room.store.scalar("SELECT COUNT(*) FROM ballots"), room.store.scalar("SELECT COUNT(*) FROM devices"))

    @SETTINGS
    @given(raw_bodies, st.sampled_from(["/api/vote", "/api/join"]),
           st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
    def check(raw: bytes, path: str, content_type: str) -> None:
        status = asyncio.run(_send(room, path, raw=raw, join=False, content_type=content_type))
        assert 400 <= status < 500, (raw[:50], path, status)

    check()
    _still_serving(room)
    after = (room.store.scalar("SELECT COUNT(*) FROM ballots"), room.store.scalar("SELECT COUNT(*) FROM devices"))
    assert after == before


def test_fuzz_join_bodies(room: Room) -> None:
    before = room.store.scalar("SELECT COUNT(*) FROM devices")

    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={"code": json_values, "group": json_values}))
    def check(body: dict[str, Any]) -> None:
        status = asyncio.run(_send(room, "/api/join", body=body, join=False))
        assert status in (400, 403, 429), (body, status)

    check()
    assert room.store.scalar("SELECT COUNT(*) FROM devices") == before


big_ints = st.integers(min_value=-(2**200), max_value=2**200).filter(lambda n: not 0 <= n < 2**63) | \
    st.sampled_from([2**63, 2**64, 2**64 + 1, -(2**63) - 1, -1])


def _nested(depth: int, leaf: Any) -> Any:
    for i in range(depth):
        leaf = [leaf] if i % 2 else {"a": leaf}
    return leaf


def test_fuzz_big_integers_and_deep_nesting_are_refused_at_the_edge(room: Room) -> None:
    """Numbers past 64 bits or negative, and bodies nested deeper than any honest one: 400, never a 500."""
    pid = room.open("single")
    before = room.store.scalar("SELECT COUNT(*) FROM ballots")
    counter = iter(range(10**6))

    @SETTINGS
    @given(st.sampled_from(["poll_id", "round", "seq"]), big_ints, st.integers(0, 5000), st.booleans())
    def check(field: str, number: int, depth: int, nest: bool) -> None:
        body: dict[str, Any] = {"workshop": room.workshop,
                                "poll_id": pid, "round": 1, "ballot_id": f"g{next(counter):015d}", "answer": 1}
        if nest and depth > 8:
            body["answer"] = _nested(depth, 1)
            raw = json.dumps(body).encode() if depth < 900 else \
                (f'{{"workshop": "{room.workshop}", '
                 f'"poll_id": {pid}, "round": 1, "ballot_id": "x{next(counter):015d}", "answer": '
                 + "[" * depth + "]" * depth + "}").encode()
        else:
            body[field] = number
            raw = json.dumps(body).encode()
        status = asyncio.run(_send(room, "/api/vote", raw=raw))
        assert status in (400, 413), (field, number, depth, nest, status)

    check()
    _still_serving(room)
    assert room.store.scalar("SELECT COUNT(*) FROM ballots") == before
