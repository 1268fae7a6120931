"""Simulated phones that behave like the phone page in a hall: each joins, holds its event stream
open for the whole session (reconnecting with backoff if it drops), and votes on each poll it is
shown within a few seconds, retrying a ballot whose acknowledgement was lost with the same
ballot id. Used by benchmarks/room.py and tests/e2e/test_network_loss.py.

Each phone connects from its own loopback address (127.16.x.y: Linux routes all of 127/8 to
lo), so a server that limits per address sees a room of different phones, as on real Wi-Fi.
Times are time.monotonic(), one clock for every process on Linux.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

GROUPS = ["provider", "pharma", "payer", "patient", "clinician"]


def phone_address(n: int) -> str:
    """A distinct loopback source address per phone (65 000 of them before any repeats)."""
    return f"127.16.{(n // 250) % 256}.{n % 250 + 1}"


def answer_for(poll: dict[str, Any], rng: random.Random) -> Any:
    """An honest answer to a poll as the phone page shows it."""
    kind, options = poll["kind"], poll.get("options") or []
    lo, hi = int(poll.get("min", 0)), int(poll.get("max", 10))
    n = len(options)
    if kind == "single":
        return rng.randrange(n)
    if kind == "multiple":
        return sorted(rng.sample(range(n), rng.randint(1, min(n, int(poll.get("max_choices", n))))))
    if kind in ("scale", "fist"):
        return rng.randint(lo, hi)
    if kind == "agreement":
        return {str(i): rng.randint(1, 5) for i in range(n)}
    if kind == "ranking":
        order = list(range(n))
        rng.shuffle(order)
        return order
    if kind == "points":
        budget = int(poll.get("budget", 10))
        spread: dict[str, int] = {}
        for _ in range(budget):
            k = str(rng.randrange(n))
            spread[k] = spread.get(k, 0) + 1
        return spread
    if kind in ("matrix", "importance"):
        return {str(i): [rng.randint(lo, hi), rng.randint(lo, hi)] for i in range(n)}
    if kind == "text":
        return f"Phone {rng.randrange(10**6)} would like shorter waits for cardiac rehab."
    raise ValueError(kind)


@dataclass
class Ballot:
    poll_id: int
    round: int
    uid: str
    sent_at: float = 0.0
    acked_at: float = 0.0
    attempts: int = 0
    error: str = ""
    duplicate: bool = False  # the server already had it (a retry after a lost acknowledgement)


@dataclass
class Phone:
    n: int
    base: str
    code: str
    vote_spread: float = 3.0  # a phone votes within this many seconds of seeing a question
    vote_timeout: float = 10.0
    max_attempts: int = 6
    local: bool = True  # connect from a distinct loopback address
    group: str = ""
    joined: bool = False
    workshop: str = ""  # the workshop the laptop serves (said at join): every ballot carries it
    join_error: str = ""
    # (poll_id, round) -> first time the phone saw it open; poll_id -> first time it saw a result
    seen: dict[tuple[int, int], float] = field(default_factory=dict)
    results: dict[int, float] = field(default_factory=dict)
    ballots: dict[tuple[int, int], Ballot] = field(default_factory=dict)
    last: dict[str, Any] = field(default_factory=dict)  # the latest state the phone holds
    reconnects: int = 0
    streams_open: int = 0
    bytes_in: int = 0
    votes: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.n)
        self.group = self.group or GROUPS[self.n % len(GROUPS)]
        local_addr = (phone_address(self.n), 0) if self.local else None
        # Two sockets at most, like a browser tab: the event stream and one for requests.
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=2, local_addr=local_addr, force_close=False),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10))

    async def close(self) -> None:
        for t in list(self.votes):
            t.cancel()
        await self.session.close()

    async def join(self, attempts: int = 8) -> bool:
        for attempt in range(attempts):
            try:
                async with self.session.post(self.base + "/api/join", json={"code": self.code, "group": self.group},
                                             timeout=aiohttp.ClientTimeout(total=15)) as r:
                    body = await r.read()
                    self.bytes_in += len(body)
                    if r.status == 200:
                        self.joined = True
                        self.workshop = json.loads(body).get("workshop", "")  # every ballot carries it
                        return True
                    self.join_error = f"{r.status} {body[:80]!r}"
                    if r.status not in (429, 503):
                        return False
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                self.join_error = type(exc).__name__
            await asyncio.sleep(min(5.0, 0.25 * 2 ** attempt) * (0.5 + self.rng.random()))
        return False

    async def stream(self, stop: asyncio.Event) -> None:
        """Hold the event stream open until `stop`; reconnect with backoff when it drops."""
        backoff = 0.5
        while not stop.is_set():
            try:
                async with self.session.get(self.base + "/api/events") as r:
                    if r.status != 200:
                        raise aiohttp.ClientResponseError(r.request_info, (), status=r.status)
                    self.streams_open += 1
                    backoff = 0.5
                    try:
                        async for line in r.content:
                            self.bytes_in += len(line)
                            if line.startswith(b"data: "):
                                self.on_state(json.loads(line[6:]))
                    finally:
                        self.streams_open -= 1
            except (TimeoutError, aiohttp.ClientError, OSError, ValueError):
                pass
            if stop.is_set():
                return
            self.reconnects += 1
            await asyncio.sleep(backoff * (0.5 + self.rng.random()))
            backoff = min(8.0, backoff * 2)

    def on_state(self, snap: dict[str, Any]) -> None:
        now = time.monotonic()
        self.last = snap
        poll = snap.get("poll")
        if poll and poll.get("state") == "open":
            key = (int(poll["id"]), int(poll["round"]))
            if key not in self.seen:
                self.seen[key] = now
                if key not in self.ballots:
                    task = asyncio.create_task(self.vote(poll))
                    self.votes.add(task)
                    task.add_done_callback(self.votes.discard)
        result = snap.get("result")
        if result is not None:
            pid = int(poll["id"]) if poll else int(snap.get("closed_poll") or 0)
            self.results.setdefault(pid, now)

    async def vote(self, poll: dict[str, Any]) -> None:
        await asyncio.sleep(self.rng.uniform(0.0, self.vote_spread))
        b = Ballot(int(poll["id"]), int(poll["round"]), f"b{int(poll['id']):03d}{self.n:05d}{secrets.token_hex(4)}")
        self.ballots[(b.poll_id, b.round)] = b
        body = {"workshop": self.workshop,
                "poll_id": b.poll_id, "round": b.round, "ballot_id": b.uid, "answer": answer_for(poll, self.rng)}
        b.sent_at = time.monotonic()
        for attempt in range(self.max_attempts):
            b.attempts += 1
            try:
                async with self.session.post(self.base + "/api/vote", json=body,
                                             timeout=aiohttp.ClientTimeout(total=self.vote_timeout)) as r:
                    raw = await r.read()
                    self.bytes_in += len(raw)
                    data = json.loads(raw) if r.status == 200 else {}
                    if data.get("ok"):
                        b.acked_at = time.monotonic()
                        b.duplicate = bool(data.get("duplicate"))
                        b.error = ""
                        return
                    b.error = f"{r.status} {raw[:80]!r}"
                    if r.status not in (429, 503):
                        return  # refused for a reason a retry cannot fix
            except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
                b.error = type(exc).__name__
            await asyncio.sleep(min(4.0, 0.25 * 2 ** attempt) * (0.5 + self.rng.random()))


async def join_all(phones: list[Phone], concurrency: int = 64) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(p: Phone) -> None:
        async with gate:
            await p.join()

    await asyncio.gather(*(one(p) for p in phones))


async def wait_for(predicate: Any, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return bool(predicate())


async def settle(phones: list[Phone], timeout: float) -> None:
    """Wait until no phone has a ballot in flight."""
    await wait_for(lambda: not any(p.votes for p in phones), timeout)
    for p in phones:
        for t in list(p.votes):
            t.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await t
