"""The baseline for the phone benchmarks: a bare aiohttp server speaking the same API (join sets a
cookie, state names an open poll, vote parses JSON and answers ok, an event stream per phone)
with no validation, no storage and no GUI. Prints {"port": N} when ready.

POST /bench/broadcast (benchmarks/room.py) puts one new state on every held stream and answers
the time.monotonic() at which it did, so the phones' arrival times can be compared with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import secrets
import sys
import time

from aiohttp import web

POLL = {"id": 1, "round": 1, "kind": "single", "question": "How should the steering group decide?",
        "options": ["A", "B", "C", "D"], "state": "open", "min": 0, "max": 10, "privacy": "Anonymous"}
STATE: dict[str, object] = {"version": 0, "poll": None, "closed_poll": None, "result": None}
WAKE: dict[str, asyncio.Event] = {}


async def join(request: web.Request) -> web.Response:
    await request.json()
    r = web.json_response({"ok": True})
    r.set_cookie("vbp_device", secrets.token_urlsafe(32), httponly=True)
    return r


async def state(request: web.Request) -> web.Response:
    return web.json_response({"joined": True, "poll": POLL})


async def vote(request: web.Request) -> web.Response:
    await request.json()
    return web.json_response({"ok": True, "replaced": False, "duplicate": False})


async def events(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    await response.prepare(request)
    try:
        while True:
            event = WAKE["event"]
            await response.write(f"data: {json.dumps(STATE)}\n\n".encode())
            await event.wait()
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


async def broadcast(request: web.Request) -> web.Response:
    # ?poll=N: a new question each time (room.py sends as many as the app's run has polls)
    poll = {**POLL, "id": int(request.query.get("poll", "1"))}
    STATE.update(version=int(STATE["version"]) + 1, poll=poll)  # type: ignore[call-overload]
    at = time.monotonic()
    event, WAKE["event"] = WAKE["event"], asyncio.Event()
    event.set()
    return web.json_response({"at": at})


async def serve(port: int) -> None:
    WAKE["event"] = asyncio.Event()
    app = web.Application()
    app.router.add_post("/api/join", join)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/vote", vote)
    app.router.add_get("/api/events", events)
    app.router.add_post("/bench/broadcast", broadcast)
    runner = web.AppRunner(app, access_log=None, handle_signals=True, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"port": bound}), flush=True)
    await asyncio.Event().wait()


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # a server holding streams needs it
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(port))


if __name__ == "__main__":
    main()
