"""The demo reproduces the State of the Relationship survey's pattern, read back from the file."""

from __future__ import annotations

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.divergence import centre, importance_gaps, item_ranking


def test_the_largest_nhs_gaps_are_trust_and_shared_vision(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo, 2) if p.target == "trust")
    nhs = sorted((r for r in importance_gaps(demo, poll) if r.who == "nhs"), key=lambda r: -r.gap)
    assert [r.attribute for r in nhs[:2]] == ["Mutual trust and respect", "A shared vision, purpose and clarity"]
    assert nhs[0].quadrant(centre(importance_gaps(demo, poll))) == "Fix first"
    industry = {r.attribute: r for r in importance_gaps(demo, poll) if r.who == "industry"}
    assert industry["Mutual trust and respect"].satisfaction > nhs[0].satisfaction


def test_industry_expects_set_up_in_under_six_months_and_the_nhs_six_to_twelve(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo, 2) if p.target == "timeline")
    assert poll.options[:3] == ("Under 3 months", "3 to 6 months", "6 to 12 months")
    sectors = queries.sector_tallies(demo, poll)
    industry, nhs = sectors["industry"].counts, sectors["nhs"].counts
    assert industry[0] + industry[1] > sum(industry) / 2  # most of industry: under 6 months
    assert max(range(4), key=lambda i: nhs[i]) == 2  # the NHS's most common answer: 6 to 12
    assert "industry" in poll.settings["reference"] and "6 to 12 months" in poll.settings["reference"]


def test_the_corrected_statements_are_asked(demo: Store) -> None:
    poll = next(p for p in queries.polls(demo, 2) if p.kind == "agreement" and not p.target)
    assert "There need to be adequate incentives" in poll.options[2]
    # "encourage or mandate" asked two things in one statement: each is its own statement now.
    assert poll.options[3].endswith("encourage partnerships like this one")
    assert poll.options[4].endswith("mandate partnerships like this one")
    assert not any(" or mandate" in o for o in poll.options)
    means = {k: t.means for k, t in queries.sector_tallies(demo, poll).items()}
    assert means["industry"][4] > means["nhs"][4]  # industry more for leaders mandating it


def test_the_ranking_has_every_rated_item_with_its_spread(demo: Store) -> None:
    rows = item_ranking(demo)
    rated = [r for r in rows if r.spread is not None]
    assert any(r.spread.polarised for r in rated if r.spread)  # the demo has a split item
    assert all(r.spread.sd is not None for r in rated if r.spread and r.spread.n)


def test_the_demo_is_the_same_workshop_on_every_run(tmp_path) -> None:
    """Pseudonyms, token hashes, ballot ids and times came from `secrets` and the clock: two
    builds differed in every ballot although the demo promised the same workshop."""
    from vbp_workshop.core.steps.demo import build_demo

    a, b = build_demo(tmp_path / "a.vbpw"), build_demo(tmp_path / "b.vbpw")
    tables = [r[0] for r in a.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    # Each copy is its own workshop to the phones: its own join code and its own id (meta).
    mine = "key != 'workshop_uid'"

    def rows(store, t):
        where = f" WHERE {mine}" if t == "meta" else ""
        return [tuple(r) for r in store.conn.execute(f"SELECT * FROM {t}{where}")]

    differ = [t for t in tables if t != "workshop" and rows(a, t) != rows(b, t)]
    assert differ == []
    assert a.workshop()["join_code"] != b.workshop()["join_code"]
    uid = "SELECT value FROM meta WHERE key = 'workshop_uid'"
    assert a.scalar(uid) != b.scalar(uid)
