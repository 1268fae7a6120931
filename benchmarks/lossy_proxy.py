"""A TCP proxy that makes a bad Wi-Fi between phones and the vote server: it delays every chunk,
stalls some as a lost segment does, cuts connections, drops a response after the server has
sent it (a lost acknowledgement), and can keep phones away for a while.

This machine's kernel has no netem qdisc (`tc qdisc add dev lo root netem ...` answers
"Specified qdisc kind is unknown"; network namespaces themselves work), so loss is made here,
at the level an application sees it: TCP turns a lost segment into a retransmission stall
(at least 200 ms on Linux, doubling when lost again), and a dropped link into a reset.

It also counts the bytes each way (benchmarks/phone_bytes.py). The upstream connection is made
from the phone's own source address, so a server that limits per address sees each phone as
itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field


@dataclass
class Faults:
    delay: float = 0.0  # one-way delay added to every chunk, seconds
    loss: float = 0.0  # chance that a chunk is "lost" and waits for a retransmission
    rto: float = 0.2  # the first retransmission timeout (doubles on each further loss)
    cut: float = 0.0  # chance per chunk that the connection is reset instead
    drop_first_vote_ack: bool = False  # swallow the answer to each phone's first vote, reset the link


@dataclass(eq=False)  # held in a set, by identity
class Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    peer: str
    drop_next_response: bool = False


@dataclass
class LossyProxy:
    target_host: str
    target_port: int
    faults: Faults = field(default_factory=Faults)
    seed: int = 13
    port: int = 0
    links: set[Link] = field(default_factory=set)
    away: bool = False  # while set, new connections are refused (phones out of range)
    acked_once: set[str] = field(default_factory=set)  # phones whose first vote answer was dropped
    stats: dict[str, int] = field(default_factory=lambda: {"connections": 0, "refused": 0, "cuts": 0,
                                                            "lost_chunks": 0, "acks_dropped": 0,
                                                            "bytes_up": 0, "bytes_down": 0})

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0, backlog=512)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        self.cut_all()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def cut_all(self) -> int:
        """Reset every open connection: the hall's Wi-Fi drops for everyone at once."""
        n = 0
        for link in list(self.links):
            self._reset(link)
            n += 1
        self.stats["cuts"] += n
        return n

    def _reset(self, link: Link) -> None:
        for w in (link.client, link.upstream):
            if not w.is_closing():
                w.transport.abort()
        self.links.discard(link)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.away:
            self.stats["refused"] += 1
            writer.transport.abort()
            return
        peer = writer.get_extra_info("peername")[0]
        try:
            up_reader, up_writer = await asyncio.open_connection(self.target_host, self.target_port,
                                                                 local_addr=(peer, 0))
        except OSError:
            writer.transport.abort()
            return
        self.stats["connections"] += 1
        link = Link(writer, up_writer, peer)
        self.links.add(link)
        await asyncio.gather(self._pump(reader, up_writer, link, upstream=True),
                             self._pump(up_reader, writer, link, upstream=False), return_exceptions=True)
        self._reset(link)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: Link,
                    upstream: bool) -> None:
        """Copy one direction in order; each chunk is released at its own (delayed) time."""
        f = self.faults
        out: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        sender = asyncio.create_task(self._send(out, writer))
        release = 0.0
        try:
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    out.put_nowait((release, b""))
                    await sender
                    return
                if upstream and f.drop_first_vote_ack and chunk.startswith(b"POST /api/vote") \
                        and link.peer not in self.acked_once:
                    self.acked_once.add(link.peer)
                    link.drop_next_response = True
                if not upstream and link.drop_next_response:
                    # The server has stored the ballot and answered; the phone never hears it.
                    self.stats["acks_dropped"] += 1
                    self._reset(link)
                    return
                if f.cut and self.rng.random() < f.cut:
                    self.stats["cuts"] += 1
                    self._reset(link)
                    return
                stall, rto = 0.0, f.rto
                while f.loss and self.rng.random() < f.loss:
                    self.stats["lost_chunks"] += 1
                    stall += rto
                    rto *= 2
                self.stats["bytes_up" if upstream else "bytes_down"] += len(chunk)
                release = max(time.monotonic() + f.delay + stall, release)  # TCP keeps order
                out.put_nowait((release, chunk))
        finally:
            sender.cancel()

    @staticmethod
    async def _send(out: asyncio.Queue[tuple[float, bytes]], writer: asyncio.StreamWriter) -> None:
        while True:
            release, chunk = await out.get()
            wait = release - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if writer.is_closing():
                return
            if not chunk:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            writer.write(chunk)
            with contextlib.suppress(ConnectionError):
                await writer.drain()
