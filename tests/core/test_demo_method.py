"""The demo's workbook, read back: none of the contradictions a methodologist found in it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.workbook.export import export_workbook


def _cells(path: Path) -> dict[str, list[list[str]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [[str(c) if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


def test_the_demo_workbook_holds_none_of_the_contradictions(demo: Store, tmp_path: Path) -> None:
    sheets = _cells(export_workbook(demo, tmp_path / "demo.xlsx"))
    text = "\n".join("\t".join(r) for rows in sheets.values() for r in rows)
    # A partner shamed for its size, judged against 1/n.
    assert "brings only" not in text and "carries" not in text
    # "No veto on publishing" beside "nothing is published without every partner's consent".
    assert "no veto" not in text.lower()
    # Two questions in one statement.
    assert "encourage or mandate" not in text
    # A biomarker typed as Porter's tier 1, and PROM/PREM offered as tiers.
    ldl = [r for rows in sheets.values() for r in rows if any("LDL-cholesterol target" in c for c in r)]
    assert ldl and not any("Tier 1" in c for r in ldl for c in r)
    assert not any(c in ("PROM", "PREM") for rows in sheets.values() for r in rows for c in r)
    # A rate whose denominator is what the pilot changes.
    assert "Patients referred at discharge" not in text
    # The exit strategy ticked with no exit rule behind it; the checklist named "UK".
    assert any("Exit and termination" in c for r in sheets["3 Rules"] for c in r)
    assert "UK joint-working checklist" not in text
    # Polarisation by a quarter at the very ends; blockers counted from 2 and below.
    assert "at least a quarter" not in text and "Blockers (below 3)" not in text
