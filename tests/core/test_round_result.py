"""A round's result (`polls.round_result`) holds what the separate functions give for the round:
the tally, the group and sector splits, each group counted once, the spreads and the divergence,
and words them as the screens always have."""

from __future__ import annotations

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.equal_groups import equal_group_line
from vbp_workshop.core.polls.round_result import round_result, stored_result
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.spreads import apart_words, divergence_details, item_spreads, spread_text
from vbp_workshop.core.polls.tally import divergence


def test_the_result_holds_what_the_separate_functions_give_for_every_round(demo: Store) -> None:
    seen = {"groups": 0, "sectors": 0, "equal": 0, "spreads": 0}
    for poll in queries.polls(demo):
        for r in range(1, poll.round + 1):
            result = stored_result(demo, poll, r)
            assert (result.poll_id, result.round) == (poll.id, r)
            assert result.tally == queries.round_tally(demo, poll, r)
            groups = queries.group_tallies(demo, poll, r)
            sectors = queries.sector_tallies(demo, poll, r)
            assert result.groups == groups
            assert result.sectors == sectors
            assert result.equal == queries.equal_tally(demo, poll, r)
            assert (result.group_divergence, result.group_pair) == divergence(poll, groups)
            assert result.sector_pair == divergence(poll, sectors)[1]
            assert result.equal_line == equal_group_line(poll, result.tally, result.equal)
            ballots = queries.ballots(demo, poll.id, r)
            spreads = item_spreads(poll, ballots) if poll.plugin.splits_by_group else []
            assert list(result.spreads) == spreads
            assert result.spread_details == "\n".join(
                (f"{s.label}: " if s.label else "") + f"{spread_text(s)} · n {s.n:g}" for s in spreads)
            seen["groups"] += len(groups) > 1
            seen["sectors"] += {"nhs", "industry"} <= set(sectors)
            seen["equal"] += bool(result.equal_line)
            seen["spreads"] += bool(spreads)
    assert all(seen.values()), seen  # the demo has every part to compare


def test_the_lines_beside_the_splits_say_what_the_figures_say(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo) if p.kind == "single" and p.round == 1
                and {"nhs", "industry"} <= set(queries.sector_tallies(demo, p)))
    result = stored_result(demo, poll)
    sectors = queries.sector_tallies(demo, poll)
    d, _ = divergence(poll, {k: sectors[k] for k in ("nhs", "industry")})
    assert result.sector_line.startswith(f"NHS and industry: {apart_words(d)}")
    assert result.sector_details == (
        f"NHS vs industry: {divergence_details(d)}\nAnswers: "
        + ", ".join(f"{SPLIT_LABELS.get(k, k)} {t.respondents}" for k, t in sectors.items()))
    gd, pair = divergence(poll, queries.group_tallies(demo, poll))
    assert pair is not None
    a, b = pair
    assert result.group_line == (f"Groups differ most: {GROUP_LABELS.get(a, a)} and {GROUP_LABELS.get(b, b)}, "
                                 f"{apart_words(gd)}")
    assert result.group_details == divergence_details(gd)


def test_a_new_ballot_moves_every_part_and_given_spreads_are_kept_as_they_are(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo) if p.kind == "scale" and queries.ballots(demo, p.id, p.round))
    ballots = queries.ballots(demo, poll.id, poll.round)
    smallest = queries.min_group(demo)
    first = round_result(poll, ballots, smallest)
    one_more = [*ballots, {**ballots[0], "id": -1, "grp": "pharma", "parsed": 1, "weight": 1}]
    fresh = round_result(poll, one_more, smallest)
    assert fresh.tally.respondents == first.tally.respondents + 1
    assert fresh.spreads[0].n == first.spreads[0].n + 1
    assert sum(t.respondents for t in fresh.sectors.values()) == sum(t.respondents for t in first.sectors.values()) + 1
    trailing = round_result(poll, one_more, smallest, spreads=first.spreads)
    assert trailing.spreads == first.spreads and trailing.tally == fresh.tally
    assert trailing.sectors == fresh.sectors and trailing.groups == fresh.groups
