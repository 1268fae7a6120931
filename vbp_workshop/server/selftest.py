""""Test with my phone": a one-off page on the vote server that the facilitator opens with their
own phone (a test QR code), to learn before the room arrives whether phones reach the laptop.

GET /selftest/<token> serves a small page (its request reaching the laptop is itself the news);
its script (GET /selftest.js) times three request round trips from the phone (POST
/selftest/<token>/ping) and reports the fastest (POST /selftest/<token>/done). Each step is an
event on `SelfTests.events` (the vote server's process forwards them to the app): "page" when
the phone loaded the page, "done" with the round trip in ms. A token is good for one test and
ten minutes; it is made by the app (`expect`), never by a request.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from aiohttp import web

TOKEN_TTL_S = 600.0
NO_STORE = {"Cache-Control": "no-store"}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VBP Workshop — phone test</title></head>
<body><main>
<h1>Your phone reached the laptop.</h1>
<p id="detail">Measuring the connection…</p>
</main><script src="/selftest.js"></script></body></html>
"""

SCRIPT = """(async () => {
  const base = location.pathname.replace(/\\/+$/, "");
  const detail = document.getElementById("detail");
  try {
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const r = await fetch(base + "/ping", {method: "POST", cache: "no-store"});
      if (!r.ok) throw new Error("the laptop answered " + r.status);
      times.push(performance.now() - t);
    }
    const best = Math.max(1, Math.round(Math.min(...times)));
    await fetch(base + "/done", {method: "POST", cache: "no-store", headers: {"Content-Type": "application/json"},
                                 body: JSON.stringify({rtt_ms: best})});
    detail.textContent = "Round trip " + best + " ms. All good: look at the laptop, and close this page.";
  } catch (e) {
    detail.textContent = "The test could not finish (" + e.message + "). Look at the laptop for what to do.";
  }
})();
"""

KEY: web.AppKey[SelfTests] = web.AppKey("selftests")


class SelfTests:
    """The tokens the app expects, and what happened to them (thread-safe: the app's side adds
    tokens and reads events while the server's loop serves the pages)."""

    def __init__(self) -> None:
        self.events: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._expected: dict[str, tuple[float, float]] = {}  # token -> (made, page served or 0)

    def expect(self, token: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._expected = {t: v for t, v in self._expected.items() if now - v[0] < TOKEN_TTL_S}
            self._expected[token] = (now, 0.0)

    def _known(self, token: str) -> tuple[float, float] | None:
        with self._lock:
            found = self._expected.get(token)
            if found is not None and time.monotonic() - found[0] >= TOKEN_TTL_S:
                del self._expected[token]
                return None
            return found

    def served(self, token: str, remote: str, agent: str) -> bool:
        with self._lock:
            found = self._expected.get(token)
            if found is None or time.monotonic() - found[0] >= TOKEN_TTL_S:
                return False
            self._expected[token] = (found[0], time.monotonic())
        self.events.put({"token": token, "stage": "page", "remote": remote, "agent": agent[:200]})
        return True

    def done(self, token: str, rtt_ms: int) -> bool:
        with self._lock:
            found = self._expected.pop(token, None)
        if found is None:
            return False
        page_ms = round(1000 * (time.monotonic() - found[1])) if found[1] else 0
        self.events.put({"token": token, "stage": "done", "rtt_ms": rtt_ms, "page_to_done_ms": page_ms})
        return True


def _gone() -> web.Response:
    return web.Response(status=404, text="This phone test is over or unknown: scan the test code on the "
                                         "laptop's screen again.", headers=NO_STORE)


async def page(request: web.Request) -> web.Response:
    tests = request.app[KEY]
    if not tests.served(request.match_info["token"], request.remote or "", request.headers.get("User-Agent", "")):
        return _gone()
    return web.Response(text=PAGE, content_type="text/html", charset="utf-8", headers=NO_STORE)


async def script(_request: web.Request) -> web.Response:
    return web.Response(text=SCRIPT, content_type="application/javascript", charset="utf-8", headers=NO_STORE)


async def ping(request: web.Request) -> web.Response:
    if request.app[KEY]._known(request.match_info["token"]) is None:
        return _gone()
    return web.Response(status=204, headers=NO_STORE)


async def done(request: web.Request) -> web.Response:
    try:
        data = json.loads((await request.read()).decode("utf-8"))
        rtt = int(data["rtt_ms"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return web.json_response({"ok": False, "error": "Send the round trip."}, status=400, headers=NO_STORE)
    if not 0 <= rtt <= 120_000 or not request.app[KEY].done(request.match_info["token"], rtt):
        return _gone()
    return web.json_response({"ok": True}, headers=NO_STORE)


def add_routes(app: web.Application) -> None:
    app[KEY] = SelfTests()
    app.router.add_get("/selftest.js", script)
    app.router.add_get("/selftest/{token:[A-Za-z0-9_-]{8,64}}", page)
    app.router.add_post("/selftest/{token:[A-Za-z0-9_-]{8,64}}/ping", ping)
    app.router.add_post("/selftest/{token:[A-Za-z0-9_-]{8,64}}/done", done)
