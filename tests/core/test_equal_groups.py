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
