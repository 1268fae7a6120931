"""Attack drills against the phone server, each reported as figures (issue 15, "The phone server").

The server runs in a child process (a fresh demo workshop, one poll open) with its descriptor
limit lowered, so the drills' own sockets never count against it; the attacks come from
127.0.0.2 and the honest phones from 127.0.0.3+ (Linux routes all of 127/8 to loopback).

    python tools/server_attacks.py                 # every drill, server limit 1024 descriptors
    python tools/server_attacks.py --only flood    # one drill: flood poison deep host forged bytes streams raw
    python tools/server_attacks.py serve --nofile 1024   # the child (used by the drills and tests)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from vbp_workshop.core.operations.live import open_poll

ATTACKER = "127.0.0.2"


def serve(args: argparse.Namespace) -> int:
    """Child: lower the descriptor limit (soft and hard, like `ulimit -n`), serve until stdin closes."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (args.nofile, args.nofile))
    from vbp_workshop.core.file.schema import workshop_uid
    from vbp_workshop.core.intake.votes import VoteWriter
    from vbp_workshop.core.model.room import LiveState
    from vbp_workshop.core.polls import queries
    from vbp_workshop.core.steps.demo import build_demo
    from vbp_workshop.server.runner import VoteServer

    with tempfile.TemporaryDirectory() as tmp:
        store = build_demo(Path(tmp) / "demo.vbpw")
        live = LiveState(store.workshop()["join_code"])
        writer = VoteWriter(store.path, live)
        writer.start()
        server = VoteServer(live, writer, store.path, host="0.0.0.0", port=random.randint(20000, 60000))
        server.start()
        pid = next(p.id for p in queries.polls(store) if p.kind == "single")
        open_poll(store, live, pid)
        print(json.dumps({"port": server.port, "code": live.join_code, "poll": pid, "db": str(store.path),
                          "workshop": workshop_uid(store.conn),
                          "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)}), flush=True)
        for line in sys.stdin:  # "stats": the server's own figures; end of input: stop
            if line.strip() == "stats":
                stats = server.server_stats() if hasattr(server, "server_stats") else {}
                print(json.dumps(stats), flush=True)
        server.stop()
        writer.stop()
        store.close()
    return 0


class Child:
    def __init__(self, nofile: int) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="vbp-attack-", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen([sys.executable, __file__, "serve", "--nofile", str(nofile)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        assert self.proc.stdout is not None
        self.info = json.loads(self.proc.stdout.readline())
        self.base = f"http://127.0.0.1:{self.info['port']}"

    def stats(self) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return dict(json.loads(self.proc.stdout.readline()))

    def logged(self) -> int:
        """Bytes the server has logged so far."""
        return Path(self.log.name).stat().st_size

    def log_text(self, limit: int = 20_000) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as f:
            return f.read(limit)

    def stop(self) -> int:
        """Stop the child; returns the bytes it logged."""
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        size = self.logged()
        Path(self.log.name).unlink()
        return size

    def ballots(self, uids: list[str]) -> int:
        import sqlite3

        conn = sqlite3.connect(self.info["db"])
        try:
            q = ",".join("?" * len(uids))
            return int(conn.execute(f"SELECT COUNT(*) FROM ballots WHERE ballot_uid IN ({q})", uids).fetchone()[0])
        finally:
            conn.close()


def session(source: str, **kw: Any) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 connector=aiohttp.TCPConnector(local_addr=(source, 0), limit=0), **kw)


async def join(s: aiohttp.ClientSession, c: Child) -> int:
    r = await s.post(c.base + "/api/join", json={"code": c.info["code"], "group": "payer"})
    await r.read()
    return r.status


async def honest_phone(c: Child, n: int) -> dict[str, Any]:
    """An honest phone from its own address: join, read the state, vote. Status of each step."""
    t0 = time.perf_counter()
    out: dict[str, Any] = {}
    try:
        async with session(f"127.0.0.{3 + n}", timeout=aiohttp.ClientTimeout(total=10)) as s:
            out["join"] = await join(s, c)
            body = {"workshop": c.info["workshop"],
                    "poll_id": c.info["poll"], "round": 1, "ballot_id": f"honest{n:010d}", "answer": 1}
            r = await s.post(c.base + "/api/vote", json=body)
            out["vote"] = r.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        out["error"] = type(exc).__name__
    out["s"] = round(time.perf_counter() - t0, 2)
    return out


async def flood(c: Child, n: int = 10_000) -> dict[str, Any]:
    statuses: dict[int, int] = {}
    t0 = time.perf_counter()
    async with session(ATTACKER) as s:
        async def one() -> None:
            s.cookie_jar.clear()
            try:
                st = await join(s, c)
            except aiohttp.ClientError:
                st = -1
            statuses[st] = statuses.get(st, 0) + 1
        for k in range(0, n, 200):
            await asyncio.gather(*(one() for _ in range(min(200, n - k))))
    took = time.perf_counter() - t0
    return {"joins": n, "seconds": round(took, 2), "statuses": statuses,
            "honest_after": [await honest_phone(c, i) for i in range(3)]}


async def poison(c: Child) -> dict[str, Any]:
    phones = [session(f"127.0.0.{10 + i}") for i in range(20)]
    try:
        for s in phones:
            assert await join(s, c) == 200
        bad = session(ATTACKER)
        await join(bad, c)
        uids = [f"poison{i:010d}" for i in range(20)]

        async def vote(s: aiohttp.ClientSession, body: dict[str, Any]) -> int:
            r = await s.post(c.base + "/api/vote", json=body)
            await r.read()
            return r.status
        bodies = [{"workshop": c.info["workshop"],
                   "poll_id": c.info["poll"], "round": 1, "ballot_id": u, "answer": 0} for u in uids]
        poisoned = {"workshop": c.info["workshop"], "poll_id": 2**70, "round": 1, "ballot_id": "p" * 16, "answer": 0}
        statuses = await asyncio.gather(vote(bad, poisoned), *(vote(s, b) for s, b in zip(phones, bodies, strict=True)),
                                        vote(bad, {**poisoned, "poll_id": c.info["poll"], "round": 2**64}))
        await bad.close()
    finally:
        for s in phones:
            await s.close()
    honest = statuses[1:-1]
    return {"poison_status": [statuses[0], statuses[-1]], "honest_acked": sum(st == 200 for st in honest),
            "honest_sent": len(honest), "honest_in_file": c.ballots(uids),
            "honest_statuses": sorted(set(honest))}


async def deep(c: Child) -> dict[str, Any]:
    async with session(ATTACKER) as s:
        await join(s, c)
        out = {}
        for depth in (100, 3000):
            body = ('{"workshop": "' + c.info["workshop"] + '", '
                    '"poll_id": 1, "round": 1, "ballot_id": "dddddddddddddddd", "answer": '
                    + "[" * depth + "]" * depth + "}")
            r = await s.post(c.base + "/api/vote", data=body, headers={"Content-Type": "application/json"})
            out[f"depth_{depth}"] = r.status
        return out


async def host(c: Child) -> dict[str, Any]:
    async with session(ATTACKER) as s:
        out = {}
        for h in ("attacker.example", "localhost", f"127.0.0.1:{c.info['port']}"):
            r = await s.get(c.base + "/api/state", headers={"Host": h})
            out[h] = r.status
        return out


async def forged(c: Child) -> dict[str, Any]:
    chosen = "attacker-chosen-token-0123456789"
    async with session(ATTACKER) as s:
        s.cookie_jar.update_cookies({"vbp_device": chosen}, aiohttp.helpers.URL(c.base))  # type: ignore[attr-defined]
        st = await join(s, c)
        issued = next((m.value for m in s.cookie_jar if m.key == "vbp_device"), "")
        return {"join": st, "forged_token_adopted": issued == chosen}


async def transfer(c: Child) -> dict[str, Any]:
    """Bytes on the wire (headers + body as sent) to load the page, join, and vote in one poll."""
    total = {"first_visit": 0, "second_visit": 0}
    async with session("127.0.0.3", auto_decompress=False) as s:
        etags: dict[str, str] = {}
        for visit in ("first_visit", "second_visit"):
            for path in ("/", "/static/app.js", "/static/app.css"):
                hdrs = {"Accept-Encoding": "gzip, deflate, br"}
                if path in etags:
                    hdrs["If-None-Match"] = etags[path]
                r = await s.get(c.base + path, headers=hdrs)
                body = await r.read()
                if "ETag" in r.headers:
                    etags[path] = r.headers["ETag"]
                total[visit] += len(body) + sum(len(k) + len(v) + 4 for k, v in r.raw_headers) + 17
        steps = [("POST", "/api/join", {"code": c.info["code"], "group": ""}), ("GET", "/api/state", None),
                 ("POST", "/api/vote", {"workshop": c.info["workshop"],
                                        "poll_id": c.info["poll"], "round": 1, "ballot_id": "x" * 32, "answer": 1})]
        api = 0
        for method, path, body in steps:
            r = await s.request(method, c.base + path, json=body)
            api += len(await r.read()) + sum(len(k) + len(v) + 4 for k, v in r.raw_headers) + 17
        total["api_join_state_vote"] = api
        r = await s.get(c.base + "/api/events")
        first = await r.content.readuntil(b"\n\n")  # the current poll, as the stream first sends it
        total["event_stream_first_message"] = len(first) + sum(len(k) + len(v) + 4 for k, v in r.raw_headers) + 17
        r.close()
    return total


async def streams(c: Child, n: int = 1100) -> dict[str, Any]:
    """One client opens `n` event streams: on one device, then on fresh devices from three
    addresses; then honest phones from other addresses join and vote while the streams stay open."""
    opened: list[aiohttp.ClientResponse] = []
    statuses: dict[Any, int] = {}
    devices: list[aiohttp.ClientSession] = []
    sessions = [session(f"127.0.0.{2 + k}", timeout=aiohttp.ClientTimeout(total=None, sock_connect=5))
                for k in range(3)]
    try:
        async def one(s: aiohttp.ClientSession, fresh: bool) -> None:
            try:
                if fresh:  # a new device: its own cookie jar on the address's connections
                    s = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=s.connector,
                                              connector_owner=False, timeout=s.timeout)
                    devices.append(s)
                    st = await asyncio.wait_for(join(s, c), 15)
                    if st != 200:  # no device: the per-address join cap
                        statuses[f"join_{st}"] = statuses.get(f"join_{st}", 0) + 1
                        return
                r = await asyncio.wait_for(s.get(c.base + "/api/events"), 15)  # until the headers arrive
                statuses[r.status] = statuses.get(r.status, 0) + 1
                if r.status == 200:
                    opened.append(r)
                else:
                    await r.read()
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
        t0 = time.perf_counter()
        await asyncio.wait_for(join(sessions[0], c), 15)
        await asyncio.gather(*(one(sessions[0], False) for _ in range(50)))  # one device, many streams
        for k in range(50, n, 50):
            await asyncio.gather(*(one(sessions[(k // 50) % 3], True) for _ in range(min(50, n - k))))
        took = time.perf_counter() - t0
        honest = await asyncio.gather(*(honest_phone(c, 10 + i) for i in range(5)))
        logged = c.logged()
        stats = c.stats()
        for r in opened:
            r.close()
    finally:
        for s in (*devices, *sessions):
            await s.close()
    return {"streams_tried": n, "seconds": round(took, 2), "statuses": statuses, "honest": honest,
            "server_log_bytes_at_honest": logged, "server_stats": stats}


async def raw_burst(c: Child, n: int = 1300) -> dict[str, Any]:
    """Raw connections beyond the server's descriptor limit, held 5 s: how much does it log?"""
    socks = []
    for _ in range(n):
        try:
            _r, w = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", c.info["port"], local_addr=(ATTACKER, 0)), 3)
            socks.append(w)
        except (OSError, TimeoutError):
            break
    await asyncio.sleep(5)
    logged = c.logged()
    for w in socks:
        w.close()
    await asyncio.sleep(1.5)
    return {"raw_connections": len(socks), "server_log_bytes_after_5s": logged,
            "honest_after": await honest_phone(c, 20)}


DRILLS = {"flood": flood, "poison": poison, "deep": deep, "host": host, "forged": forged, "bytes": transfer,
          "streams": streams, "raw": raw_burst}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", nargs="?", default="drills", choices=["drills", "serve"])
    p.add_argument("--nofile", type=int, default=1024)
    p.add_argument("--only", nargs="*", default=list(DRILLS))
    p.add_argument("--streams", type=int, default=1100, help="event streams the streams drill opens")
    args = p.parse_args(argv)
    if args.mode == "serve":
        return serve(args)
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
    for name in args.only:
        child = Child(args.nofile)  # a fresh server per drill: one drill's damage does not hide another's
        try:
            drill = DRILLS[name]
            result = asyncio.run(streams(child, args.streams) if drill is streams else drill(child))
        finally:
            logged = child.stop()
        print(json.dumps({"drill": name, **result, "server_log_bytes": logged}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
