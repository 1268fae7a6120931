"""A review day started from the design day: what is carried, what is left, what is compared."""

from __future__ import annotations

from pathlib import Path

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.partnership import PARTNERSHIP, earlier, meta, session_kind, sessions, start_review_day
from vbp_workshop.core.steps.template import load_template


def test_a_review_day_carries_the_partnership_and_leaves_the_day_behind(demo: Store, tmp_path: Path) -> None:
    before = {t: demo.rows(t) for t in ("partners", "pilots", "metrics", "actuals", "rules", "ballots")}
    review = start_review_day(demo, tmp_path / "review.vbpw", date="2027-05-20")
    try:
        assert session_kind(demo) == "design" and session_kind(review) == "review"
        for table in ("partners", "pilots", "metrics", "actuals"):
            assert review.rows(table) == before[table], table  # nothing typed twice
        # The rules and their consent results; their consent polls were the design day's.
        assert [{**r, "poll_id": None} for r in before["rules"]] == review.rows("rules")
        assert demo.rows("ballots") == before["ballots"]  # the design day is untouched
        assert review.rows("ballots") == [] and review.rows("devices") == []
        agenda = [a["title"] for a in load_template()["review_day"]["agenda"]]
        assert [a["title"] for a in review.rows("agenda")] == agenda
        assert review.workshop()["date"] == "2027-05-20" and review.workshop()["title"].endswith("review day")
        assert review.workshop()["join_code"] != demo.workshop()["join_code"]
        assert meta(review, PARTNERSHIP) and meta(review, "workshop_uid") != meta(demo, "workshop_uid")
        assert all(a["status"] == "open" for a in review.rows("actions"))
        trust = next(p for p in queries.polls(review) if p.target == "trust")
        assert queries.round_tally(review, trust).respondents == 0
        design_trust = next(p for p in queries.polls(demo) if p.target == "trust")
        kept = earlier(review, "trust")
        assert len(kept) == 1 and kept[0].label.startswith("Design day")
        assert len(kept[0].ballots) == len(queries.ballots(demo, design_trust.id, design_trust.round))
        compared = sessions(review, trust)
        assert list(compared) == [kept[0].label, "Today"]
        assert compared[kept[0].label].points == queries.round_tally(demo, design_trust).points
    finally:
        review.close()
    # A third day, from the review day, keeps both earlier days and the same partnership.
    again = Store.open(tmp_path / "review.vbpw")
    third = start_review_day(again, tmp_path / "third.vbpw", date="2027-11-20")
    try:
        assert meta(third, PARTNERSHIP) == meta(again, PARTNERSHIP)
        assert next(e.label for e in earlier(third, "trust")).startswith("Design day")
    finally:
        third.close()
        again.close()


def test_the_design_day_plans_step_5_and_the_review_day_runs_it() -> None:
    t = load_template()
    design5 = [a for a in t["agenda"] if a["step"] == 5]
    assert len(design5) == 1 and "criteria decided now" in design5[0]["title"]
    assert not any(p["step"] == 5 and "NASSS" in p["question"] for p in t["polls"])
    assert any("NASSS" in p["question"] for p in t["review_day"]["polls"])
    assert {p.get("target") for p in t["review_day"]["polls"]} >= {"trust", "readiness"}
    assert any(a["title"] == "Break" for a in t["agenda"][6:])  # an afternoon break
    assert "ground rules" in t["agenda"][0]["title"] and "check-out" in t["agenda"][-1]["title"]


def test_the_review_days_workbook_compares_the_sessions(demo: Store, tmp_path: Path) -> None:
    import openpyxl

    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.model.poll import encode
    from vbp_workshop.core.workbook.export import export_workbook

    review = start_review_day(demo, tmp_path / "review.vbpw", date="2027-05-20")
    try:
        trust = next(p for p in queries.polls(review) if p.target == "trust")
        answer = {str(i): [5, 4] for i in range(len(trust.options))}
        review.apply([Insert("ballots", {"poll_id": trust.id, "round": 1, "voter": f"v{i}", "grp": grp,
                                         "answer": encode(answer), "ballot_uid": f"u{i}"})
                      for i, grp in enumerate(["provider"] * 4 + ["pharma"] * 4)])
        book = openpyxl.load_workbook(export_workbook(review, tmp_path / "review.xlsx"), read_only=True)
        rows = [r for r in book["Sessions compared"].iter_rows(values_only=True) if r and r[0] == trust.question]
        days = {r[2] for r in rows}
        assert len(days) == 2 and "Today" in days and any(d.startswith("Design day") for d in days)
        today = [r for r in rows if r[2] == "Today"]
        assert today and all(r[-1] == 8 for r in today)
        design = demo.workshop()
        assert "Sessions compared" not in openpyxl.load_workbook(
            export_workbook(demo, tmp_path / "design.xlsx"), read_only=True).sheetnames, design["title"]
    finally:
        review.close()


def test_the_days_frame_reminds_of_competition_law_only_with_two_companies(demo: Store) -> None:
    from vbp_workshop.core.model.changes import Insert, Update
    from vbp_workshop.core.steps.frame import frame

    f = frame(demo)
    assert f.competition == ""  # one company (Halden) in the demo
    assert any("neutral" in x for x in f.opening) and any("Chatham House" in x for x in f.opening)
    assert any("Data pack" in x for x in f.prework) and any("Check-out" in x for x in f.close)
    # The data pack measured LDL at target and rehab uptake before the day; the rest still need it.
    assert "Patients at LDL-cholesterol target" not in f.baselines_needed
    assert "Repeat MI or stroke within 12 months" in f.baselines_needed
    demo.apply([Insert("partners", {"name": "Second Pharma", "stakeholder": "pharma"})])
    assert "prices" in frame(demo).competition
    demo.apply([Update("workshop", 1, {"date": "2026-05-01"})])  # points after the day are not a baseline
    assert "Patients at LDL-cholesterol target" in frame(demo).baselines_needed
