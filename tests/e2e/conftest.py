from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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


__all__ = ["Room", "room"]
