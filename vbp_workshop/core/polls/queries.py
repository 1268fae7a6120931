"""Reading polls from the workshop file: polls, a round's ballots, its tallies (whole, per group,
per sector), the divergence ranking, what a phone may see of a result.

The edits that define polls and record hand counts are `operations.polls`; the live actions
(open, close, reveal, new round) are `operations.live`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from vbp_workshop.core.file.memo import BallotMemo
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import DEFAULT_MIN_GROUP
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.equal_groups import equal_group_tally
from vbp_workshop.core.polls.kinds.fist import objections
from vbp_workshop.core.polls.tally import divergence, headline, tally, tally_by_group, tally_by_sector


def get_poll(store: Store, poll_id: int) -> Poll:
    row = store.row("polls", poll_id)
    if row is None:
        raise KeyError(f"poll {poll_id} does not exist")
    return Poll.from_row(row)


def polls(store: Store, step: int | None = None) -> list[Poll]:
    rows = store.rows("polls", "step = ?", (step,)) if step is not None else store.rows("polls")
    return [Poll.from_row(r) for r in rows]


def ballots(store: Store, poll_id: int, round_: int) -> list[dict[str, Any]]:
    memo = store.ballot_memo
    if memo is None:
        return store.rows("ballots", "poll_id = ? AND round = ?", (poll_id, round_), order="id")
    rows = memo.get((poll_id, round_))
    if rows is None:
        rows = store.rows("ballots", "poll_id = ? AND round = ?", (poll_id, round_), order="id")
        for r in rows:
            r["parsed"] = json.loads(r["answer"])  # the tallies read it as it is (kinds.base.answer_of)
        memo[(poll_id, round_)] = rows
    return list(rows)


@contextlib.contextmanager
def ballots_kept(store: Store) -> Iterator[None]:
    """While one reader goes through a workshop that nothing writes meanwhile (an export, on its
    own snapshot), each poll round's ballots are read and parsed once, and tallied once whole,
    per group and per sector, however many sheets use them (results, sectors, divergence…).
    The tallies are shared: no reader changes a Tally. The ballots kept are bounded
    (`BallotMemo`): a workshop with more votes reads some rounds twice rather than hold them all."""
    store.ballot_memo = BallotMemo()
    store.tally_memo = {}
    try:
        yield
    finally:
        store.ballot_memo = None
        store.tally_memo = None


def _kept(store: Store, poll: Poll, round_: int, split: str, count: Callable[[], Any]) -> Any:
    memo = store.tally_memo
    if memo is None:
        return count()
    key = (poll.id, round_, split)
    if key not in memo:
        memo[key] = count()
    return memo[key]


def answer_count(store: Store, poll_id: int) -> int:
    """How many answers a poll holds in all its rounds (a hand count counts its hands)."""
    return int(store.scalar("SELECT COALESCE(SUM(weight), 0) FROM ballots WHERE poll_id = ?", (poll_id,)) or 0)



def round_tally(store: Store, poll: Poll, round_: int | None = None) -> Tally:
    r = round_ or poll.round
    t: Tally = _kept(store, poll, r, "all", lambda: tally(poll, ballots(store, poll.id, r)))
    return t


def joined_devices(store: Store) -> int:
    """How many phones have joined the workshop (the projector's "of N phones")."""
    return int(store.scalar("SELECT COUNT(*) FROM devices") or 0)


SITTING_GAP_H = 6  # phones quiet this long: the next start of voting is a new sitting (a new join code)


def last_phone_activity(store: Store) -> str:
    """When a phone last joined or voted in this workshop (ISO, UTC), or ""."""
    return str(store.scalar("SELECT MAX(t) FROM (SELECT MAX(joined_at) AS t FROM devices UNION ALL "
                            "SELECT MAX(updated_at) FROM ballots WHERE source = 'phone')") or "")


def same_sitting(store: Store, now: datetime | None = None, gap_h: float = SITTING_GAP_H) -> bool:
    """Is starting phone voting now part of the sitting the file last saw phones in (the app was
    quit or crashed at lunch)? Then the join code is kept: phones and the room's slide stay right."""
    last = last_phone_activity(store)
    if not last or not store.workshop().get("join_code"):
        return False
    try:
        then = datetime.fromisoformat(last)
    except ValueError:
        return False
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return timedelta(0) <= (now or datetime.now(UTC)) - then <= timedelta(hours=gap_h)


def min_group(store: Store) -> int:
    """The smallest stakeholder group shown on its own (the one rule: everything asks here)."""
    return int(store.workshop().get("min_group_size") or DEFAULT_MIN_GROUP)


def group_tallies(store: Store, poll: Poll, round_: int | None = None) -> dict[str, Tally]:
    if not poll.keeps_groups:
        return {}
    r = round_ or poll.round
    tallies: dict[str, Tally] = _kept(store, poll, r, "groups",
                                      lambda: tally_by_group(poll, ballots(store, poll.id, r), min_group(store)))
    return dict(tallies)  # the caller's own dict; the tallies are shared


def equal_tally(store: Store, poll: Poll, round_: int | None = None) -> Tally | None:
    """The round's result with every stakeholder group weighing the same (core/equal_groups.py)."""
    r = round_ or poll.round
    t: Tally | None = _kept(store, poll, r, "equal",
                            lambda: equal_group_tally(poll, ballots(store, poll.id, r), min_group(store)))
    return t


def sector_tallies(store: Store, poll: Poll, round_: int | None = None) -> dict[str, Tally]:
    """The round's result per sector (NHS, industry, patients, wider), merged as groups are."""
    if not poll.keeps_groups:
        return {}
    r = round_ or poll.round
    tallies: dict[str, Tally] = _kept(store, poll, r, "sectors",
                                      lambda: tally_by_sector(poll, ballots(store, poll.id, r), min_group(store)))
    return dict(tallies)


def divergence_ranking(store: Store) -> list[tuple[Poll, float, tuple[str, str] | None]]:
    """Polls ranked by how far apart the stakeholder groups answered (most first)."""
    out = []
    for poll in polls(store):
        if not poll.plugin.splits_by_group:
            continue
        d, pair = divergence(poll, group_tallies(store, poll))
        if pair:
            out.append((poll, d, pair))
    return sorted(out, key=lambda x: -x[1])


def consent_statement(store: Store, poll: Poll) -> str:
    """What a fist-to-five poll asks consent to, where its question does not say it: the one its
    editor names, else the rule it is linked to, else (step 1) the chosen ambition statement."""
    if poll.kind != "fist":
        return ""
    statement = str(poll.settings.get("statement") or "").strip()
    if not statement and poll.target.startswith("rule:"):
        rule = store.row("rules", int(poll.target.split(":", 1)[1]) if poll.target[5:].isdigit() else 0)
        statement = str((rule or {}).get("text") or "").strip()
    elif not statement and poll.step == 1:
        chosen = store.find("ambitions", chosen=1)
        statement = str(chosen[0]["text"]).strip() if chosen else ""
    return "" if statement and statement in poll.question else statement


def with_statement(store: Store, poll: Poll) -> Poll:
    """`poll` as the room sees it: a consent poll carries the statement it asks consent to."""
    statement = consent_statement(store, poll)
    if not statement or poll.settings.get("statement") == statement:
        return poll
    return replace(poll, settings={**poll.settings, "statement": statement})


def public_result(poll: Poll, t: Tally) -> dict[str, Any]:
    """The revealed result a phone may show: shares and means, never who answered."""
    return {"poll_id": poll.id, "kind": poll.kind, "respondents": t.respondents, "headline": headline(t),
            **poll.plugin.result(poll, t)}


def consent_summary(t: Tally) -> str:
    if not t.respondents:
        return ""
    verdict = "Adopted" if t.consensus else "Not adopted"
    detail = "nobody below 3" if t.consensus else objections(t)
    return f"{verdict} — {detail} (n={t.respondents}, mean {t.mean:.1f})"
