"""Poll kinds as plug-ins: one module per kind, found here by name.

Adding a kind: a module in this package with a `PollKind` subclass and `KIND = ThatKind()`,
its name in `ORDER` below, a chart class for it in the UI, and their tests (see
docs/ARCHITECTURE.md). `polls`, `tally` and `pollops` ask this registry; they hold no
per-kind rules of their own.
"""

from __future__ import annotations

from importlib import import_module

from vbp_workshop.core.kinds.base import PollKind

# The kinds in the order the poll editor lists them.
ORDER = ("single", "multiple", "agreement", "scale", "number", "ranking", "points", "matrix", "importance", "fist",
         "text")

REGISTRY: dict[str, PollKind] = {
    name: import_module(f"vbp_workshop.core.kinds.{name}").KIND for name in ORDER
}


class UnknownKind(KeyError):
    pass


def get(name: str) -> PollKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownKind(name) from None


__all__ = ["ORDER", "REGISTRY", "PollKind", "UnknownKind", "get"]
