"""What keeps one source address from stuffing or starving the room, and what the facilitator sees.

- New devices per address: a token bucket. A burst of JOIN_BURST lets a whole room behind one NAT
  (a hotel or conference router) join at once; after that JOIN_PER_S a second, a late trickle.
  At those figures a flood of 10,000 joins in 20 s from one address makes ~320 devices instead
  of 10,000, and the facilitator sees it. Joins with a device the server already knows are free.
- Event streams: a few per device (tabs), a cap per address, and a budget for the whole process
  taken from its descriptor limit with headroom kept for votes. A device opening one stream too
  many ends its oldest instead of being refused: after a Wi-Fi drop the server may not yet know
  the old stream is dead, and the phone's reconnect must win.
- The laptop itself (127.0.0.1, ::1) is exempt from the per-address caps: nothing on the network
  can send from it, and the load tests and benchmarks run there.

All counts live behind one lock: the GUI thread reads a snapshot while the server thread writes.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JOIN_BURST = 300.0
JOIN_PER_S = 1.0


@dataclass(frozen=True)
class Limits:
    join_burst: float = JOIN_BURST
    join_per_s: float = JOIN_PER_S
    streams_per_device: int = 3
    streams_per_address: int = 400
    stream_budget: int | None = None  # None: set from the descriptor limit when the server starts
    trusted: frozenset[str] = field(default_factory=lambda: frozenset({"127.0.0.1", "::1"}))


class TokenBuckets:
    """The server's one rate limiter: a token bucket per key (an address, a device). A key starts
    with `burst` tokens and regains `per_s` a second up to `burst`; each request takes one."""

    def __init__(self, burst: float, per_s: float) -> None:
        self.burst, self.per_s = burst, per_s
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when last counted)

    def take(self, key: str, now: float | None = None) -> bool:
        """Take a token for `key`: False (nothing taken) when it has none left."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_s)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True

    def empty(self, key: str) -> bool:
        """Whether `key` had no whole token left when last counted (a key never seen has all)."""
        tokens, _ = self._buckets.get(key, (self.burst, 0.0))
        return tokens < 1

    def __len__(self) -> int:
        return len(self._buckets)


class RoomGuard:
    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._joins_by_address = TokenBuckets(self.limits.join_burst, self.limits.join_per_s)
        self._devices: Counter[str] = Counter()  # new devices made per address
        self._streams_by_address: Counter[str] = Counter()
        self._streams_by_device: dict[str, list[Callable[[], None]]] = {}  # each stream's "end it"
        self._joins: deque[float] = deque()  # monotonic times of new devices in the last minute
        self.joins_total = 0
        self.refused: Counter[str] = Counter()
        self.streams = 0

    def _trusted(self, address: str) -> bool:
        return address in self.limits.trusted

    # -- joins ------------------------------------------------------------------------------------

    def may_add_device(self, address: str) -> bool:
        """Take one new-device token for `address`; False (and counted) when it has none left."""
        now = time.monotonic()
        with self._lock:
            if not self._trusted(address) and not self._joins_by_address.take(address, now):
                self.refused["join"] += 1
                return False
            self._devices[address] += 1
            self.joins_total += 1
            self._joins.append(now)
            return True

    # -- event streams ----------------------------------------------------------------------------

    def open_stream(self, address: str, device: str, end: Callable[[], None]) -> str | None:
        """Count a new stream in, or say why it is refused ("address" or "capacity").

        `end` stops this stream; it is called if the same device later opens one too many.
        """
        lim = self.limits
        with self._lock:
            mine = self._streams_by_device.setdefault(device, [])
            evict = mine[0] if len(mine) >= lim.streams_per_device else None
            reason = None
            if evict is None and lim.stream_budget is not None and self.streams >= lim.stream_budget:
                reason = "capacity"
            elif evict is None and not self._trusted(address) \
                    and self._streams_by_address[address] >= lim.streams_per_address:
                reason = "address"
            if reason:
                if not mine:
                    del self._streams_by_device[device]
                self.refused["stream_" + reason] += 1
                return reason
            if evict is not None:
                self.refused["stream_device"] += 1  # counted: a phone with many streams shows up
                mine.remove(evict)
            mine.append(end)
            self.streams += 1
            self._streams_by_address[address] += 1
        if evict is not None:
            evict()  # outside the lock: it may call close_stream
        return None

    def close_stream(self, address: str, device: str, end: Callable[[], None]) -> None:
        with self._lock:
            mine = self._streams_by_device.get(device, [])
            if end in mine:
                mine.remove(end)
            if not mine:
                self._streams_by_device.pop(device, None)
            self.streams -= 1
            self._streams_by_address[address] -= 1
            if self._streams_by_address[address] <= 0:
                del self._streams_by_address[address]

    def refuse(self, kind: str) -> None:
        with self._lock:
            self.refused[kind] += 1

    # -- what the facilitator sees ----------------------------------------------------------------

    def snapshot(self, top: int = 5) -> dict[str, Any]:
        """Joins in the last minute, devices per address (the busiest), refusals, open streams."""
        now = time.monotonic()
        with self._lock:
            while self._joins and self._joins[0] < now - 60:
                self._joins.popleft()
            return {
                "joins_last_min": len(self._joins),
                "joins_total": self.joins_total,
                "devices_by_address": self._devices.most_common(top),
                "addresses": len(self._devices),
                "refused": dict(self.refused),
                "open_streams": self.streams,
                # Phones following the room now (a phone with two tabs counts once): the projector's
                # "of N phones", never the phones that joined and have since left.
                "phones_connected": len(self._streams_by_device),
                "stream_budget": self.limits.stream_budget,
            }
