"""The phone page's tests run on the engines phones use, through one small driver layer.

About half the phones in a UK room are iPhones (Safari is WebKit), most others Chrome
(Chromium); some run Firefox (Gecko). Each engine is driven as it can be on Debian:

- Chromium: Playwright with Debian's /usr/bin/chromium (as the other e2e tests);
- WebKit: Debian's `webkit2gtk-driver` (WebKitWebDriver, W3C WebDriver) through Selenium's
  WebKitGTK driver. WebKitGTK has no headless mode: it draws into a private Xvfb display, and a
  GTK style sheet lets its MiniBrowser window shrink to a phone's width;
- Gecko: Debian's firefox-esr, headless, over its Marionette protocol (`marionette-driver`;
  Debian has no geckodriver). A userChrome style sheet hides the toolbars and lets the window
  shrink to a phone's width.

A `Phone` opens a page, clicks, types, reads text, runs a script, waits for a condition and sets
the viewport; the tests are one body for every engine. Scripts are function bodies that read
their arguments from `arguments` (as WebDriver's execute script), on every engine.
An engine that is missing skips locally and fails in CI (CI installs all three).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need_tool

ENGINES = ("chromium", "webkit", "gecko")
PHONE = (390, 844)  # an iPhone 12-15's viewport in CSS pixels
MINIBROWSER = ("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
               "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser", "/usr/libexec/webkit2gtk-4.1/MiniBrowser")
# WebKitGTK's MiniBrowser window will not go below ~450 px wide with GTK's default theme.
GTK_CSS = "* { min-width: 0; min-height: 0; padding: 0; margin: 0; font-size: 3px; border-width: 0; }\n"
# Firefox's window will not go below 500 px wide with its toolbars; a phone has none.
USER_CHROME = (":root, #main-window, window { min-width: 0 !important; min-height: 0 !important; }\n"
               "#navigator-toolbox { display: none !important; }\n")


class Timeout(AssertionError):
    pass


class Phone:
    """One phone: a browser session of one engine (its own cookies and storage)."""

    name = ""

    # -- what each engine provides ---------------------------------------------------------------
    def open(self, url: str) -> None:
        raise NotImplementedError

    def js(self, body: str, *args: Any) -> Any:
        """Run a function body (it reads `arguments`) in the page; returns what it returns."""
        raise NotImplementedError

    def _elements(self, css: str) -> list[Any]:
        raise NotImplementedError

    def _click(self, element: Any) -> None:
        raise NotImplementedError

    def _type(self, element: Any, text: str) -> None:
        raise NotImplementedError

    def _text(self, element: Any) -> str:
        raise NotImplementedError

    def _attr(self, element: Any, name: str) -> str | None:
        raise NotImplementedError

    def _window(self, width: int, height: int) -> None:
        raise NotImplementedError

    def quit(self) -> None:
        raise NotImplementedError

    # -- one body for every engine ----------------------------------------------------------------
    def elements(self, css: str, text: str | None = None, attr: tuple[str, str] | None = None) -> list[Any]:
        found = self._elements(css)
        if text is not None:
            found = [e for e in found if self._text(e).strip() == text]
        if attr is not None:
            found = [e for e in found if self._attr(e, attr[0]) == attr[1]]
        return found

    def click(self, css: str, nth: int = 0, text: str | None = None, attr: tuple[str, str] | None = None) -> None:
        """Click the nth element matching (waiting for it to appear), as a finger would."""
        found: list[Any] = []

        def there() -> bool:
            found[:] = self.elements(css, text, attr)
            return len(found) > nth
        self.until(there, f"{css} #{nth} {text or ''} {attr or ''}")
        self._click(found[nth])

    def type(self, css: str, text: str) -> None:
        self.click(css)
        self._type(self.elements(css)[0], text)

    def text(self, css: str) -> str:
        found = self.elements(css)
        return self._text(found[0]) if found else ""

    def attr(self, css: str, name: str) -> str | None:
        found = self.elements(css)
        return self._attr(found[0], name) if found else None

    def until(self, check: Any, what: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while True:
            with contextlib.suppress(Exception):
                if check():
                    return
            if time.monotonic() > end:
                raise Timeout(f"{self.name}: waited {timeout:.0f} s for {what}")
            time.sleep(0.05)

    def wait(self, condition: str, *args: Any, timeout: float = 20) -> None:
        """Wait until a JavaScript expression (it may read `arguments`) is true in the page."""
        self.until(lambda: bool(self.js(f"return !!({condition});", *args)), condition, timeout)

    def viewport(self, width: int, height: int) -> tuple[int, int]:
        """Make the page's viewport width × height CSS pixels (the window's frame is measured)."""
        self._window(width, height)
        for _ in range(3):
            inner = self.js("return [window.innerWidth, window.innerHeight];")
            if inner == [width, height]:
                break
            rect = self.js("return [window.outerWidth, window.outerHeight];")
            self._window(width + rect[0] - inner[0], height + rect[1] - inner[1])
        inner = self.js("return [window.innerWidth, window.innerHeight];")
        return int(inner[0]), int(inner[1])

    def forget(self) -> None:
        """A new phone: no cookies, nothing kept (between tests sharing one browser)."""
        with contextlib.suppress(Exception):
            self.js("try { localStorage.clear(); } catch (e) {} return 1;")
        self._forget_cookies()

    def _forget_cookies(self) -> None:
        raise NotImplementedError


class ChromiumPhone(Phone):
    name = "chromium"

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        from .conftest import CHROMIUM_ARGS
        path = need_tool("chromium", "chromium-browser")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        self._context = self._browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]},
                                                  device_scale_factor=2, is_mobile=True, has_touch=True)
        self.page = self._context.new_page()

    def open(self, url: str) -> None:
        self.page.goto(url)

    def js(self, body: str, *args: Any) -> Any:
        return self.page.evaluate("(a) => (function () { " + body + " }).apply(null, a)", list(args))

    def _elements(self, css: str) -> list[Any]:
        return list(self.page.query_selector_all(css))

    def _click(self, element: Any) -> None:
        element.click()

    def _type(self, element: Any, text: str) -> None:
        element.fill(text)

    def _text(self, element: Any) -> str:
        return str(element.inner_text())

    def _attr(self, element: Any, name: str) -> str | None:
        value = element.get_attribute(name)
        return None if value is None else str(value)

    def _window(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})

    def viewport(self, width: int, height: int) -> tuple[int, int]:
        self._window(width, height)  # the page's own viewport: no window frame to measure
        size = self.page.viewport_size
        return int(size["width"]), int(size["height"])

    def _forget_cookies(self) -> None:
        self._context.clear_cookies()

    def quit(self) -> None:
        self._context.close()
        self._browser.close()
        self._pw.stop()


class WebDriverPhone(Phone):
    """Selenium's and Marionette's element calls are alike; the differences are in the subclasses."""

    driver: Any

    def _elements(self, css: str) -> list[Any]:
        return list(self.driver.find_elements("css selector", css))

    def _window(self, width: int, height: int) -> None:
        self.driver.set_window_rect(width=width, height=height)

    def _forget_cookies(self) -> None:
        self.driver.delete_all_cookies()

    def js(self, body: str, *args: Any) -> Any:
        return self.driver.execute_script(body, *args)

    def _click(self, element: Any) -> None:
        # Into view first, as a thumb scrolls (WebKitGTK's driver refuses an element below the fold).
        self.js("arguments[0].scrollIntoView({block: 'center'}); return 1;", element)
        element.click()

    def _type(self, element: Any, text: str) -> None:
        element.clear()
        element.send_keys(text)

    def _text(self, element: Any) -> str:
        return str(element.text)

    def _attr(self, element: Any, name: str) -> str | None:
        value = element.get_attribute(name)
        return None if value is None else str(value)


class WebKitPhone(WebDriverPhone):
    name = "webkit"

    def __init__(self) -> None:
        driver_bin = need_tool("WebKitWebDriver")
        browser = next((p for p in MINIBROWSER if Path(p).exists()), "")
        xvfb = need_tool("Xvfb")
        if not browser:
            need_tool("MiniBrowser")  # the message: WebKitGTK's browser is not installed
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self._tmp = tempfile.mkdtemp(prefix="vbp-webkit-")
        (Path(self._tmp) / "gtk-3.0").mkdir()
        (Path(self._tmp) / "gtk-3.0" / "gtk.css").write_text(GTK_CSS, "utf-8")
        self._xvfb, display = start_xvfb(xvfb)
        env = {**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": self._tmp}
        options = Options()
        options.binary_location = browser
        options.add_argument("--automation")
        try:
            with warnings.catch_warnings():  # Selenium's own WebKitGTK class uses a call it deprecates
                warnings.simplefilter("ignore", DeprecationWarning)
                self.driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=driver_bin, env=env))
        except Exception:
            self._xvfb.terminate()
            raise

    def open(self, url: str) -> None:
        self.driver.get(url)

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            self._xvfb.terminate()
            self._xvfb.wait(10)
            shutil.rmtree(self._tmp, ignore_errors=True)


class GeckoPhone(WebDriverPhone):
    name = "gecko"

    def __init__(self) -> None:
        firefox = need_tool("firefox-esr", "firefox")
        with warnings.catch_warnings():  # mozinfo (imported by marionette-driver) calls a deprecated distro function
            warnings.simplefilter("ignore", DeprecationWarning)
            from marionette_driver.marionette import Marionette

        self._tmp = tempfile.mkdtemp(prefix="vbp-gecko-")
        (Path(self._tmp) / "chrome").mkdir()
        (Path(self._tmp) / "chrome" / "userChrome.css").write_text(USER_CHROME, "utf-8")
        prefs = {"toolkit.legacyUserProfileCustomizations.stylesheets": True,
                 "browser.shell.checkDefaultBrowser": False, "datareporting.policy.dataSubmissionEnabled": False}
        self.driver = Marionette(bin=firefox, headless=True, host="127.0.0.1", port=free_port(),
                                 profile=self._tmp, prefs=prefs, startup_timeout=90, gecko_log=os.devnull)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self.driver.start_session()
        except Exception:
            self.driver.cleanup()
            raise

    def open(self, url: str) -> None:
        self.driver.navigate(url)

    def js(self, body: str, *args: Any) -> Any:
        return self.driver.execute_script(body, script_args=list(args), sandbox=None)

    def quit(self) -> None:
        try:
            self.driver.delete_session()
        finally:
            self.driver.cleanup()
            shutil.rmtree(self._tmp, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_xvfb(xvfb: str) -> tuple[subprocess.Popen[bytes], str]:
    """A private X display (its number chosen by Xvfb itself): returns the process and ":N"."""
    read, write = os.pipe()
    proc = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as r:
        number = r.readline().strip()
    if not number:
        proc.kill()
        raise OSError("Xvfb did not start")
    return proc, f":{number}"


MAKERS = {"chromium": ChromiumPhone, "webkit": WebKitPhone, "gecko": GeckoPhone}


@contextlib.contextmanager
def phone_on(engine: str) -> Iterator[Phone]:
    phone = MAKERS[engine]()
    try:
        got = phone.viewport(*PHONE)
        if got != PHONE:
            pytest.fail(f"{engine}: the viewport is {got[0]}×{got[1]}, not a phone's {PHONE[0]}×{PHONE[1]}")
        yield phone
    finally:
        phone.quit()
