"""Sectors: stakeholder groups rolled up into NHS, industry, patients and the wider system.

Two splits of a poll's ballots, both anonymous by the same rule (nobody is shown in a bucket
smaller than the workshop's smallest group size):

- by sector (`sector_ballots`): NHS, industry, patients and public, academia/policy/third
  sector; a sector too small to show merges into "other", which is withheld if still too small;
- by group, merging within the sector first (`group_ballots_in_sectors`): a small group joins
  the other small groups of its own sector ("NHS: other groups") when together they are large
  enough, so an NHS answer is never mixed with an industry one when the NHS side alone is big
  enough; only what is still too small goes into the cross-sector "other".
"""

from __future__ import annotations

from collections.abc import Sequence

from vbp_workshop.core.model.domain import NO_GROUP, OTHER_GROUP, SECTOR_LABELS, SECTOR_OF, SECTOR_REST
from vbp_workshop.core.model.tally import Ballot

# Labels for a sector split's buckets (the merged bucket as in the group split).
SPLIT_LABELS: dict[str, str] = {**SECTOR_LABELS, OTHER_GROUP: "Other (merged)"}


def sector_of(group: str | None) -> str:
    """The sector of a stakeholder group, or '' when the group is not given or unknown."""
    return SECTOR_OF.get(group or NO_GROUP, "")


def _size(bs: Sequence[Ballot]) -> int:
    return sum(int(b.get("weight", 1)) for b in bs)


def sector_ballots(ballots: Sequence[Ballot], min_size: int) -> dict[str, list[Ballot]]:
    """Ballots per sector; sectors below `min_size` (and unknown groups) merge into "other"."""
    sectors: dict[str, list[Ballot]] = {}
    for b in ballots:
        sectors.setdefault(sector_of(b.get("grp")), []).append(b)
    out: dict[str, list[Ballot]] = {}
    other: list[Ballot] = []
    for s in [*SECTOR_LABELS, ""]:
        bs = sectors.get(s, [])
        if s and _size(bs) >= min_size:
            out[s] = bs
        else:
            other.extend(bs)
    if other and _size(other) >= min_size:
        out[OTHER_GROUP] = other
    return out


def group_ballots_in_sectors(ballots: Sequence[Ballot], min_size: int) -> dict[str, list[Ballot]]:
    """Ballots per stakeholder group; small groups merge within their sector first, then into
    "other" (withheld when still below `min_size`, so the few in it are not singled out)."""
    groups: dict[str, list[Ballot]] = {}
    for b in ballots:
        groups.setdefault(b.get("grp") or NO_GROUP, []).append(b)
    out: dict[str, list[Ballot]] = {}
    rest: dict[str, list[Ballot]] = {}  # sector -> its small groups' ballots
    other: list[Ballot] = []
    for g, bs in sorted(groups.items()):
        sector = sector_of(g)
        if g in (NO_GROUP, OTHER_GROUP) or not sector:
            other.extend(bs)
        elif _size(bs) >= min_size:
            out[g] = bs
        else:
            rest.setdefault(sector, []).extend(bs)
    for sector, bs in rest.items():
        if _size(bs) >= min_size:
            out[SECTOR_REST[sector]] = bs
        else:
            other.extend(bs)
    if other and _size(other) >= min_size:
        out[OTHER_GROUP] = other
    return out
