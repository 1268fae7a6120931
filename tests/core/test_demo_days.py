"""The demo tells one story in time: the design day in November, the review day in June. Both are
exported and read back: no date, status or decision contradicts another."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.steps.checks import metric_readings
from vbp_workshop.core.steps.demo import DESIGN_DAY, REVIEW_DAY, build_review_demo
from vbp_workshop.core.steps.spc import claim_problems
from vbp_workshop.core.workbook.export import export_workbook


def _sheets(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _dates(rows: list[tuple]) -> list[str]:
    out = []
    for r in rows:
        for c in r:
            if isinstance(c, datetime):
                out.append(c.date().isoformat())
            elif isinstance(c, str) and len(c) == 10 and c[4] == "-" and c[7] == "-" and c[:4].isdigit():
                out.append(c)
    return out


def test_the_design_day_and_the_review_day_agree_with_their_dates(demo: Store, tmp_path: Path) -> None:
    review = build_review_demo(demo, tmp_path / "review.vbpw")
    try:
        design = _sheets(export_workbook(demo, tmp_path / "design.xlsx"))
        later = _sheets(export_workbook(review, tmp_path / "review.xlsx"))
        readings = [r for _m, r in metric_readings(review)]
        case_study = str(review.step_fields(5)["case_study"])
    finally:
        review.close()
    # The design day holds nothing that happened after it: no actual, no decision, no case study.
    assert max(_dates(design["Metric actuals"])) < DESIGN_DAY
    step5 = " ".join(str(c) for r in design["5 Evaluation"] for c in r if c)
    assert "Decision" not in {str(r[0]) for r in design["5 Evaluation"] if r and r[1]} or "Adapt" not in step5
    assert "Go (scale)" not in step5 and "rose from" not in step5
    summary = {r[0]: r[1] for r in design["Summary"] if r and r[0]}
    assert "Decision (step 5)" not in summary
    # The review day: actuals up to the day, decisions dated that day, step 5 done beside its decision.
    assert max(_dates(later["Metric actuals"])) <= REVIEW_DAY
    plans = " ".join(str(c) for r in later["Plans and decisions"] for c in r if c)
    assert REVIEW_DAY in plans or "2027-06-10" in str(later["Plans and decisions"])
    steps = {str(r[0]): str(r[1]) for r in later["Summary"] if r and r[0] and str(r[0]).startswith("5.")}
    assert steps and all(v == "Done" for v in steps.values())
    assert {r[0]: r[1] for r in later["Summary"] if r and r[0]}.get("Decision (step 5)") == "Adapt"
    # The evaluation holds up: the lipid clinics show a change, rehab none, the rest too few points.
    verdicts = {r[0]: r[11] for r in later["5 Evaluation"] if r and r[0] and r[11]}
    assert verdicts["Patients at LDL-cholesterol target"] == "Improving"
    assert verdicts["Cardiac rehab uptake"] == "No signal of change"
    assert verdicts["Repeat MI or stroke within 12 months"] == "Too few points to tell"
    # The case study says which period it covers and claims nothing the readings do not support.
    assert claim_problems(case_study, readings) == []
    assert "Sessions compared" in later
