"""What a screen shows for one poll round, as one value: the tally, the group and sector splits,
the spreads, the divergence, each group counted once, and the lines in plain words beside them.

`round_result` computes it from the round's ballots, once; the poll panel, the projector and the
trust pulse only draw it (the GUI keeps one per round until its ballots change: `ui/session.py`).
`stored_result` reads the ballots from the file for it. The statistics are the other modules'
(`tally`, `sectors`, `spreads`, `equal_groups`); this one only puts them together and words them.

What depends on the poll's state rather than its ballots (whether the result is revealed, so
whether its reference is shown) is added when the line is drawn (`spread_line`, `room_note`,
`with_note` take the poll as it is now): opening, closing and revealing change no ballot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.equal_groups import equal_group_line, equal_group_tally
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
from vbp_workshop.core.polls.tally import divergence, tally, tally_by_group, tally_by_sector

SPREAD_LIMIT = 3  # polarised items named in the spread line before "and N more"


@dataclass(frozen=True)
class RoundResult:
    """One poll round's result and everything said beside it. Shared by every screen: do not
    change the tallies it holds.

    The tally, each group counted once and the spreads are computed with it: the plain chart and
    the projector's note show them on every draw. The group and the sector split are computed
    when first drawn, once (a split is on for a few rounds of a workshop, and each costs about
    what the tally does), from the same ballots (`ballots`, which nobody changes)."""

    poll: Poll  # as it was when computed (what the result depends on: kind, options, settings)
    round: int
    ballots: tuple[Ballot, ...] = field(repr=False, compare=False)
    min_group: int  # the smallest stakeholder group shown on its own
    tally: Tally
    # Each stakeholder group weighing the same (`polls.equal_groups`), and its line ("" when it
    # reads the same as the per-person result).
    equal: Tally | None
    equal_line: str
    # Each rated item's spread (polarisation, blockers, small n); () for kinds that count choices.
    spreads: tuple[ItemSpread, ...]
    spread_summary: str  # blockers, polarised items, the widest spread, small n (no reference)
    spread_details: str  # the figures behind it, one item a line

    @property
    def poll_id(self) -> int:
        return self.poll.id

    # -- per stakeholder group --------------------------------------------------------------

    @cached_property
    def groups(self) -> dict[str, Tally]:
        """Per stakeholder group, small groups merged (`polls.sectors`); {} when the poll keeps no
        groups."""
        return tally_by_group(self.poll, self.ballots, self.min_group) if self.poll.keeps_groups else {}

    @cached_property
    def _group_apart(self) -> tuple[float, tuple[str, str] | None]:
        return divergence(self.poll, self.groups)

    @property
    def group_divergence(self) -> float:
        """How far apart the furthest two groups answered, 0 (the same) to 1 (opposite)."""
        return self._group_apart[0]

    @property
    def group_pair(self) -> tuple[str, str] | None:
        """Those two groups, or None when fewer than two answered."""
        return self._group_apart[1]

    @property
    def group_line(self) -> str:
        """'Groups differ most: A and B, clearly apart' (the panel's group split)."""
        pair = self.group_pair
        if not pair:
            return "Too few respondents per group to compare."
        return (f"Groups differ most: {GROUP_LABELS.get(pair[0], pair[0])} and "
                f"{GROUP_LABELS.get(pair[1], pair[1])}, {apart_words(self.group_divergence)}")

    @property
    def group_details(self) -> str:
        """The figure behind the group line."""
        return divergence_details(self.group_divergence) if self.group_pair else ""

    # -- per sector ---------------------------------------------------------------------------

    @cached_property
    def sectors(self) -> dict[str, Tally]:
        """Per sector (NHS, industry, patients, wider; "other" merged, as groups are); {} when the
        poll keeps no groups."""
        return tally_by_sector(self.poll, self.ballots, self.min_group) if self.poll.keeps_groups else {}

    @property
    def sector_labels(self) -> dict[str, str]:
        return SPLIT_LABELS

    @cached_property
    def sector_pair(self) -> tuple[str, str] | None:
        """The two sectors furthest apart (the projector's line)."""
        return divergence(self.poll, self.sectors)[1]

    @cached_property
    def _nhs_industry(self) -> float | None:
        if "nhs" in self.sectors and "industry" in self.sectors:
            return divergence(self.poll, {k: self.sectors[k] for k in ("nhs", "industry")})[0]
        return None

    @property
    def sector_line(self) -> str:
        """The sector split's comparison line in plain words, NHS vs industry first."""
        d = self._nhs_industry
        if d is not None:
            line = f"NHS and industry: {apart_words(d)}"
        elif self.sectors:
            line = "NHS and industry: too few answers from one of them to compare."
        else:
            line = "Too few answers per sector to compare."
        small = [SPLIT_LABELS.get(k, k) for k, t in self.sectors.items() if small_n_note(t.respondents)]
        if small:
            line += f" · fewer than 5 in {', '.join(small)}: read with care"
        return line

    @property
    def sector_details(self) -> str:
        """The figures behind the sector line: the divergence and how many answered in each sector."""
        lines = []
        if self._nhs_industry is not None:
            lines.append(f"NHS vs industry: {divergence_details(self._nhs_industry)}")
        sizes = ", ".join(f"{SPLIT_LABELS.get(k, k)} {t.respondents}" for k, t in self.sectors.items())
        if sizes:
            lines.append(f"Answers: {sizes}")
        return "\n".join(lines)

    # -- the lines beside the plain result ------------------------------------------------------

    def spread_line(self, poll: Poll) -> str:
        """The facilitator's line under the chart: the spread summary, each group counted once,
        and the poll's reference (which the room sees after the reveal)."""
        line = " · ".join(x for x in (self.spread_summary, self.equal_line) if x)
        ref = reference(poll)
        if ref:
            shown = ref if poll.revealed else ref + " (shown to the room after the reveal)"
            line = " · ".join(x for x in (line, shown) if x)
        return line

    def room_note(self, poll: Poll, headline: str = "") -> str:
        """What the room must not miss beside the headline: blockers, a polarised room, few
        answers (blockers only when the headline does not already count them)."""
        parts = []
        blockers = sum(s.blockers or 0 for s in self.spreads)
        concerns = sum(s.concerns or 0 for s in self.spreads)
        if (blockers or concerns) and "No consensus" not in headline:
            parts.append(objection_words(blockers, concerns) + ": hear them")
        if any(s.polarised for s in self.spreads):
            parts.append("the room is split")
        n = max((s.n for s in self.spreads), default=self.tally.respondents)
        note = small_n_note(n)
        if note:
            parts.append(note.split(":")[0].lower())
        if self.equal_line:
            parts.append(self.equal_line)
        if poll.revealed and reference(poll):
            parts.append(reference(poll))
        return " · ".join(parts)

    def with_note(self, poll: Poll, headline: str) -> str:
        """The projector's headline with the room note after it (nothing said twice)."""
        note = self.room_note(poll, headline)
        return headline + (f"  ·  {note}" if note else "")


def reference(poll: Poll) -> str:
    """A poll's reference shown once the result is revealed (e.g. the survey's expectations)."""
    return str(poll.settings.get("reference") or "")


def round_result(poll: Poll, ballots: Sequence[Ballot], min_group: int, round_: int | None = None,
                 spreads: Sequence[ItemSpread] | None = None) -> RoundResult:
    """The result of `poll`'s round (`round_`, else its current one) from that round's ballots.

    `spreads`: the spreads computed for an earlier state of these ballots, to be used as they are
    (a screen may let the spread note trail a burst of votes; the tally and splits never do)."""
    t = tally(poll, ballots)
    equal = equal_group_tally(poll, ballots, min_group)
    if spreads is None:
        spreads = item_spreads(poll, ballots) if poll.plugin.splits_by_group else []
    return RoundResult(
        poll=poll, round=round_ or poll.round, ballots=tuple(ballots), min_group=min_group, tally=t,
        equal=equal, equal_line=equal_group_line(poll, t, equal),
        spreads=tuple(spreads), spread_summary=_spread_summary(spreads, t),
        spread_details="\n".join(f"{s.label}: {spread_text(s)} · n {s.n:g}" if s.label
                                 else f"{spread_text(s)} · n {s.n:g}" for s in spreads))


def stored_result(store: Store, poll: Poll, round_: int | None = None) -> RoundResult:
    """The result of a poll round from the ballots in the file."""
    r = round_ or poll.round
    return round_result(poll, queries.ballots(store, poll.id, r), queries.min_group(store), r)


def _spread_summary(items: Sequence[ItemSpread], t: Tally, limit: int = SPREAD_LIMIT) -> str:
    """Blockers, polarised items, the widest spread and small numbers, in plain words."""
    if not items:
        return small_n_note(t.respondents)
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
