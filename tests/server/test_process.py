"""The vote server in its own process (`server/process.py`), as the app runs it: a real child
process, real sockets, the real file. The GUI side's `LiveState` is the one the operations
change; the child must follow it (open, close, reveal, a new join code) and send back every
stored ballot."""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import signal
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from tests.waits import wait_until
from vbp_workshop.core import operations
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations import live as live_ops
from vbp_workshop.core.operations.live import close_poll, open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.server.process import ServerProcess


@pytest.fixture
def served(demo: Store) -> Iterator[tuple[Store, LiveState, ServerProcess]]:
    live = LiveState()
    operations.derive(demo, live)
    server = ServerProcess(live, demo.path, host="127.0.0.1", port=0)
    server.start()
    yield demo, live, server
    server.stop()


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def join_and_vote(base: str, code: str, votes: list[dict[str, Any]]) -> tuple[int, list[int]]:
    async with client() as s:
        r = await s.post(base + "/api/join", json={"code": code, "group": "pharma"})
        joined = r.status
        workshop = (await r.json()).get("workshop")  # every ballot says which workshop it is for
        statuses = []
        for body in votes:
            r = await s.post(base + "/api/vote", json={"workshop": workshop, **body})
            statuses.append(r.status)
        return joined, statuses


def notices(server: ServerProcess, n: int, timeout: float = 5) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    end = time.monotonic() + timeout
    while len(got) < n and time.monotonic() < end:
        with contextlib.suppress(queue.Empty):
            got.append(server.notices.get(timeout=0.1))
    return got


def test_a_ballot_goes_through_the_servers_process_to_the_file_and_back(served) -> None:
    store, live, server = served
    assert server.pid and server.pid != os.getpid()
    pid = next(p.id for p in queries.polls(store) if p.kind == "single")
    open_poll(store, live, pid)  # the GUI's operation: the child hears it
    base = f"http://127.0.0.1:{server.port}"
    joined, statuses = asyncio.run(join_and_vote(base, live.join_code, [
        {"poll_id": pid, "round": 1, "ballot_id": "a" * 16, "answer": 1}]))
    assert (joined, statuses) == (200, [200])
    kinds = [n["type"] for n in notices(server, 2)]
    assert sorted(kinds) == ["join", "vote"]
    rows = store.rows("ballots", "poll_id = ? AND ballot_uid = ?", (pid, "a" * 16))
    assert len(rows) == 1 and rows[0]["answer"] == "1"


def test_a_closed_poll_takes_no_ballot_once_close_returns(served) -> None:
    store, live, server = served
    pid = next(p.id for p in queries.polls(store) if p.kind == "single")
    open_poll(store, live, pid)
    close_poll(store, live, pid)  # waits for the child to confirm the close
    base = f"http://127.0.0.1:{server.port}"
    before = store.scalar("SELECT COUNT(*) FROM ballots WHERE poll_id = ?", (pid,))
    _joined, statuses = asyncio.run(join_and_vote(base, live.join_code, [
        {"poll_id": pid, "round": 1, "ballot_id": "b" * 16, "answer": 0}]))
    assert statuses == [409]
    assert store.scalar("SELECT COUNT(*) FROM ballots WHERE poll_id = ?", (pid,)) == before


def test_a_new_join_code_reaches_the_servers_process(served) -> None:
    store, live, server = served
    old = live.join_code
    new = live_ops.rotate_join_code(store, live)
    server.sync()  # what the room does when it hears the join-code change record
    base = f"http://127.0.0.1:{server.port}"
    assert asyncio.run(join_and_vote(base, old, []))[0] == 403  # the old code is refused
    assert asyncio.run(join_and_vote(base, new, []))[0] == 200


def test_the_reveal_reaches_the_phones_through_the_servers_process(served) -> None:
    store, live, server = served
    pid = next(p.id for p in queries.polls(store) if p.kind == "single")
    open_poll(store, live, pid)
    reveal(store, live, pid, True)

    async def state() -> dict[str, Any]:
        async with client() as s:
            await s.post(f"http://127.0.0.1:{server.port}/api/join", json={"code": live.join_code, "group": ""})
            r = await s.get(f"http://127.0.0.1:{server.port}/api/state")
            return dict(await r.json())

    seen = asyncio.run(state())
    assert seen["poll"]["id"] == pid and seen["result"] == live.snapshot()["result"] is not None


def test_stop_keeps_every_acknowledged_ballot_and_ends_the_process(demo: Store) -> None:
    live = LiveState()
    operations.derive(demo, live)
    server = ServerProcess(live, demo.path, host="127.0.0.1", port=0)
    server.start()
    pid = next(p.id for p in queries.polls(demo) if p.kind == "single")
    open_poll(demo, live, pid)
    before = demo.scalar("SELECT COUNT(*) FROM ballots WHERE poll_id = ?", (pid,))
    base = f"http://127.0.0.1:{server.port}"

    async def many() -> list[int]:
        async def one(i: int) -> int:
            return (await join_and_vote(base, live.join_code, [
                {"poll_id": pid, "round": 1, "ballot_id": f"{i:016d}", "answer": i % 2}]))[1][0]
        return list(await asyncio.gather(*(one(i) for i in range(40))))

    statuses = asyncio.run(many())
    child = server.pid
    server.stop()
    assert not server.running
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
    acked = statuses.count(200)
    assert acked == 40
    assert demo.scalar("SELECT COUNT(*) FROM ballots WHERE poll_id = ?", (pid,)) - before == acked
    drained = []
    while not server.notices.empty():
        drained.append(server.notices.get_nowait())
    assert sum(n["type"] == "vote" for n in drained) == acked  # every notice arrived before stop returned


def test_a_server_process_that_dies_is_seen_as_stopped(served) -> None:
    _store, _live, server = served
    os.kill(server.pid, signal.SIGKILL)
    wait_until(lambda: not server.running, 5, "the killed process seen as stopped")
    assert server.server_stats() == {}


def test_an_address_that_cannot_be_served_is_reported_with_its_reason(demo: Store) -> None:
    live = LiveState()
    operations.derive(demo, live)
    server = ServerProcess(live, demo.path, host="203.0.113.7", port=0)  # not this machine's
    with pytest.raises(OSError) as err:
        server.start(timeout=20)
    assert "address" in str(err.value).lower() and not server.running


def test_the_servers_process_ends_by_itself_when_the_app_is_gone(demo: Store) -> None:
    """If the app dies (its end of the pipe closes without a word), the server's process stops
    serving and exits: no orphan keeps the port and the file open."""
    live = LiveState()
    operations.derive(demo, live)
    server = ServerProcess(live, demo.path, host="127.0.0.1", port=0)
    server.start()
    proc = server._proc
    assert proc is not None and proc.stdin is not None
    proc.stdin.close()  # what the app's death does to the pipe
    assert proc.wait(10) == 0
    with pytest.raises(aiohttp.ClientConnectionError):
        asyncio.run(join_and_vote(f"http://127.0.0.1:{server.port}", live.join_code, []))
    server.stop()
