"""Schema 4: hand counts saved by earlier builds rewritten so that they count people, not hands.

Until 25 November 2026 the hand-count form saved multiple-choice, agreement and points polls
cell by cell, and the tally took each cell's weight as people:

- multiple choice (until 72d0170): one ballot per option, answer ``[i]``, weight = the hands
  for that option. Ten people raising 8 + 6 hands were 14 respondents.
- agreement (until 72d0170): one ballot per statement and level, answer ``{"s": level}``,
  weight = the hands at that level. Ten people rating two statements were 20 respondents.
- points (until eaae5ed): one ballot per option, answer ``{"i": points}``, weight 1. Thirty
  dots on three options were 3 respondents, whatever the number of people.

Today's form saves one ballot per group and count: the hands (or points) per option, or the
hands per statement and level, with the people as its weight. This upgrade turns each old count
into that ballot. One count is the ballots of one poll, round and group saved at the same moment
(``created_at``: the form stamped every cell of one count alike, to the millisecond); the first
ballot keeps its row and voter, the others are deleted.

The hands (points) per option and level are kept exactly. How many people gave them was never
saved, so the upgrade takes the fewest the hands prove, a bound no reading of the old count
can go below:

- multiple choice: the most hands any one option got (a person raises one hand per option at
  most). It is also the fewest the form accepts today, and keeps every share at 100 % or less.
- agreement: the most hands any one statement got (a person rates each statement once), the
  rule the agreement kind applies to today's grid.
- points: the points divided by the points each person had (the poll's budget), rounded up.

The old reading stays in the file: the old respondents are the sum of the entry's hands
(points: the number of options it names), so nothing the old rows said is lost.

Recognising an old count: a multiple-choice hand ballot whose answer is a list, and an agreement
hand ballot whose levels are numbers (not lists of hands), are only ever written by the old
form. A points count of one option is the same in both formats and is left as it is; a points
count of two or more ballots is old. A count with any ballot that does not read as the old form
wrote it (broken JSON, a level outside 1–5, a weight below 1) is left untouched, so one odd row
never changes another count or stops the file opening. Hidden ballots are left alone (they are
not counted). Files already at schema 4 are never read again by this upgrade.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

from vbp_workshop.core.model.poll import encode  # the canonical form today's ballots are saved in

BUDGET = 10  # a points poll's budget when its settings name none (as in schema 3's builds)

Row = tuple[int, Any, int]  # ballot id, its answer, its weight


def count_people(conn: sqlite3.Connection) -> None:
    """Rewrite every old-format hand count in the file (inside the caller's transaction)."""
    polls = {pid: (kind, _budget(settings)) for pid, kind, settings in conn.execute(
        "SELECT id, kind, settings FROM polls WHERE kind IN ('multiple', 'agreement', 'points')")}
    counts: dict[tuple[int, int, str, str], list[Row]] = {}
    for bid, pid, round_, grp, stamp, weight, answer in conn.execute(
            "SELECT id, poll_id, round, grp, created_at, weight, answer FROM ballots "
            "WHERE source = 'hand' AND hidden = 0 ORDER BY id"):
        if pid in polls:
            counts.setdefault((pid, round_, grp, stamp), []).append((bid, _json(answer), weight))
    for (pid, _round, _grp, _stamp), rows in counts.items():
        kind, budget = polls[pid]
        merged = _merge(kind, budget, rows)
        if merged is None:
            continue
        answer, people = merged
        first, *rest = (bid for bid, _, _ in rows)
        conn.execute("UPDATE ballots SET answer = ?, weight = ? WHERE id = ?", (encode(answer), people, first))
        conn.executemany("DELETE FROM ballots WHERE id = ?", [(bid,) for bid in rest])


def _merge(kind: str, budget: int, rows: list[Row]) -> tuple[dict[str, Any], int] | None:
    """One old count as today's answer and its people, or None if it is not an old count."""
    if not all(_whole(weight) and weight >= 1 for _, _, weight in rows):
        return None
    if kind == "multiple":
        if not all(isinstance(a, list) and a and all(_whole(i) and i >= 0 for i in a) for _, a, _ in rows):
            return None
        hands: dict[str, int] = {}
        for _, answer, weight in rows:
            for i in answer:
                hands[str(i)] = hands.get(str(i), 0) + weight
        return hands, max(hands.values())
    if kind == "agreement":
        if not all(_levels(a) for _, a, _ in rows):
            return None
        grid: dict[str, list[int]] = {}
        for _, answer, weight in rows:
            for statement, lvl in answer.items():
                grid.setdefault(str(statement), [0] * 5)[lvl - 1] += weight
        return grid, max(sum(row) for row in grid.values())
    if kind == "points":
        if len(rows) < 2 or not all(weight == 1 and _points(a) for _, a, weight in rows):
            return None
        totals: dict[str, int] = {}
        for _, answer, _ in rows:
            for option, points in answer.items():
                totals[str(option)] = totals.get(str(option), 0) + points
        return totals, max(1, math.ceil(sum(totals.values()) / budget))
    return None


def _levels(answer: Any) -> bool:
    """An old agreement cell: statements with one level 1–5 each (today's hold lists of hands)."""
    return isinstance(answer, dict) and bool(answer) and all(
        _index(k) and _whole(v) and 1 <= v <= 5 for k, v in answer.items())


def _points(answer: Any) -> bool:
    return isinstance(answer, dict) and bool(answer) and all(
        _index(k) and _whole(v) and v >= 0 for k, v in answer.items())


def _index(key: Any) -> bool:
    return isinstance(key, str) and key.isdigit()


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None  # never an old count: the count it belongs to is left as it is


def _budget(settings: str) -> int:
    try:
        value = json.loads(settings).get("budget", BUDGET)
        return max(1, int(value))
    except (TypeError, ValueError, AttributeError):
        return BUDGET


