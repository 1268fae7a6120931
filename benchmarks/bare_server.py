"""The baseline for benchmarks/vote_server.py: a bare aiohttp endpoint speaking the same API
(join sets a cookie, state names an open poll, vote parses JSON and answers ok) with no
validation, no storage and no GUI. Prints {"port": N} when ready."""

from __future__ import annotations

import json
import secrets
import sys

from aiohttp import web


async def join(request: web.Request) -> web.Response:
    await request.json()
    r = web.json_response({"ok": True})
    r.set_cookie("vbp_device", secrets.token_urlsafe(32), httponly=True)
    return r


async def state(request: web.Request) -> web.Response:
    return web.json_response({"joined": True, "poll": {"id": 1, "round": 1, "kind": "single",
                                                       "options": ["A", "B", "C", "D"], "min": 0, "max": 10}})


async def vote(request: web.Request) -> web.Response:
    await request.json()
    return web.json_response({"ok": True, "replaced": False, "duplicate": False})


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 18950
    app = web.Application()
    app.router.add_post("/api/join", join)
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/vote", vote)
    print(json.dumps({"port": port}), flush=True)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
