"""Phones on a bad network: the real vote server over real sockets, a real SQLite file, and
phones speaking the phone protocol (join, a held event stream that reconnects, ballots retried
with their own id) through a proxy that delays, stalls, cuts and swallows acknowledgements
(tests/e2e/lossy_proxy.py says why a proxy and not netem on this machine).

Every acknowledged ballot is in the file exactly once, a ballot retried after its
acknowledgement was lost is counted once, and every phone ends on the current poll.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter

import pytest

from benchmarks.lossy_proxy import Faults, LossyProxy
from benchmarks.room_phones import Phone, join_all, settle, wait_for
from tests.server.conftest import Room
from tests.waits import until
from vbp_workshop.core.operations.live import close_poll
from vbp_workshop.core.polls import queries

pytestmark = pytest.mark.slow


def stored(room: Room, poll_id: int, round_: int) -> list[tuple[str, str]]:
    conn = sqlite3.connect(room.store.path)
    try:
        return conn.execute("SELECT ballot_uid, voter FROM ballots WHERE poll_id = ? AND round = ?",
                            (poll_id, round_)).fetchall()
    finally:
        conn.close()


def check_once(room: Room, phones: list[Phone], poll_id: int, round_: int) -> None:
    """Each acknowledged ballot is stored exactly once, and no phone is counted twice."""
    rows = stored(room, poll_id, round_)
    counts = Counter(uid for uid, _voter in rows)
    acked = [b.uid for p in phones for (pid, _r), b in p.ballots.items() if pid == poll_id and b.acked_at]
    assert acked, "no ballot was acknowledged: the test measured nothing"
    assert [uid for uid in acked if counts[uid] != 1] == []
    ours = {b.uid for p in phones for b in p.ballots.values()}
    voters = Counter(voter for uid, voter in rows if uid in ours)
    assert [v for v, n in voters.items() if n > 1] == []


async def room_through(proxy: LossyProxy, room: Room, n: int, spread: float) -> tuple[list[Phone], asyncio.Event,
                                                                                      list[asyncio.Task[None]]]:
    base = f"http://127.0.0.1:{await proxy.start()}"
    phones = [Phone(i, base, room.code, vote_spread=spread, vote_timeout=4.0, max_attempts=12) for i in range(n)]
    await join_all(phones, concurrency=16)
    assert all(p.joined for p in phones), [p.join_error for p in phones if not p.joined][:3]
    stop = asyncio.Event()
    streams = [asyncio.create_task(p.stream(stop)) for p in phones]
    assert await wait_for(lambda: all(p.last for p in phones), 20)
    return phones, stop, streams


async def leave(phones: list[Phone], stop: asyncio.Event, streams: list[asyncio.Task[None]],
                proxy: LossyProxy) -> None:
    stop.set()
    for t in streams:
        t.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    await asyncio.gather(*(p.close() for p in phones))
    await proxy.stop()


def on_poll(phones: list[Phone], poll_id: int) -> list[int]:
    """The phones whose latest state is not the given open poll."""
    return [p.n for p in phones if (p.last.get("poll") or {}).get("id") != poll_id]


async def lossy_room(room: Room) -> None:
    # 10 % of chunks stall as a lost segment does, 200 ms each way, 1 % of chunks reset the link.
    proxy = LossyProxy("127.0.0.1", room.server.port, Faults(delay=0.2, loss=0.1, cut=0.01))
    phones, stop, streams = await room_through(proxy, room, 40, spread=2.0)
    try:
        first = room.open("single")
        key = (first, queries.get_poll(room.store, first).round)
        assert await wait_for(lambda: all(key in p.seen for p in phones), 15), on_poll(phones, first)
        # Mid-burst (a quarter of the phones' ballots acknowledged) the Wi-Fi drops for everyone.
        await until(lambda: sum(bool(p.ballots.get(key) and p.ballots[key].acked_at) for p in phones)
                    >= len(phones) // 4, 15, "a quarter of the first poll's ballots acknowledged")
        refused = proxy.stats["refused"]
        assert proxy.cut_all() > 0
        proxy.away = True
        # While the phones are away the facilitator moves on: they must see the new poll on return.
        second = room.open("scale")
        # The Wi-Fi comes back once the phones have found it gone: as many connections refused
        # while away as there are phones (their streams reconnecting, their ballots retried).
        await until(lambda: proxy.stats["refused"] - refused >= len(phones), 30, "the phones refused while away")
        proxy.away = False
        assert await wait_for(lambda: not on_poll(phones, second), 20), on_poll(phones, second)
        await settle(phones, 40)
        # A ballot on the first poll is acknowledged, or refused because that poll closed while
        # its phone was away: never lost to the network.
        lost = [b.error for p in phones for b in p.ballots.values()
                if b.poll_id == first and not b.acked_at and not b.error.startswith("409")]
        assert lost == []
        second_key = (second, queries.get_poll(room.store, second).round)
        check_once(room, phones, first, key[1])
        check_once(room, phones, *second_key)
        assert sum(p.reconnects for p in phones) >= len(phones), "the cut did not reach every stream"
        assert proxy.stats["lost_chunks"] > 0
        # Every phone got its ballot on the second poll through, however often it had to retry.
        assert [p.n for p in phones if not p.ballots[second_key].acked_at] == []
        assert not on_poll(phones, second)
    finally:
        await leave(phones, stop, streams, proxy)


def test_lossy_network_loses_no_ballot_and_every_phone_ends_on_the_current_poll(room: Room) -> None:
    asyncio.run(lossy_room(room))


async def lost_acks(room: Room) -> None:
    # Every phone's first vote reaches the server and is stored; its answer is swallowed and the
    # link reset. The phones are kept away until the facilitator has closed the poll, so each
    # retry arrives for a closed poll: it must be acknowledged as the ballot already stored.
    n = 20
    proxy = LossyProxy("127.0.0.1", room.server.port, Faults(delay=0.05, drop_first_vote_ack=True))
    phones, stop, streams = await room_through(proxy, room, n, spread=0.5)
    try:
        poll_id = room.open("agreement")
        assert await wait_for(lambda: proxy.stats["acks_dropped"] == n, 10), proxy.stats
        proxy.away = True
        tried = {p.n: p.ballots[(poll_id, 1)].attempts for p in phones}
        close_poll(room.store, room.live, poll_id)
        # The phones stay away until each one still unacknowledged has retried once more (and
        # found no network); the earliest voters may have had their retry acknowledged already.
        await until(lambda: all(p.ballots[(poll_id, 1)].acked_at or p.ballots[(poll_id, 1)].attempts > tried[p.n]
                                for p in phones), 20, "every unacknowledged phone retrying while away")
        proxy.away = False
        await settle(phones, 30)
        ballots = [p.ballots[(poll_id, 1)] for p in phones]
        assert all(b.attempts >= 2 for b in ballots), "a lost acknowledgement was not retried"
        assert [b.error for b in ballots if not b.acked_at] == []
        assert all(b.duplicate for b in ballots)
        rows = stored(room, poll_id, 1)
        ours = Counter(uid for uid, _ in rows if uid in {b.uid for b in ballots})
        assert sorted(ours.values()) == [1] * n  # every retried ballot counted once
        check_once(room, phones, poll_id, 1)
    finally:
        await leave(phones, stop, streams, proxy)


def test_ballot_retried_after_a_lost_acknowledgement_is_counted_once(room: Room) -> None:
    asyncio.run(lost_acks(room))
