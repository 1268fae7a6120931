"""Tallies for every poll kind, groups, divergence, and ballot validation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vbp_workshop.core.model.poll import BallotError, Poll, encode, validate
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls.kinds import ORDER
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors as group_ballots
from vbp_workshop.core.polls.tally import divergence, headline, tally, tally_by_group


def poll(kind: str, options: tuple[str, ...] = ("A", "B", "C"), **settings: Any) -> Poll:
    return Poll(id=1, kind=kind, question="Q?", options=options, settings=settings, state="open")


def b(answer: Any, grp: str = "", source: str = "phone", weight: int = 1, hidden: int = 0) -> dict[str, Any]:
    return {"answer": encode(answer), "grp": grp, "source": source, "weight": weight, "hidden": hidden}


@pytest.mark.parametrize("kind", ORDER)  # every registered kind
def test_no_votes_gives_an_empty_tally(kind: str) -> None:
    t = tally(poll(kind), [])
    assert t.respondents == 0
    assert headline(t) == "No answers yet."
    assert t.mean is None and t.consensus is None


def test_single_choice_counts_percentages_and_a_tie() -> None:
    t = tally(poll("single"), [b(0), b(1), b(0), b(1)])
    assert t.counts == [2, 2, 0]
    assert t.percents == [50, 50, 0]


def test_multiple_choice_counts_each_pick() -> None:
    t = tally(poll("multiple", max_choices=2), [b([0, 1]), b([1]), b([1, 2])])
    assert t.counts == [1, 3, 1]
    assert t.respondents == 3


def test_agreement_distribution_mean_and_share_agreeing() -> None:
    t = tally(poll("agreement", ("S1", "S2")), [b({"0": 5, "1": 1}), b({"0": 4}), b({"0": 2, "1": 3})])
    assert t.distribution[0] == [0, 1, 0, 1, 1]
    assert t.means[0] == pytest.approx(11 / 3)
    assert t.share_agreeing[0] == pytest.approx(200 / 3)
    assert t.distribution[1] == [1, 0, 1, 0, 0]
    assert t.share_agreeing[1] == 0


def test_scale_mean_and_median_including_an_even_count() -> None:
    t = tally(poll("scale", (), min=0, max=10), [b(2), b(4), b(9), b(10)])
    assert t.mean == pytest.approx(6.25)
    assert t.median == pytest.approx(6.5)
    assert t.levels == list(range(11))
    assert t.counts[9] == 1


def test_ranking_borda_with_a_partial_ranking() -> None:
    # 3 options: first place earns 2, second 1, third 0; unranked earn nothing.
    t = tally(poll("ranking"), [b([0, 1, 2]), b([2]), b([1, 0])])
    assert t.counts == [2 + 0 + 1, 1 + 0 + 2, 0 + 2 + 0]
    assert t.distribution[2] == [1, 0, 1]  # C was first once and third once


def test_points_totals_and_over_budget_refused() -> None:
    p = poll("points", budget=10)
    t = tally(p, [b({"0": 6, "1": 4}), b({"2": 10})])
    assert t.counts == [6, 4, 10]
    with pytest.raises(BallotError, match="budget is 10"):
        validate(p, {"0": 8, "1": 5})
    assert validate(p, {"0": 8, "1": 5}, hand=True) == {"0": 8, "1": 5}


def test_matrix_mean_position_and_spread() -> None:
    t = tally(poll("matrix", ("P1", "P2"), min=1, max=5), [b({"0": [1, 5]}), b({"0": [3, 3]})])
    assert t.points[0] == (2.0, 4.0)
    assert t.spreads[0] == pytest.approx(1.0)
    assert t.points[1] is None


def test_importance_satisfaction_gap() -> None:
    t = tally(poll("importance", ("Trust",)), [b({"0": [5, 2]}), b({"0": [4, 2]})])
    assert t.points[0] == (4.5, 2.0)
    assert t.means[0] == pytest.approx(2.5)


def test_fist_to_five_consensus_rule() -> None:
    p = poll("fist", ())
    assert tally(p, [b(3), b(5), b(4)]).consensus is True
    no = tally(p, [b(3), b(2), b(0), b(5)])
    assert no.consensus is False and no.below_three == 2
    assert "No consensus: 1 block, 1 with concerns" in headline(no)


def test_open_text_lists_answers_hides_moderated_and_counts_words() -> None:
    t = tally(poll("text", ()), [b("Fewer heart attacks"), b("heart health for all"), b("spam", hidden=1)])
    assert [a for _, a in t.answers] == ["Fewer heart attacks", "heart health for all"]
    assert t.words[0] == ("heart", 2)


def test_hand_counts_and_phone_votes_add_up_and_are_told_apart() -> None:
    t = tally(poll("single"), [b(0), b(1), b(1, source="hand", weight=12)])
    assert t.counts == [1, 13, 0]
    assert t.by_source == {"phone": 2, "hand": 12}
    assert t.respondents == 14


def _hands(p: Poll, entries: list[tuple[str, Any, int]]) -> list[dict[str, Any]]:
    """The ballots the panel records for hand counts (hand_count_edits)."""
    from vbp_workshop.core.operations.polls import hand_count_edits

    return [e.values for e in hand_count_edits(p, 1, entries)]  # type: ignore[union-attr]


def _hand_tally(p: Poll, entries: list[tuple[str, Any, int]]) -> Any:
    return tally(p, _hands(p, entries))


def test_a_multiple_choice_hand_count_counts_the_people_who_voted_not_the_hands() -> None:
    # 10 people voted and raised 8 + 6 hands: 10 respondents (was 14, one per hand).
    t = _hand_tally(poll("multiple", max_choices=2), [("payer", {"0": 8, "1": 6}, 10)])
    assert t.respondents == 10 and t.by_source == {"hand": 10}
    assert t.counts == [8, 6, 0] and t.percents == [80, 60, 0]
    multi = poll("multiple", max_choices=2)
    with_phones = tally(multi, [*_hands(multi, [("", {"0": 8, "1": 6}, 10)]), b([0, 2]), b([1])])
    assert with_phones.respondents == 12 and with_phones.counts == [9, 7, 1]


def test_a_multiple_choice_hand_count_refuses_fewer_people_than_hands_for_one_option() -> None:
    with pytest.raises(BallotError, match="only 5 people"):
        _hand_tally(poll("multiple"), [("", {"0": 8}, 5)])
    with pytest.raises(BallotError, match="how many people"):
        _hand_tally(poll("multiple"), [("", {"0": 8}, 0)])


def test_an_agreement_hand_count_counts_people_as_the_most_hands_on_one_statement() -> None:
    # 10 people rate S1 (hands 0,1,2,3,4); 8 of them rate S2, 2 sit it out: 10 people (was 18).
    t = _hand_tally(poll("agreement", ("S1", "S2")), [("", {"0": [0, 1, 2, 3, 4], "1": [0, 0, 0, 5, 3]}, 0)])
    assert t.respondents == 10
    assert t.distribution == [[0, 1, 2, 3, 4], [0, 0, 0, 5, 3]]
    assert t.share_agreeing == [pytest.approx(70), pytest.approx(100)]
    assert t.means[0] == pytest.approx((2 + 6 + 12 + 20) / 10)
    with pytest.raises(BallotError, match="five levels"):
        _hand_tally(poll("agreement", ("S1",)), [("", {"0": [1, 2]}, 1)])


def test_rounds_are_tallied_separately(store) -> None:
    """Each round's tally reads only that round's ballots from the file."""
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.polls import queries

    back = store.apply([new_poll_edit(1, "single", "Which?", ["A", "B", "C"])])
    pid = back[0].id
    store.apply([Insert("ballots", {"poll_id": pid, "round": r, "voter": f"v{r}-{i}", "answer": encode(a)})
                 for r, answers in ((1, [0, 0, 1]), (2, [1, 1, 1, 2])) for i, a in enumerate(answers)])
    poll = queries.get_poll(store, pid)
    assert queries.round_tally(store, poll, 1).counts == [2, 1, 0]
    assert queries.round_tally(store, poll, 2).counts == [0, 3, 1]
    assert queries.round_tally(store, poll, 2).respondents == 4


@pytest.mark.parametrize(("privacy", "split"), [("anonymous", True), ("anonymous_nogroup", False)])
def test_a_poll_anonymous_with_no_group_is_never_split(store, privacy: str, split: bool) -> None:
    from vbp_workshop.core.model.changes import Insert, Update
    from vbp_workshop.core.polls import queries

    pid = store.apply([new_poll_edit(1, "single", "Which?", ["A", "B"])])[0].id
    store.apply([Update("polls", pid, {"privacy": privacy})])
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": f"v{i}", "grp": grp, "answer": encode(a)})
                 for i, (grp, a) in enumerate([("provider", 0)] * 4 + [("pharma", 1)] * 4)])
    poll = queries.get_poll(store, pid)
    assert poll.keeps_groups is split
    assert set(queries.group_tallies(store, poll)) == ({"provider", "pharma"} if split else set())
    assert set(queries.sector_tallies(store, poll)) == ({"nhs", "industry"} if split else set())


def test_small_groups_merge_into_other_and_a_tiny_other_is_left_out() -> None:
    ballots = [b(0, "provider")] * 4 + [b(1, "pharma")] * 3 + [b(1, "patient")] * 2
    groups = group_ballots(ballots, min_size=3)
    assert set(groups) == {"provider", "pharma"}  # 2 patients: merged to other (2 < 3), left out
    groups = group_ballots([*ballots, b(0, "payer")], min_size=3)
    assert set(groups) == {"provider", "pharma", "other"}  # patients + payer = 3
    assert len(groups["other"]) == 3


def test_divergence_is_zero_for_the_same_answers_and_ranks_disagreement() -> None:
    p = poll("single")
    same = tally_by_group(p, [b(0, "provider")] * 3 + [b(0, "pharma")] * 3, 3)
    assert divergence(p, same) == (0.0, ("pharma", "provider"))
    apart = tally_by_group(p, [b(0, "provider")] * 3 + [b(1, "pharma")] * 3, 3)
    assert divergence(p, apart)[0] == 1.0
    half = tally_by_group(p, [b(0, "provider")] * 4 + [b(0, "pharma")] * 2 + [b(1, "pharma")] * 2, 3)
    assert divergence(p, half)[0] == pytest.approx(0.5)


def test_divergence_on_means_is_scaled_to_the_answer_range() -> None:
    p = poll("agreement", ("S",))
    t = tally_by_group(p, [b({"0": 5}, "provider")] * 3 + [b({"0": 3}, "pharma")] * 3, 3)
    assert divergence(p, t)[0] == pytest.approx(0.5)


@pytest.mark.parametrize(("kind", "answer", "message"), [
    ("single", 7, "not on this poll"), ("single", "0", "not on this poll"), ("single", True, "not on this poll"),
    ("multiple", [0, 0], "once"), ("multiple", [], "at least one"), ("multiple", [0, 1, 2], "at most 2"),
    ("scale", 11, "0 to 10"), ("scale", 2.5, "whole number"), ("fist", 6, "0 to 5"),
    ("agreement", {"0": 6}, "1 to 5"), ("agreement", {"9": 3}, "not on this poll"), ("agreement", {}, "at least one"),
    ("ranking", [1, 1], "once"), ("points", {"0": 0}, "at least one point"), ("points", {"x": 1}, "not on this poll"),
    ("matrix", {"0": [1]}, "two values"), ("matrix", {"0": [0, 9]}, "1 to 5"),
    ("text", "   ", "Write an answer"), ("text", "x" * 281, "under 280"), ("text", 5, "Write an answer"),
])
def test_bad_answers_are_refused_with_a_message(kind: str, answer: Any, message: str) -> None:
    p = poll(kind, max_choices=2, min=1 if kind == "matrix" else 0, max=5 if kind == "matrix" else 10)
    with pytest.raises(BallotError, match=message):
        validate(p, answer)


def test_answers_are_stored_canonically() -> None:
    p = poll("agreement")
    assert encode(validate(p, {"2": 4, "0": 1})) == json.dumps({"0": 1, "2": 4}, separators=(",", ":"))
    assert validate(poll("text", ()), "  two   words ") == "two words"


def test_a_ballot_without_source_or_weight_is_one_phone_answer() -> None:
    bare = [{"answer": encode(0), "grp": "payer"}, {"answer": encode(1), "grp": "payer"},
            {"answer": encode(1), "grp": "payer"}]
    t = tally(poll("single"), bare)
    assert (t.respondents, t.by_source, t.counts) == (3, {"phone": 3}, [1, 2, 0])
    assert set(group_ballots(bare, min_size=3)) == {"payer"}
    assert set(group_ballots(bare[:2] + [{"answer": encode(0), "grp": "nhs"}] * 2, min_size=3)) == {"other"}


def test_shares_are_compared_as_total_variation_not_the_largest_gap() -> None:
    p = poll("single", ("A", "B", "C", "D"))
    groups = {"x": tally(p, [b(0), b(1)]), "y": tally(p, [b(2), b(3)])}
    assert divergence(p, groups) == (1.0, ("x", "y"))  # no answer in common; the largest gap is 0.5


def test_open_text_has_no_divergence() -> None:
    p = poll("text", ())
    assert divergence(p, {"x": tally(p, [b("a")]), "y": tally(p, [b("b")])}) == (0.0, None)


def test_a_tally_of_a_kind_this_version_does_not_know_reads_as_its_number_of_answers() -> None:
    t = tally(poll("no-such-kind"), [b(0), b(1), b(0, source="hand", weight=2)])
    assert (t.respondents, t.by_source) == (4, {"phone": 2, "hand": 2})
    assert headline(t) == "4 answers"


def test_divergence_names_the_first_pair_in_name_order_when_two_pairs_are_as_far_apart() -> None:
    p = poll("single", ("A", "B"))
    groups = {g: tally(p, [b(answer)]) for g, answer in (("c", 1), ("a", 0), ("b", 1))}
    # a-b and a-c are both wholly apart (1.0); b-c agree (0.0)
    assert divergence(p, groups) == (1.0, ("a", "b"))


def test_divergence_is_given_to_four_places() -> None:
    p = poll("single", ("A", "B", "C"))
    groups = {"x": tally(p, [b(0), b(1), b(2)]), "y": tally(p, [b(0)] * 3)}
    # shares (1/3, 1/3, 1/3) against (1, 0, 0): half of 2/3 + 1/3 + 1/3 = 2/3
    assert divergence(p, groups) == (0.6667, ("x", "y"))
