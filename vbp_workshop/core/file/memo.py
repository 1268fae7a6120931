"""The export's bounded memo of poll rounds' ballots (`polls.queries.ballots_kept`)."""

from __future__ import annotations

from vbp_workshop.core.model.changes import Row


class BallotMemo:
    """Poll rounds' ballots (parsed) kept while one reader goes through a file nobody writes,
    up to `budget` ballots in all: past it the rounds read longest ago are dropped (and read
    again if asked for), so an export's memory does not grow with the number of votes."""

    def __init__(self, budget: int = 100_000) -> None:
        self.budget = budget
        self._rounds: dict[tuple[int, int], list[Row]] = {}  # oldest first (dicts keep order)
        self._held = 0

    def get(self, key: tuple[int, int]) -> list[Row] | None:
        rows = self._rounds.pop(key, None)
        if rows is not None:
            self._rounds[key] = rows  # read again: the newest
        return rows

    def __setitem__(self, key: tuple[int, int], rows: list[Row]) -> None:
        old = self._rounds.pop(key, None)
        self._held += len(rows) - (len(old) if old is not None else 0)
        self._rounds[key] = rows
        while self._held > self.budget and len(self._rounds) > 1:
            first = next(iter(self._rounds))
            self._held -= len(self._rounds.pop(first))

    def __len__(self) -> int:
        return self._held
