"""A real room: N phones join, hold their event streams open all session, and vote in a burst on
each of a sequence of polls, against the real app (main window and projector up, offscreen) —
and, in the same run, against a bare aiohttp server holding the same streams (the baseline).

    python benchmarks/room.py [--phones 500] [--polls single,agreement,multiple,scale,text]

Per poll the facilitator opens it through the GUI (the panel's own button: the same core path),
every phone votes within a few seconds of seeing it, then the facilitator reveals. Printed:
- broadcast: poll opened -> question on each phone (p50, p95, max; phones without it in 10 s);
- ballot acknowledgement under the burst (p50, p95, max), failures, and ballots acknowledged
  against ballots in the SQLite file afterwards (each acknowledged ballot exactly once);
- the app's peak memory (RSS) and open descriptors, the longest GUI-thread stall;
- the bare server's broadcast p95 over as many new questions as the app's polls, and the ratio of the two p95s.

The app starts with the descriptor limit a desktop session commonly gives (--app-nofile, 1024;
the app may raise its own), this process raises its own to the hard limit. Phones connect from
distinct loopback addresses (127.16.x.y), one asyncio process. Goals (issue 13, 2,000 phones):
broadcast p95 < 1 s, max < 2 s, within 2x bare; ack p95 < 300 ms; 0 lost, 0 counted twice;
< 350 MB; no GUI stall over 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.room_phones import Phone, join_all, settle, wait_for

ROOT = Path(__file__).resolve().parents[1]
SEEN_WITHIN = 10.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def ms(values: list[float]) -> str:
    if not values:
        return "none"
    return (f"p50 {1000 * pct(values, 0.5):.0f} ms, p95 {1000 * pct(values, 0.95):.0f} ms, "
            f"max {1000 * max(values):.0f} ms")


@dataclass
class Peak:
    """Samples a process's memory and descriptors every 100 ms, with its children's (the app's
    vote server runs in a process of its own): the peak of the sum, and the peak per process."""

    pid: int
    rss: int = 0
    fds: int = 0
    parts: dict[str, int] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        proc = psutil.Process(self.pid)
        with contextlib.suppress(psutil.Error):
            while True:
                rss = fds = 0
                for n, p in enumerate([proc, *proc.children(recursive=True)]):
                    with contextlib.suppress(psutil.Error):
                        r, f = p.memory_info().rss, p.num_fds()
                        rss, fds = rss + r, max(fds, f)
                        name = "app" if n == 0 else "server"
                        self.parts[name] = max(self.parts.get(name, 0), r)
                self.rss = max(self.rss, rss)
                self.fds = max(self.fds, fds)
                await asyncio.sleep(0.1)

    def stop(self) -> None:
        if self.task:
            self.task.cancel()


@dataclass
class PollRun:
    kind: str
    broadcast: list[float] = field(default_factory=list)
    missing: int = 0
    acks: list[float] = field(default_factory=list)
    failed: int = 0
    retried: int = 0
    reveal: list[float] = field(default_factory=list)
    stall: float = 0.0
    clicks: float = 0.0  # the facilitator's open and reveal clicks, on the GUI thread
    reveal_missing: int = 0
    error: str = ""  # the facilitator could not open the poll
    to_live: float = 0.0  # from the click to the live state changing (the GUI's part of the broadcast)


async def spawn(*args: str, nofile: int | None = None, log: Path | None = None) -> asyncio.subprocess.Process:
    def limit() -> None:
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    return await asyncio.create_subprocess_exec(
        sys.executable, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=log.open("wb") if log else asyncio.subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, preexec_fn=limit)


async def read_json(proc: asyncio.subprocess.Process, timeout: float = 60) -> dict[str, Any]:
    assert proc.stdout is not None
    while True:
        line = await asyncio.wait_for(proc.stdout.readline(), timeout)
        if not line:
            raise RuntimeError("the process ended")
        with contextlib.suppress(ValueError):
            return dict(json.loads(line))


async def command(proc: asyncio.subprocess.Process, line: str) -> dict[str, Any]:
    assert proc.stdin is not None
    proc.stdin.write((line + "\n").encode())
    await proc.stdin.drain()
    try:
        return await read_json(proc)
    except (TimeoutError, RuntimeError) as exc:
        return {"error": f"the app did not answer {line!r}: {type(exc).__name__} {exc}"}


async def start_room(base: str, code: str, n: int, spread: float, stop: asyncio.Event) -> tuple[
        list[Phone], list[asyncio.Task[None]], float]:
    phones = [Phone(i, base, code, vote_spread=spread) for i in range(n)]
    t0 = time.monotonic()
    await join_all(phones)
    join_s = time.monotonic() - t0
    joined = [p for p in phones if p.joined]
    streams = [asyncio.create_task(p.stream(stop)) for p in joined]
    await wait_for(lambda: sum(p.streams_open for p in joined) >= len(joined), 60)
    return phones, streams, join_s


async def end_room(phones: list[Phone], streams: list[asyncio.Task[None]], stop: asyncio.Event) -> None:
    stop.set()
    for t in streams:
        t.cancel()
    await asyncio.gather(*streams, return_exceptions=True)
    await asyncio.gather(*(p.close() for p in phones), return_exceptions=True)


def poll_figures(phones: list[Phone], key: tuple[int, int], at: float, run: PollRun) -> None:
    for p in phones:
        seen = p.seen.get(key)
        if seen is None or seen - at > SEEN_WITHIN:
            run.missing += 1
        else:
            run.broadcast.append(seen - at)
        b = p.ballots.get(key)
        if b is not None:
            if b.acked_at:
                run.acks.append(b.acked_at - b.sent_at)
            else:
                run.failed += 1
            run.retried += b.attempts > 1


async def bare_run(n: int, spread: float, questions: int = 1) -> dict[str, Any]:
    """The bare server holding the same streams, sending as many new questions as the app's run
    has polls (one broadcast is one sample of a noisy machine; the app's figure is over all)."""
    server = await spawn(str(ROOT / "benchmarks" / "bare_server.py"))
    stop = asyncio.Event()
    try:
        port = (await read_json(server))["port"]
        base = f"http://127.0.0.1:{port}"
        phones, streams, join_s = await start_room(base, "X", n, spread, stop)
        run = PollRun("single")
        for q in range(1, questions + 1):
            async with aiohttp.ClientSession() as s, s.post(base + f"/bench/broadcast?poll={q}") as r:
                at = float((await r.json())["at"])
            await wait_for(lambda q=q: all((q, 1) in p.seen for p in phones if p.joined), SEEN_WITHIN)
            await settle(phones, spread + 30)
            poll_figures(phones, (q, 1), at, run)
        await end_room(phones, streams, stop)
        return {"run": run, "join_s": join_s, "joined": sum(p.joined for p in phones), "questions": questions}
    finally:
        with contextlib.suppress(ProcessLookupError):
            server.terminate()
        await server.wait()


def pick_polls(path: Path, kinds: list[str]) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, kind FROM polls ORDER BY id").fetchall()
    finally:
        conn.close()
    return [next(pid for pid, kind in rows if kind == k) for k in kinds]


def check_file(path: Path, phones: list[Phone], keys: list[tuple[int, int]]) -> dict[str, int]:
    """Acknowledged ballots against the file: each exactly once, nothing counted twice."""
    acked = {b.uid for p in phones for b in p.ballots.values() if b.acked_at}
    sent = {b.uid for p in phones for b in p.ballots.values()}
    conn = sqlite3.connect(path)
    try:
        rows: list[tuple[str, str]] = []
        for poll_id, round_ in keys:
            rows += conn.execute("SELECT ballot_uid, voter FROM ballots WHERE poll_id = ? AND round = ?",
                                 (poll_id, round_)).fetchall()
    finally:
        conn.close()
    ours = [(uid, voter) for uid, voter in rows if uid in sent]
    uids = [uid for uid, _ in ours]
    return {"acked": len(acked), "stored": len(set(uids)), "acked_missing": len(acked - set(uids)),
            "stored_not_acked": len(set(uids) - acked), "duplicate_rows": len(uids) - len(set(uids)),
            "voters_twice": len(ours) - len({(voter, uid[:4]) for uid, voter in ours})}


async def app_run(n: int, spread: float, kinds: list[str], nofile: int, tmp: Path,
                  switch_ms: float = 0.0, server_only: bool = False) -> dict[str, Any]:
    path = tmp / f"room-{n}.vbpw"
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "vbp_workshop", "demo", str(path),
                                                stdout=asyncio.subprocess.DEVNULL)
    await proc.wait()
    poll_ids = pick_polls(path, kinds)
    log = tmp / f"room-{n}.log"
    extra = ["--switch-ms", str(switch_ms)] if switch_ms else []
    driver = "room_server.py" if server_only else "room_app.py"
    app = await spawn(str(ROOT / "benchmarks" / driver), str(path), *extra, nofile=nofile, log=log)
    stop = asyncio.Event()
    out: dict[str, Any] = {"polls": [], "app_nofile": nofile, "what": "server only, no GUI" if server_only else "app"}
    try:
        info = await read_json(app)
        peak = Peak(int(info["pid"]))
        peak.start()
        base = f"http://127.0.0.1:{info['port']}"
        phones, streams, join_s = await start_room(base, str(info["code"]), n, spread, stop)
        out.update(join_s=join_s, joined=sum(p.joined for p in phones),
                   join_errors=sorted({p.join_error for p in phones if not p.joined})[:3])
        out["streams_server"] = (await command(app, "mark")).get("streams", "?")
        keys = []
        for kind, poll_id in zip(kinds, poll_ids, strict=True):
            run = PollRun(kind)
            await command(app, "mark")
            opened = await command(app, f"open {poll_id}")
            if "error" in opened:
                run.error = opened["error"]
                run.missing = len(phones)
                out["polls"].append(run)
                continue
            key = (poll_id, int(opened["poll"]["round"]))
            run.to_live = float(opened["live_at"]) - float(opened["at"])
            keys.append(key)
            await wait_for(lambda k=key: all(k in p.seen for p in phones if p.joined), SEEN_WITHIN)
            await settle(phones, spread + 60)
            poll_figures(phones, key, float(opened["at"]), run)
            revealed = await command(app, "reveal")
            await wait_for(lambda pid=poll_id: all(pid in p.results for p in phones if p.joined), SEEN_WITHIN)
            run.clicks = max(float(opened["took"]), float(revealed.get("took", 0)))
            run.reveal = [p.results[poll_id] - revealed.get("at", 0) for p in phones if poll_id in p.results]
            run.reveal_missing = sum(p.joined and poll_id not in p.results for p in phones)
            run.stall = float((await command(app, "mark")).get("max_stall", "nan"))
            await command(app, "close")
            out["polls"].append(run)
        out["reconnects"] = sum(p.reconnects for p in phones)
        out["hwm_mb"] = psutil_hwm(int(info["pid"]))
        await end_room(phones, streams, stop)
        await command(app, "quit")
        try:
            await asyncio.wait_for(app.wait(), 60)
        except TimeoutError:
            out["error"] = "the app did not stop in 60 s"
            app.kill()
        peak.stop()
        out.update(rss_mb=peak.rss / 2**20, fds=peak.fds, file=check_file(path, phones, keys),
                   parts_mb={k: v / 2**20 for k, v in peak.parts.items()})
        out["log"] = log.read_text(errors="replace")[-600:]
        return out
    finally:
        if app.returncode is None:
            app.kill()
            await app.wait()


