"""Bounded logging for the server: a burst of failures logs a line per interval, not a traceback each.

When descriptors run out, asyncio reports every failed accept() with a traceback, many times a
second (one client with 1,100 streams wrote 423 MB of log in four minutes). Here the loop's
exception handler and a filter on the aiohttp and asyncio loggers let one line through per
message per INTERVAL seconds, counting the ones held back.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

INTERVAL = 10.0
LOG = logging.getLogger("vbp_workshop.server")
NOISY = ("asyncio", "aiohttp.server", "aiohttp.web", "aiohttp.access", "aiohttp.internal")


class Throttle:
    """Says whether a message may be logged now, and how many like it were held back."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def allow(self, key: str) -> tuple[bool, int]:
        now = time.monotonic()
        with self._lock:
            if now - self._last.get(key, -self.interval) < self.interval:
                self.held[key] = self.held.get(key, 0) + 1
                return False, 0
            self._last[key] = now
            return True, self.held.pop(key, 0)


class ThrottleFilter(logging.Filter):
    def __init__(self, throttle: Throttle) -> None:
        super().__init__()
        self.throttle = throttle

    def filter(self, record: logging.LogRecord) -> bool:
        key = f"{record.name}:{record.msg}"
        ok, held = self.throttle.allow(key)
        if not ok:
            return False
        if record.exc_info and record.exc_info[1] is not None:  # one line: the error, not its traceback
            record.msg = f"{record.getMessage()}: {record.exc_info[1]!r}"
            record.args = ()
            record.exc_info = None
        if held:
            record.msg = f"{record.getMessage()} ({held} more like this held back)"
            record.args = ()
        return True


_throttle = Throttle()
_filter = ThrottleFilter(_throttle)


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Throttle the loop's exception reports and the noisy loggers (idempotent)."""

    def report(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", "error in the vote server"))
        exc = context.get("exception")
        ok, held = _throttle.allow("loop:" + message)
        if ok:
            more = f" ({held} more like this held back)" if held else ""
            LOG.warning("%s: %r%s", message, exc, more)

    loop.set_exception_handler(report)
    for name in NOISY:
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)
