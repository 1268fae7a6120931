"""A partnership over time: the design day, then the review day six months on, started from it.

A partnership is the workshop files that belong to it, not one file that holds every day: each
day stays a whole workshop in one file that can be copied, mailed or archived on its own (no link
to another file on a drive that may be gone), and the review day's file carries what it needs of
the days before it:

- everything the partners agreed (partners, participants, the ambition and goals, contributions,
  rules and roles, glossary and timeline, pilots with their evaluation plans, metrics and their
  actuals, the open actions) is carried over: nothing is typed twice;
- the repeated polls (`partnership_series` in the template: the trust pulse, readiness, the
  set-up time) of each earlier day are kept as anonymous ballots in `earlier_sessions`, so the
  review day compares its answers with the design day's, by group and sector, on screen, on the
  projector and in the workbook;
- what belonged to the design day itself (its polls and votes, phones, ideas, agenda, step
  statuses) is left behind, and the review day's agenda and polls come from the template.

Each file records the partnership's id and which kind of day it is in `meta`.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import Store, new_join_code
from vbp_workshop.core.model.changes import Edit, Insert, Update
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.core.steps.template import load_template

PARTNERSHIP = "partnership_uid"
SESSION = "session"  # "design" or "review"
SESSION_LABELS = {"design": "Design day", "review": "Review day"}
# What belonged to the day itself: not carried into the next.
DAY_TABLES = ("idea_supports", "ideas", "idea_activities", "ballots", "poll_rounds", "devices", "agenda")


@dataclass(frozen=True)
class Earlier:
    """One earlier day's answers to a repeated poll."""

    label: str  # "Design day, 24 Nov 2026"
    poll: Poll  # the poll as it was asked (kind, question, options, settings)
    ballots: list[dict[str, Any]]


def meta(store: Store, key: str) -> str:
    return str(store.scalar("SELECT value FROM meta WHERE key = ?", (key,)) or "")


def session_kind(store: Store) -> str:
    """'design' (any workshop not started as a review day) or 'review'."""
    return "review" if meta(store, SESSION) == "review" else "design"


def _label(kind: str, date: str) -> str:
    return f"{SESSION_LABELS.get(kind, 'Workshop')}, {date}" if date else SESSION_LABELS.get(kind, "Workshop")


def start_review_day(source: Store, path: Path | str, date: str = "", title: str = "") -> Store:
    """Create the review day's workshop file at `path` from the open `source` workshop (the
    design day, or an earlier review day) and open it. The source is not changed."""
    series = set(load_template()["partnership_series"])
    w = source.workshop()
    label = _label(session_kind(source), str(w.get("date") or ""))
    snapshot = []
    for p in queries.polls(source):
        if p.target in series:
            ballots = [{"answer": json.loads(b["answer"]), "grp": b["grp"], "source": b["source"],
                        "weight": b["weight"]} for b in queries.ballots(source, p.id, p.round) if not b["hidden"]]
            if ballots:
                snapshot.append((p, ballots))
    partnership = meta(source, PARTNERSHIP) or secrets.token_hex(16)
    source.save_copy(path)
    store = Store.open(path)
    try:
        with store.transaction() as conn:
            for table in DAY_TABLES:
                conn.execute(f"DELETE FROM {table}")
            conn.execute("UPDATE rules SET poll_id = NULL")
            conn.execute("DELETE FROM polls")
            conn.execute("DELETE FROM actions WHERE status != 'open'")
            conn.execute("UPDATE steps SET status = 'not_started', checklist = '[]' WHERE id = 5")
            for key, value in ((PARTNERSHIP, partnership), (SESSION, "review"),
                               # a new workshop to the phones: they keep nothing from the design day
                               ("workshop_uid", secrets.token_hex(16))):
                conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
            for p, ballots in snapshot:
                conn.execute(
                    "INSERT INTO earlier_sessions(session, date, target, kind, question, options, settings, ballots) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (label, str(w.get("date") or ""), p.target, p.kind, p.question,
                     json.dumps(list(p.options), ensure_ascii=False), json.dumps(p.settings, ensure_ascii=False),
                     json.dumps(ballots, ensure_ascii=False)))
        review = load_template()["review_day"]
        base = str(w.get("title") or "Partnership workshop").removesuffix(" — design day")
        edits: list[Edit] = [Update("workshop", 1, {"title": title or f"{base} — review day", "date": date,
                                                    "join_code": new_join_code()})]
        edits += [Insert("agenda", dict(item)) for item in review["agenda"]]
        edits += [new_poll_edit(p["step"], p["kind"], p["question"], p.get("options", []), p.get("settings", {}),
                                p.get("target", "")) for p in review["polls"]]
        store.apply(edits, origin="template")
    except BaseException:
        store.close()
        raise
    return store


def earlier(store: Store, target: str) -> list[Earlier]:
    """The earlier days' answers to the repeated poll `target`, oldest first."""
    if not target:
        return []
    out = []
    for r in store.rows("earlier_sessions", "target = ?", (target,), order="date, id"):
        poll = Poll(id=-r["id"], kind=r["kind"], question=r["question"], options=tuple(json.loads(r["options"])),
                    settings=json.loads(r["settings"]), state="closed", revealed=True, target=r["target"])
        ballots = [{**b, "answer": json.dumps(b["answer"]), "parsed": b["answer"]} for b in json.loads(r["ballots"])]
        out.append(Earlier(r["session"], poll, ballots))
    return out


def has_earlier(store: Store, poll: Poll) -> bool:
    """Whether an earlier day asked `poll` the same way: its kind and options only, without
    reading the earlier ballots (the panel asks on every redraw)."""
    if not poll.target:
        return False
    return any(r["kind"] == poll.kind and tuple(json.loads(r["options"])) == poll.options
               for r in store.conn.execute("SELECT kind, options FROM earlier_sessions WHERE target = ?",
                                           (poll.target,)))


def comparable(earlier_poll: Poll, poll: Poll) -> bool:
    """Whether two askings can be compared item by item: the same kind and the same options."""
    return earlier_poll.kind == poll.kind and earlier_poll.options == poll.options


def sessions(store: Store, poll: Poll) -> dict[str, Tally]:
    """Label -> tally for every earlier day that asked `poll` the same way, then this day's
    latest round ("Today"); {} when no earlier day did."""
    before = [e for e in earlier(store, poll.target) if comparable(e.poll, poll)]
    if not before:
        return {}
    out = {e.label: tally(e.poll, e.ballots) for e in before}
    out["Today"] = queries.round_tally(store, poll)
    return out
