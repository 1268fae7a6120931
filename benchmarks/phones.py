"""Simulated phones: N asyncio clients join a vote server and vote in bursts (loopback only).

Used by the load and durability tests and by benchmarks/vote_server.py. Each acknowledged and
each sent ballot is logged (one JSON line each, flushed) so a test can check the file afterwards,
even if the server was killed mid-run.

    python benchmarks/phones.py --base http://127.0.0.1:8765 --phones 500 --votes 3 --log acks.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.room_phones import phone_address


async def phone(n: int, args: argparse.Namespace, session_factory: Any, log: Any, stats: dict[str, Any],
                start: asyncio.Event) -> None:
    async with session_factory(n) as s:
        for attempt in range(20):
            try:
                group = args.groups[n % len(args.groups)]
                r = await s.post(args.base + "/api/join", json={"code": args.code, "group": group})
                if r.status == 200:
                    break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05 * (attempt + 1))
        else:
            stats["join_failed"] += 1
            return
        state = await (await s.get(args.base + "/api/state")).json()
        poll = state["poll"]
        if poll is None:
            stats["no_poll"] += 1
            return
        stats["ready"] += 1
        await start.wait()
        rng = random.Random(n)
        if args.pause:  # phones that vote steadily start apart: a steady stream, not one burst a pause
            await asyncio.sleep(rng.uniform(0, args.pause))
        for k in range(args.votes):
            if poll["kind"] == "agreement":  # a level for every statement
                answer: Any = {str(i): rng.randint(1, 5) for i in range(len(poll["options"]))}
            elif poll["options"]:
                answer = rng.randrange(len(poll["options"]))
            else:
                answer = rng.randint(poll["min"], poll["max"])
            uid = f"{n:05d}{k:04d}{secrets.token_hex(4)}"
            body = {"workshop": state["workshop"],
                    "poll_id": poll["id"], "round": poll["round"], "ballot_id": uid, "answer": answer}
            # t: time.monotonic(), one clock for every process here (vote_latency.py compares it).
            log.write(json.dumps({"event": "sent", "phone": n, "seq": k, "uid": uid, "answer": answer,
                                  "t": time.monotonic()}) + "\n")
            t0 = time.perf_counter()
            try:
                r = await s.post(args.base + "/api/vote", json=body)
                data = await r.json()
            except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError):
                stats["errors"] += 1
                continue
            took = time.perf_counter() - t0
            if r.status == 200 and data.get("ok"):
                stats["acked"] += 1
                stats["latencies"].append(took)
                log.write(json.dumps({"event": "acked", "phone": n, "seq": k, "uid": uid, "answer": answer}) + "\n")
            else:
                stats["refused"][str(r.status)] = stats["refused"].get(str(r.status), 0) + 1
            log.flush()
            if args.pause:
                await asyncio.sleep(args.pause)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    stats: dict[str, Any] = {"ready": 0, "acked": 0, "errors": 0, "refused": {}, "latencies": [],
                             "join_failed": 0, "no_poll": 0}
    connector_limit = min(args.phones, 1000)

    def factory(n: int) -> aiohttp.ClientSession:
        # Each phone from its own loopback address, as on real Wi-Fi (the server limits joins per
        # address); --same-address keeps them all on 127.0.0.1, as a room behind one router.
        local = None if args.same_address else (phone_address(n), 0)
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     connector=aiohttp.TCPConnector(limit=1, local_addr=local),
                                     timeout=aiohttp.ClientTimeout(total=args.timeout))

    start = asyncio.Event()
    with open(args.log, "a", encoding="utf-8") if args.log else open("/dev/null", "w") as log:
        tasks = [asyncio.create_task(phone(n, args, factory, log, stats, start)) for n in range(args.phones)]
        # Let every phone join first, then vote together: the burst a room makes.
        deadline = time.perf_counter() + 90
        while time.perf_counter() < deadline and \
                stats["ready"] + stats["join_failed"] + stats["no_poll"] < args.phones:
            await asyncio.sleep(0.05)
        start.set()
        t0 = time.perf_counter()
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - t0
    lat = sorted(stats.pop("latencies"))
    stats.update(wall_s=round(wall, 3), votes_per_s=round(stats["acked"] / wall, 1) if wall else 0,
                 p50_ms=round(1000 * lat[len(lat) // 2], 2) if lat else None,
                 p95_ms=round(1000 * lat[int(len(lat) * 0.95)], 2) if lat else None,
                 phones=args.phones, connector_limit=connector_limit)
    return stats


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--base", required=True)
    p.add_argument("--code", default="")
    p.add_argument("--phones", type=int, default=500)
    p.add_argument("--votes", type=int, default=3, help="votes per phone (each replaces the last)")
    p.add_argument("--pause", type=float, default=0.0, help="seconds between a phone's votes")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--log", default="")
    p.add_argument("--same-address", action="store_true", help="every phone from 127.0.0.1")
    p.add_argument("--groups", nargs="*", default=["provider", "pharma", "payer", "patient", "clinician"])
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    stats = asyncio.run(main_async(parse(argv)))
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
