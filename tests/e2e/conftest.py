from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.lossy_proxy import Faults, LossyProxy
from tests.conftest import IN_CI, need_tool
from tests.server.conftest import Room, room

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# tools/test.sh installs axe-core here (npm ci --prefix tools/axe), pinned by its lockfile.
AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Module scope: Playwright's sync API keeps an event loop marked running while it lives,
    # which would break asyncio.run() in the test modules that come after this one.
    path = need_tool("chromium", "chromium-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def new_phone(browser: object, width: int = 390, height: int = 844) -> object:
    """A page in a fresh context (its own cookies) at a phone's viewport."""
    context = browser.new_context(viewport={"width": width, "height": height},  # type: ignore[attr-defined]
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    return context.new_page()


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    page = new_phone(browser)
    yield page
    page.context.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script; locally a missing install skips, in CI (which installs it) it fails."""
    if AXE.is_file():
        return AXE.read_text("utf-8")
    message = f"axe-core is not installed at {AXE} (run: npm ci --prefix tools/axe)"
    if IN_CI:
        pytest.fail(message + ", but CI installs it: the test must run")
    pytest.skip(message)
    return ""


class ProxyThread:
    """The lossy proxy (benchmarks/lossy_proxy.py) between Chromium and the vote server, on its own
    event loop thread so a synchronous Playwright test can cut links and keep phones away."""

    def __init__(self, target_port: int, faults: Faults) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="lossy-proxy", daemon=True)
        self.thread.start()
        self.proxy = LossyProxy("127.0.0.1", target_port, faults)
        self.port = self._run(self.proxy.start())

    def _run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(15)

    def _call(self, fn: Callable[[], Any]) -> Any:
        async def call() -> Any:
            return fn()
        return self._run(call())

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def drop(self) -> int:
        """The Wi-Fi goes: every open link is reset and new ones are refused until back()."""
        def go() -> int:
            self.proxy.away = True
            return self.proxy.cut_all()
        return int(self._call(go))

    def back(self) -> None:
        self._call(lambda: setattr(self.proxy, "away", False))

    def stats(self) -> dict[str, int]:
        return dict(self._call(lambda: dict(self.proxy.stats)))

    def stop(self) -> None:
        self._run(self.proxy.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def lossy(room: Room) -> Iterator[Callable[[Faults], ProxyThread]]:
    made: list[ProxyThread] = []

    def make(faults: Faults) -> ProxyThread:
        made.append(ProxyThread(room.server.port, faults))
        return made[-1]

    yield make
    for p in made:
        p.stop()


__all__ = ["Faults", "Room", "room"]