def psutil_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(n: int, bare: dict[str, Any], app: dict[str, Any], load: tuple[float, ...]) -> None:
    polls: list[PollRun] = app["polls"]
    b: PollRun = bare["run"]
    print(f"\n== {n} phones, streams held open; load average at start {load[0]:.1f} / {load[1]:.1f} "
          f"(2 cores shared with other work) ==")
    print(f"bare aiohttp: {bare['joined']} joined in {bare['join_s']:.1f} s; {bare['questions']} questions: "
          f"broadcast {ms(b.broadcast)}, "
          f"{b.missing} without it in {SEEN_WITHIN:.0f} s; ack {ms(b.acks)}, {b.failed} failed")
    print(f"{app['what']} (descriptor limit at start {app['app_nofile']}): {app['joined']} of {n} joined in "
          f"{app['join_s']:.1f} s {app['join_errors'] or ''}; server held {app['streams_server']} streams")
    for r in polls:
        if r.error:
            print(f"  {r.kind:<10} the poll could not be opened: {r.error}")
            continue
        print(f"  {r.kind:<10} broadcast {ms(r.broadcast)} (click to live state {1000 * r.to_live:.0f} ms), "
              f"{r.missing} without it; ack {ms(r.acks)}, "
              f"{r.failed} failed, {r.retried} retried; result shown {ms(r.reveal)} ({r.reveal_missing} without it); "
              f"GUI stall {1000 * r.stall:.0f} ms "
              f"(open/reveal click {1000 * r.clicks:.0f} ms)")
    every_b = [x for r in polls for x in r.broadcast]
    every_a = [x for r in polls for x in r.acks]
    f = app["file"]
    print(f"  all polls: broadcast {ms(every_b)}, missing {sum(r.missing for r in polls)}; "
          f"ack {ms(every_a)}, failed {sum(r.failed for r in polls)}")
    print(f"  file: {f['acked']} acknowledged, {f['stored']} stored; acknowledged but missing {f['acked_missing']}, "
          f"duplicate rows {f['duplicate_rows']}, a phone counted twice {f['voters_twice']}, "
          f"stored without an ack {f['stored_not_acked']}")
    parts = ", ".join(f"{k} {v:.0f} MB" for k, v in app.get("parts_mb", {}).items())
    print(f"  app peak memory {app['rss_mb']:.0f} MB ({parts}; GUI VmHWM {app['hwm_mb']:.0f} MB), "
          f"peak open descriptors {app['fds']}; longest GUI stall {1000 * max(r.stall for r in polls):.0f} ms; "
          f"stream reconnects {app['reconnects']}")
    if app.get("error") or "Error" in app.get("log", ""):
        print(f"  app trouble: {app.get('error', '')} {app['log'].strip()[-400:]}")
    bp, ap = pct(b.broadcast, 0.95), pct(every_b, 0.95)
    print(f"  broadcast p95: app {1000 * ap:.0f} ms vs bare {1000 * bp:.0f} ms -> ratio {ap / bp:.2f} "
          f"(goal <= 2); ack p95 app {1000 * pct(every_a, 0.95):.0f} ms vs bare {1000 * pct(b.acks, 0.95):.0f} ms")


async def main_async(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp())
    kinds = args.polls.split(",")
    for n in args.phones:
        load = os.getloadavg()
        bare = await bare_run(n, args.spread, len(kinds))
        app = await app_run(n, args.spread, kinds, args.app_nofile, tmp, args.switch_ms, args.server_only)
        report(n, bare, app, load)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phones", type=int, nargs="+", default=[500])
    ap.add_argument("--polls", default="single,agreement,multiple,scale,text")
    ap.add_argument("--spread", type=float, default=3.0, help="each phone votes within this many seconds")
    ap.add_argument("--switch-ms", type=float, default=0.0,
                    help="an experiment: the app's GIL switch interval (sys.setswitchinterval), in ms")
    ap.add_argument("--server-only", action="store_true",
                    help="the vote server and core operations without the GUI (benchmarks/room_server.py)")
    ap.add_argument("--app-nofile", type=int, default=1024, help="the app's descriptor limit at start")
    args = ap.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; descriptor limit here {hard}")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
