"""Change records: the edits a batch is made of, and the record every screen hears after it.

Edits are plain records (Insert, Update, Delete) that the workshop file applies in one
transaction (`file.store.Store.apply`), returning the batch that undoes it. After each batch
the listeners get a `Changes`: the tables and rows touched, who started it (`Origin`) and, for
a live action or an intake drain, what happened (`Event`). Each screen decides whether to redraw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Insert:
    table: str
    values: Row


@dataclass(frozen=True)
class Update:
    table: str
    id: int
    values: Row


@dataclass(frozen=True)
class Delete:
    table: str
    id: int


Edit = Insert | Update | Delete


class Origin(StrEnum):
    """Who started a change (`Changes.origin`): screens may treat a vote from a phone (redraw the
    chart) differently from an edit the facilitator made (reload the lists)."""

    FACILITATOR = "facilitator"
    PHONE = "phone"
    IMPORT = "import"
    UNDO = "undo"
    REDO = "redo"
    LIVE = "live"  # open, close, reveal, new round, join code: committed at once, not undoable
    DEMO = "demo"  # the demo workshop being built


# The origins by their short names (members of `Origin`, so they compare equal to its strings).
FACILITATOR, PHONE, IMPORT, UNDO, REDO, LIVE = (Origin.FACILITATOR, Origin.PHONE, Origin.IMPORT, Origin.UNDO,
                                                Origin.REDO, Origin.LIVE)


class Event(StrEnum):
    """What a live action or an intake drain did (`Changes.event`)."""

    NONE = ""
    OPENED = "open"
    CLOSED = "close"
    REVEALED = "reveal"
    HIDDEN = "hide"
    NEW_ROUND = "round"
    JOIN_CODE = "join_code"
    VOTES = "votes"  # a drain of phone votes
    JOINED = "join"  # a drain of phones joining
    IDEAS = "ideas"  # a drain of phone ideas and supports
    IDEAS_OPEN = "ideas_open"  # an idea activity opened for the phones
    IDEAS_CLOSED = "ideas_closed"


# The live operations' events by their short names.
OPENED, CLOSED, REVEALED, HIDDEN, NEW_ROUND, JOIN_CODE = (Event.OPENED, Event.CLOSED, Event.REVEALED, Event.HIDDEN,
                                                          Event.NEW_ROUND, Event.JOIN_CODE)


@dataclass(frozen=True)
class Changes:
    """What an operation changed: the tables touched, the row ids, and who started it.

    `rows` holds (table, id) pairs, so a screen can tell "poll 7 changed" from "ballot 7".
    """

    tables: frozenset[str]
    origin: str = FACILITATOR
    rows: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    event: str = ""  # an `Event`: what a live operation did ("open", "close", "reveal", "votes", …)
    polls: frozenset[int] = field(default_factory=frozenset)  # polls whose answers came in (votes)

    def touches(self, *tables: str) -> bool:
        return bool(self.tables.intersection(tables))

    def ids_in(self, table: str) -> frozenset[int]:
        return frozenset(i for t, i in self.rows if t == table)

    @classmethod
    def of(cls, rows: Iterable[tuple[str, int]], origin: str, tables: Iterable[str] = (),
           event: str = "", polls: Iterable[int] = ()) -> Changes:
        rows = frozenset(rows)
        return cls(frozenset({t for t, _ in rows}.union(tables)), origin, rows, event, frozenset(polls))


def now_iso() -> str:
    """The time a record is stamped with: UTC, ISO 8601, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")
