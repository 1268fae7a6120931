"""Bytes a phone downloads: Debian's Chromium (a phone viewport) joins the real vote server
through a byte-counting TCP proxy, answers one poll and sees its result; then the page is
opened again, as a phone that locks and comes back does (what the browser's cache saves).

    python benchmarks/phone_bytes.py

Counted on the wire (headers included) from the server to the phone, per step. The baseline in
the same run is the size of the page's files as stored (index.html + app.js + app.css).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.lossy_proxy import LossyProxy
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.server.runner import VoteServer

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def proxy_thread(port: int) -> tuple[LossyProxy, asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    proxy = LossyProxy("127.0.0.1", port)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(proxy.start())
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    ready.wait(10)
    return proxy, loop


def main() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp())
    store = build_demo(tmp / "d.vbpw")
    live = LiveState(store.workshop()["join_code"])
    writer = VoteWriter(store.path, live)
    writer.start()
    server = VoteServer(live, writer, store.path, host="127.0.0.1", port=18760)
    server.start()
    proxy, loop = proxy_thread(server.port)
    base = f"http://127.0.0.1:{proxy.port}"
    steps: list[tuple[str, int, int]] = []

    def mark(name: str) -> None:
        before = steps[-1][1] if steps else 0
        steps.append((name, proxy.stats["bytes_down"], proxy.stats["bytes_down"] - before))

    files = sum(len(resources.files("vbp_workshop").joinpath("resources", "phone", n).read_bytes())
                for n in ("index.html", "app.js", "app.css"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            page: Any = context.new_page()
            page.goto(f"{base}/?c={live.join_code}")
            page.wait_for_selector("#join:not([hidden])")
            mark("open the page (index.html, app.js, app.css, state)")
            page.select_option("#group", "provider")
            page.get_by_role("button", name="Join", exact=True).click()
            page.wait_for_selector("#wait:not([hidden])")
            page.wait_for_timeout(500)
            mark("join and open the event stream")
            poll = queries.get_poll(store, next(q.id for q in queries.polls(store) if q.kind == "single"))
            open_poll(store, live, poll.id)
            page.wait_for_selector("#poll:not([hidden])")
            page.wait_for_timeout(300)
            mark("the question arrives (a single-choice poll)")
            page.locator("#answer label.choice").nth(1).click()
            page.click("#send")
            page.wait_for_selector("#status.ok", timeout=5000)
            mark("send the answer, get the acknowledgement")
            reveal(store, live, poll.id, True)
            page.wait_for_timeout(800)
            mark("the result is revealed")
            page.reload()
            page.wait_for_selector("#poll:not([hidden]), #wait:not([hidden])")
            page.wait_for_timeout(500)
            mark("open the page again (the browser's cache)")
            browser.close()
    finally:
        loop.call_soon_threadsafe(loop.stop)
        server.stop()
        writer.stop()
        store.close()
    one_poll = sum(d for name, _t, d in steps[:5])
    print("Bytes from the server to one phone (on the wire, headers included):")
    for name, _total, delta in steps:
        print(f"  {delta:>8,} B  {name}")
    print(f"  {one_poll:>8,} B  join and take part in one poll (the first five steps)")
    print(f"baseline: the page's files as stored: {files:,} B; ratio {one_poll / files:.2f}")


if __name__ == "__main__":
    main()
