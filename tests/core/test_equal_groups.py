"""One group, one vote: hand-computed examples (the demo's 14 providers of 32 voters)."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.polls.equal_groups import equal_group_line, equal_group_tally
from vbp_workshop.core.polls.tally import tally


def poll(kind: str, options: tuple[str, ...] = ("A", "B"), privacy: str = "anonymous", **settings: Any) -> Poll:
    return Poll(id=1, kind=kind, question="Q?", options=options, settings=settings, state="open", privacy=privacy)


def b(answer: Any, grp: str, weight: int = 1) -> dict[str, Any]:
    return {"answer": encode(answer), "grp": grp, "source": "phone", "weight": weight}


def room() -> list[dict[str, Any]]:
    # 14 NHS providers choose A; 6 payers, 6 from pharma and 6 from a patient organisation choose B.
    return ([b(0, "provider")] * 14 + [b(1, "payer")] * 6 + [b(1, "pharma")] * 6 + [b(1, "patient")] * 6)


def test_fourteen_providers_of_thirty_two_weigh_a_quarter_when_each_group_counts_once() -> None:
    p = poll("single")
    per_person = tally(p, room())
    assert per_person.percents[0] == pytest.approx(100 * 14 / 32)  # 43.75 %: the providers' weight
    equal = equal_group_tally(p, room(), 3)
    assert equal is not None
    assert equal.percents == [pytest.approx(25.0), pytest.approx(75.0)]  # 1 of 4 groups
    assert equal.respondents == 32  # the people are the same; only their weight changes
    assert equal_group_line(p, per_person, equal).startswith("Each group counted once: ")


def test_a_mean_with_each_group_once_is_the_mean_of_the_group_means() -> None:
    p = poll("scale", (), min=1, max=5)
    ballots = [b(5, "provider")] * 14 + [b(1, "payer")] * 6 + [b(3, "pharma")] * 6
    equal = equal_group_tally(p, ballots, 3)
    assert equal is not None and equal.mean == pytest.approx((5 + 1 + 3) / 3)
    assert tally(p, ballots).mean == pytest.approx((70 + 6 + 18) / 26)


def test_small_groups_merge_before_they_weigh_and_no_groups_means_no_view() -> None:
    p = poll("single")
    # Two patients (below the minimum of 3) merge with nobody in their sector: withheld, as in
    # every group result; the two shown groups weigh half each.
    ballots = [b(0, "provider")] * 9 + [b(1, "payer")] * 3 + [b(1, "patient")] * 2
    equal = equal_group_tally(p, ballots, 3)
    assert equal is not None
    assert equal.percents == pytest.approx([50.0, 50.0])  # provider and payer, half each; the patients withheld
    assert equal_group_tally(poll("single", privacy="anonymous_nogroup"), ballots, 3) is None
    assert equal_group_tally(p, [b(0, "provider")] * 9, 3) is None  # one group: nothing to weigh
    assert equal_group_tally(poll("text", ()), [b("x", "provider")] * 5 + [b("y", "payer")] * 5, 3) is None


def test_the_workbook_shows_each_group_counted_once_beside_the_per_person_result(demo, tmp_path) -> None:
    import openpyxl

    from vbp_workshop.core.polls import queries
    from vbp_workshop.core.workbook.export import export_workbook

    # The demo: NHS providers are the largest group, so on some polls the equal-weight view reads
    # differently; each such poll's block says so under its result, with the rule.
    expected = [p for p in queries.polls(demo) if queries.ballots(demo, p.id, p.round)
                and equal_group_line(p, queries.round_tally(demo, p), queries.equal_tally(demo, p))]
    assert expected, "the demo has polls where one group, one vote reads differently"
    out = tmp_path / "out.xlsx"
    export_workbook(demo, out)
    ws = openpyxl.load_workbook(out, read_only=True)["Poll results"]
    lines = [str(r[0]) for r in ws.iter_rows(values_only=True) if r and r[0] and "Each group counted once" in str(r[0])]
    assert len(lines) == len(expected)
    assert all("(per person: " in x and "weighs the same however many people" in x for x in lines)


def test_the_line_reads_the_top_values_each_group_once_then_per_person() -> None:
    p = poll("single")
    per_person, equal = tally(p, room()), equal_group_tally(p, room(), 3)
    # per person A 14/32 = 43.75 %, B 56.25 %; each group once A 1/4, B 3/4; the larger first
    assert equal_group_line(p, per_person, equal) == "Each group counted once: B 75%, A 25% (per person: B 56%, A 44%)"
    assert equal_group_line(p, per_person, None) == ""
    assert equal_group_line(p, tally(p, []), equal) == ""


def test_the_line_shows_at_most_three_items_by_their_value_with_each_group_once() -> None:
    p = poll("single", ("A", "B", "C", "D"))
    # provider 8: A; payer 4: B 2, C 1, D 1. Once each: A 1/2, B 1/4, C 1/8, D 1/8.
    ballots = [b(0, "provider")] * 8 + [b(1, "payer")] * 2 + [b(2, "payer"), b(3, "payer")]
    line = equal_group_line(p, tally(p, ballots), equal_group_tally(p, ballots, 1))
    # per person: A 8/12 = 67 %, B 2/12 = 17 %, C 1/12 = 8 %
    assert line == "Each group counted once: A 50%, B 25%, C 12% (per person: A 67%, B 17%, C 8%)"


def test_a_difference_under_five_points_is_not_worth_a_line() -> None:
    p = poll("single")
    # provider 6 all A; payer 4 with a choosing A: per person (6 + a)/10, once each (1 + a/4)/2,
    # so they differ by 0.1 - a/40: 7.5 points for a = 1, 2.5 points for a = 3.
    def line(a: int) -> str:
        ballots = [b(0, "provider")] * 6 + [b(0, "payer")] * a + [b(1, "payer")] * (4 - a)
        return equal_group_line(p, tally(p, ballots), equal_group_tally(p, ballots, 3))

    assert line(1) == "Each group counted once: A 62%, B 38% (per person: A 70%, B 30%)"
    assert line(3) == ""


def test_a_mean_is_shown_to_one_place_without_an_item_name() -> None:
    p = poll("scale", (), min=1, max=5)
    ballots = [b(5, "provider")] * 14 + [b(1, "payer")] * 6 + [b(3, "pharma")] * 6
    # once each (5 + 1 + 3)/3 = 3.0; per person 94/26 = 3.6; apart by more than a twentieth of 1..5
    line = equal_group_line(p, tally(p, ballots), equal_group_tally(p, ballots, 3))
    assert line == "Each group counted once: 3.0 (per person: 3.6)"


def test_a_hand_count_weighs_its_hands_and_the_tally_says_what_it_is() -> None:
    p = poll("single")
    # 12 providers on their phones choose A; the 4 payers are one hand count for B. Once each:
    # each group weighs 16/2 = 8 people, so A and B have half each; the people are still 16.
    ballots = [b(0, "provider")] * 12 + [b(1, "payer", weight=4)]
    equal = equal_group_tally(p, ballots, 3)
    assert equal is not None
    assert equal.percents == pytest.approx([50.0, 50.0])
    assert (equal.respondents, equal.kind, equal.labels, equal.by_source) == (16, "single", ["A", "B"], {"groups": 2})


def test_with_a_minimum_of_one_a_group_of_one_person_weighs_as_much_as_any() -> None:
    p = poll("single")
    equal = equal_group_tally(p, [b(0, "provider")] * 3 + [b(1, "payer")], 1)
    assert equal is not None and equal.percents == pytest.approx([50.0, 50.0])


def test_the_order_is_that_of_each_group_once_even_where_per_person_reads_the_other_way() -> None:
    p = poll("single")
    # providers 10 (A), payers 3 and pharma 3 (B): per person A 62.5 %, once each B 2/3
    ballots = [b(0, "provider")] * 10 + [b(1, "payer")] * 3 + [b(1, "pharma")] * 3
    line = equal_group_line(p, tally(p, ballots), equal_group_tally(p, ballots, 3))
    assert line == f"Each group counted once: B 67%, A 33% (per person: B {0.375:.0%}, A {0.625:.0%})"


def test_for_a_mean_a_twentieth_of_the_scale_is_the_threshold() -> None:
    p = poll("scale", (), min=1, max=5)  # a twentieth of 1..5 is 0.2

    def line(n_provider: int, n_payer: int) -> str:  # providers answer 4, payers 3
        ballots = [b(4, "provider")] * n_provider + [b(3, "payer")] * n_payer
        return equal_group_line(p, tally(p, ballots), equal_group_tally(p, ballots, 1))

    assert line(6, 3) == ""  # once each 3.5, per person 33/9 = 3.67: 0.17 apart
    assert line(3, 1) == "Each group counted once: 3.5 (per person: 3.8)"  # 15/4 = 3.75: 0.25 apart


def test_a_ballot_without_a_weight_is_one_person() -> None:
    p = poll("single")
    bare = [{"answer": encode(0), "grp": "provider"}] * 6 + [{"answer": encode(1), "grp": "payer"}] * 2
    equal = equal_group_tally(p, bare, 1)
    assert equal is not None  # 8 people, two groups of 4 each once
    assert (equal.respondents, equal.percents) == (8, [pytest.approx(50.0), pytest.approx(50.0)])
