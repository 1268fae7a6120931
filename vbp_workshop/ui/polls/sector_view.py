"""Texts the poll panel and the projector show beside a result: the sector split's comparison
line (NHS vs industry first) and the spread line (polarisation, blockers, small numbers).

Kept out of the panel and the projector so that they only call here (one line each). Ballots
come from the session's live cache (`Session.derived`), not the file, and each is computed once
per change of the ballots however many screens show it: the projector redraws on every drain of
the vote feed."""

from __future__ import annotations

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.equal_groups import equal_group_line
from vbp_workshop.core.polls.kinds.fist import objection_words
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.spreads import (
    ItemSpread,
    apart_words,
    divergence_details,
    item_spreads,
    small_n_note,
    spread_text,
    spread_words,
)
from vbp_workshop.core.polls.tally import divergence, tally_by_sector
from vbp_workshop.ui.session import Session

SPREAD_LAG_S = 0.5


def sector_split(session: Session, poll: Poll, round_: int | None = None
                 ) -> tuple[dict[str, Tally], dict[str, str], str]:
    """(tallies per sector, their labels, the comparison line in plain words) for a poll's round;
    `sector_details` gives the figures behind the line."""
    tallies = _sector_tallies(session, poll, round_)
    if "nhs" in tallies and "industry" in tallies:
        d, _pair = divergence(poll, {k: tallies[k] for k in ("nhs", "industry")})
        line = f"NHS and industry: {apart_words(d)}"
    elif tallies:
        line = "NHS and industry: too few answers from one of them to compare."
    else:
        line = "Too few answers per sector to compare."
    small = [SPLIT_LABELS.get(k, k) for k, t in tallies.items() if small_n_note(t.respondents)]
    if small:
        line += f" · fewer than 5 in {', '.join(small)}: read with care"
    return tallies, SPLIT_LABELS, line


def _sector_tallies(session: Session, poll: Poll, round_: int | None) -> dict[str, Tally]:
    if not poll.keeps_groups:
        return {}
    smallest = queries.min_group(session.store)
    return session.derived(poll, round_, "sectors", lambda ballots: tally_by_sector(poll, ballots, smallest))


def sector_details(session: Session, poll: Poll, round_: int | None = None) -> str:
    """The figures behind the sector line: the divergence and how many answered in each sector."""
    tallies = _sector_tallies(session, poll, round_)
    lines = []
    if "nhs" in tallies and "industry" in tallies:
        d, _pair = divergence(poll, {k: tallies[k] for k in ("nhs", "industry")})
        lines.append(f"NHS vs industry: {divergence_details(d)}")
    sizes = ", ".join(f"{SPLIT_LABELS.get(k, k)} {t.respondents}" for k, t in tallies.items())
    if sizes:
        lines.append(f"Answers: {sizes}")
    return "\n".join(lines)


def spreads(session: Session, poll: Poll, round_: int | None = None) -> list[ItemSpread]:
    if not poll.plugin.splits_by_group:
        return []
    # A note beside the chart: under a burst it may trail the votes by half a second (it costs as
    # much as the tally itself: measured 10 ms for 2,000 agreement ballots).
    return session.derived(poll, round_, "spreads", lambda ballots: item_spreads(poll, ballots), lag_s=SPREAD_LAG_S)


def reference(poll: Poll) -> str:
    """A poll's reference shown once the result is revealed (e.g. the survey's expectations)."""
    return str(poll.settings.get("reference") or "")


def equal_line(session: Session, poll: Poll, round_: int | None = None) -> str:
    """'Each group counted once: …' beside the per-person result, when it reads differently."""
    return equal_group_line(poll, session.round_tally(poll, round_), session.equal_tally(poll, round_))


def spread_line(session: Session, poll: Poll, round_: int | None = None, limit: int = 3) -> str:
    """The facilitator's line under the chart: blockers, polarised items, spread, small n, each
    group counted once, and the poll's reference (which the room sees after the reveal)."""
    line = " · ".join(x for x in (_spread_line(session, poll, round_, limit), equal_line(session, poll, round_)) if x)
    ref = reference(poll)
    if ref:
        shown = ref if poll.revealed else ref + " (shown to the room after the reveal)"
        line = " · ".join(x for x in (line, shown) if x)
    return line


def _spread_line(session: Session, poll: Poll, round_: int | None, limit: int) -> str:
    items = spreads(session, poll, round_)
    if not items:
        n = session.round_tally(poll, round_).respondents
        return small_n_note(n)
    if len(items) == 1:
        return spread_words(items[0])
    polarised = [s for s in items if s.polarised]
    parts = [f"The room is split on {', '.join(s.label for s in polarised[:limit])}"
             + (f" and {len(polarised) - limit} more" if len(polarised) > limit else "")] if polarised else []
    widest = max(items, key=lambda s: s.sd or 0)
    if widest.sd and widest not in polarised[:limit]:
        parts.append(f"views vary most on {widest.label}")
    blockers, concerns = sum(s.blockers or 0 for s in items), sum(s.concerns or 0 for s in items)
    if concerns:
        parts.insert(0, f"{concerns} with concerns: hear them")
    if blockers:
        parts.insert(0, f"{blockers} {'blocks' if blockers == 1 else 'block'}: hear why")
    note = small_n_note(max(s.n for s in items))
    if note:
        parts.append(note)
    return " · ".join(parts)


def spread_details(session: Session, poll: Poll, round_: int | None = None) -> str:
    """The figures behind the spread line, one item a line (for its tooltip): mean, standard
    deviation, the share at the ends of the scale, how many rated it."""
    return "\n".join(f"{s.label}: {spread_text(s)} · n {s.n:g}" if s.label else f"{spread_text(s)} · n {s.n:g}"
                     for s in spreads(session, poll, round_))


def with_note(session: Session, poll: Poll, headline: str) -> str:
    """The projector's headline with the room note after it (nothing said twice)."""
    note = room_note(session, poll, headline)
    return headline + (f"  ·  {note}" if note else "")


def room_note(session: Session, poll: Poll, headline: str = "") -> str:
    """What the room must not miss beside the headline: blockers, a polarised room, few answers
    (blockers only when the headline does not already count them)."""
    items = spreads(session, poll)
    parts = []
    blockers = sum(s.blockers or 0 for s in items)
    concerns = sum(s.concerns or 0 for s in items)
    if (blockers or concerns) and "No consensus" not in headline:
        parts.append(objection_words(blockers, concerns) + ": hear them")
    if any(s.polarised for s in items):
        parts.append("the room is split")
    n = max((s.n for s in items), default=session.round_tally(poll).respondents)
    note = small_n_note(n)
    if note:
        parts.append(note.split(":")[0].lower())
    equal = equal_line(session, poll)
    if equal:
        parts.append(equal)
    if poll.revealed and reference(poll):
        parts.append(reference(poll))
    return " · ".join(parts)
