"""One group, one vote: the result with every stakeholder group weighing the same.

A headline counts people. When one kind of partner sends many people (the demo's NHS providers
are 14 of its 32 voters), the room's result is largely theirs. Votes are anonymous and record
only the voter's stakeholder group, so the one-partner-one-vote view is taken at that level:
each group shown (after the small-group merging every result uses) weighs the same, however
many people it sent. Each ballot's weight is scaled by (people in the shown groups / number of
groups) / people in its group, so the groups' totals are equal and the total is unchanged; the
kind then tallies as usual. It is shown beside the per-person result, never instead of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors as group_ballots

EQUAL_LABEL = "Each group counted once"
EQUAL_RULE = ("each stakeholder group weighs the same however many people it sent (votes record the group, "
              "not the organisation; small groups merged as everywhere)")


def _people(bs: Sequence[Ballot]) -> float:
    return sum(float(b.get("weight", 1)) for b in bs)


def equal_group_tally(poll: Poll, ballots: Sequence[Ballot], min_size: int) -> Tally | None:
    """The round's tally with every shown group weighing the same; None when the poll keeps no
    groups, does not split by group, or fewer than two groups can be shown."""
    if not poll.keeps_groups or not poll.plugin.splits_by_group:
        return None
    shown = group_ballots(ballots, min_size)
    people = {g: _people(bs) for g, bs in shown.items()}
    groups = {g: bs for g, bs in shown.items() if people[g] > 0}
    if len(groups) < 2:
        return None
    total = sum(people[g] for g in groups)
    share = total / len(groups)
    # each group's head count once, not once per ballot (a 500-ballot round was 250,000 sums)
    weighted = [{**b, "weight": float(b.get("weight", 1)) * share / people[g]}
                for g, bs in groups.items() for b in bs]
    t = Tally(kind=poll.kind, labels=list(poll.options))
    t.respondents = round(total)
    t.by_source = {"groups": len(groups)}
    poll.plugin.tally(poll, weighted, t)
    return t


def equal_group_line(poll: Poll, per_person: Tally, equal: Tally | None) -> str:
    """'Each group counted once: B 75%, A 25% (per person: B 56%, A 44%)' — the split's measure
    (`PollKind.group_values`), its top three items — or '' when no group view exists or it
    reads the same as the per-person result (no value moves by 5 points of a share, or by a
    twentieth of the scale)."""
    if equal is None or not equal.respondents or not per_person.respondents:
        return ""
    kind = poll.plugin
    items = kind.group_items(poll)
    eq, pp = kind.group_values(equal, poll), kind.group_values(per_person, poll)
    pairs = [(i, e, q) for i, (e, q) in enumerate(zip(eq, pp, strict=False)) if e is not None and q is not None]
    if not pairs:
        return ""
    lo, hi = (0.0, 1.0) if kind.group_shares else kind.group_scale(poll)
    if max(abs(e - q) for _, e, q in pairs) < 0.05 * (hi - lo):
        return ""
    top = sorted(pairs, key=lambda x: -x[1])[:3]

    def show(v: float) -> str:
        return f"{v:.0%}" if kind.group_shares else f"{v:.1f}"

    def name(i: int) -> str:
        return items[i] if len(items) > 1 and i < len(items) else ""

    def line(which: int) -> str:
        return ", ".join(" ".join(x for x in (name(i), show(v[which])) if x) for i, *v in top)

    return f"{EQUAL_LABEL}: {line(0)} (per person: {line(1)})"
