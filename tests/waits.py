"""Waiting on a condition, not for a fixed time.

A fixed `sleep` before an assertion is either too short on a loaded machine (the test flakes) or
too long everywhere else (the suite crawls). These poll the condition until a deadline and fail
with a message saying what was awaited. A sleep that is itself the subject of a test (a phone
that is slow on purpose, a time window a rate limit must see pass) stays a sleep, with a comment.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 10, what: str = "", step: float = 0.02) -> float:
    """Seconds until `condition()` was true; AssertionError after `timeout` seconds."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"waited {timeout:g} s for {what or 'a condition'}")
        time.sleep(step)
    return time.monotonic() - start


async def until(condition: Callable[[], object], timeout: float = 10, what: str = "", step: float = 0.02) -> float:
    """`wait_until` for a coroutine: the event loop runs while it waits."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"waited {timeout:g} s for {what or 'a condition'}")
        await asyncio.sleep(step)
    return time.monotonic() - start
