"""Poll kinds as plug-ins: one module per kind, registered here by name.

Adding a kind: a module in this package with a `PollKind` subclass (`model.poll.PollKind`) and
`KIND = ThatKind()`, its name in `ORDER` below, a chart class for it in the UI
(`ui.polls.charts.CHARTS`), its block of the workbook (`workbook.kind_blocks.BLOCKS`), and their
tests (see docs/ARCHITECTURE.md). Importing this package registers every kind in `ORDER` with
the model (`model.poll.REGISTRY`), which the polls, the tallies and the phones ask; they hold
no per-kind rules of their own.
"""

from __future__ import annotations

from importlib import import_module

from vbp_workshop.core.model.poll import REGISTRY, PollKind, register

# The kinds in the order the poll editor lists them.
ORDER = ("single", "multiple", "agreement", "scale", "number", "ranking", "points", "matrix", "importance", "fist",
         "text")

for _name in ORDER:
    register(import_module(f"vbp_workshop.core.polls.kinds.{_name}").KIND)


class UnknownKind(KeyError):
    pass


def get(name: str) -> PollKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownKind(name) from None


__all__ = ["ORDER", "UnknownKind", "get"]
