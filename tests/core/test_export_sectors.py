"""The sector, divergence, readiness and plans sheets, read back from a real workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import planning
from vbp_workshop.core.workbook.export import export_workbook


def _table(ws, first_header: str) -> list[list]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    out = []
    for r in rows[start:]:
        if not r or r[0] is None:
            break
        out.append(r)
    return out


def test_the_sheets_hold_the_sectors_the_ranking_and_the_flags(demo: Store, tmp_path: Path) -> None:
    hostile = "=HYPERLINK(\"http://x\",\"click\")"
    demo.apply([planning.text_edit(demo, 1, "scope", hostile)])
    path = export_workbook(demo, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    assert {"Sectors", "Divergence", "Readiness", "Plans and decisions"} <= set(wb.sheetnames)

    ranking = _table(wb["Divergence"], "Rank")
    header, body = ranking[0], ranking[1:]
    clear = [r[header.index("How clear (gap ÷ its standard error)")] for r in body]
    assert len(body) > 20 and clear == sorted(clear, reverse=True)
    assert {r[header.index("Reading")] for r in body} == {"clear", "could be chance"}
    small = header.index("Fewer than 5")
    n = header.index("n")
    for r in body:  # the flag is there exactly when fewer than five people rated the item
        if r[n] not in (None, ""):
            assert (r[small] == "yes") == (r[n] < 5)

    gaps = _table(wb["Sectors"], "Attribute")
    nhs = sorted((r for r in gaps[1:] if r[1] == "NHS"), key=lambda r: -r[5])
    assert [r[0] for r in nhs[:2]] == ["Mutual trust and respect", "A shared vision, purpose and clarity"]
    assert nhs[0][6] == "Fix first"

    # the timeline per sector, with the patients' 4 answers flagged on the comparison sheet
    poll = next(p for p in queries.polls(demo, 2) if p.target == "timeline")
    sectors = queries.sector_tallies(demo, poll)
    comparison = _table(wb["Sectors"], "Step")
    row = next(r for r in comparison[1:] if r[1] == poll.question and r[2] == "Under 3 months")
    h = comparison[0]
    assert row[h.index("Industry")] == round(sectors["industry"].percents[0], 2)
    small_sectors = [k for k, t in sectors.items() if t.respondents < 5]
    for k in small_sectors:
        assert {"patients": "Patients and public", "industry": "Industry", "nhs": "NHS"}[k] in row[-1]

    plans = wb["Plans and decisions"]
    values = [c.value for r in plans.iter_rows() for c in r if c.value is not None]
    assert hostile in values  # text stays text, never a formula
    cell = next(c for r in plans.iter_rows() for c in r if c.value == hostile)
    assert cell.data_type == "s"
    assert any(isinstance(v, str) and v.startswith("Not yet: waiting for consent from HeartVoice") for v in values)
    decisions = _table(plans, "Pilot")
    assert decisions[1][2] == decisions[2][2] == "—"  # the design day decides nothing: the review day does


def test_the_workbook_merges_small_groups_as_the_screen_does(store: Store) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.model.poll import encode
    from vbp_workshop.core.workbook.poll_sheets import shown_groups

    poll = next(p for p in queries.polls(store) if p.kind == "single")
    groups = ["provider"] * 3 + ["payer"] * 2 + ["clinician", "pharma", "medtech", "patient"]
    store.apply([Insert("ballots", {"poll_id": poll.id, "round": 1, "voter": f"v{i}", "grp": g, "source": "phone",
                                    "weight": 1, "answer": encode(0), "ballot_uid": f"u{i}", "created_at": "",
                                    "updated_at": ""}) for i, g in enumerate(groups)])
    on_screen = queries.group_tallies(store, poll)
    assert {k: t.respondents for k, t in on_screen.items()} == {"provider": 3, "nhs_rest": 3, "other": 3}
    labels = shown_groups(queries.ballots(store, poll.id, 1), queries.min_group(store), True)
    by_group = {b["grp"]: labels[b["id"]] for b in queries.ballots(store, poll.id, 1)}
    assert by_group["payer"] == by_group["clinician"] == "NHS: other groups (merged)"
    assert by_group["pharma"] == by_group["patient"] == "Other (merged)"  # industry alone is too few
