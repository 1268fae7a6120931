"""The process's open-file limit: raised at start, and the share of it event streams may use.

Every phone's event stream holds a descriptor for the whole session. macOS starts GUI apps with
a soft limit of 256 and many Linux desktops with 1,024, well below a hall of phones, while the
hard limit is usually far higher: the soft limit is raised to it at start. What is left after
start-up is shared out so that votes always have headroom: streams get what remains after a
reserve of a quarter of the limit (at least 64), and new streams beyond that are refused
with a clear message while ballots keep being accepted.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

try:
    import resource
except ImportError:  # pragma: no cover - Windows has no RLIMIT_NOFILE (its limit is far higher)
    resource = None  # type: ignore[assignment]

MACOS_OPEN_MAX = 10_240  # macOS refuses a soft limit above OPEN_MAX even when the hard limit is "unlimited"


def nofile() -> tuple[int, int]:
    """(soft, hard) limit on open files; (0, 0) where the platform has none."""
    if resource is None:
        return 0, 0
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def raise_nofile() -> int:
    """Raise the soft open-file limit as far as the hard limit allows; returns the soft limit."""
    if resource is None:
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    targets = [hard if hard != resource.RLIM_INFINITY else 1 << 20, MACOS_OPEN_MAX]
    for target in targets:
        if target <= soft:
            break
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            break
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_descriptors() -> int:
    """How many descriptors the process has open now (Linux and macOS; 0 if unknown)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        with contextlib.suppress(OSError):
            return sum(1 for _ in Path(folder).iterdir())
    return 0


def stream_budget(soft: int | None = None, in_use: int | None = None) -> int:
    """How many event streams may be open at once, keeping a reserve for votes and the app."""
    soft = nofile()[0] if soft is None else soft
    if soft <= 0 or soft == getattr(resource, "RLIM_INFINITY", -1):
        return 100_000
    in_use = open_descriptors() if in_use is None else in_use
    reserve = max(64, soft // 4)
    return max(0, soft - in_use - reserve)
