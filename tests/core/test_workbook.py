"""The outcome workbook read back with openpyxl, the audit checksum recomputed from the raw
sheet, the actuals round trip, participant imports, and every malformed-input case."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.workbook.export import ACTUALS_SHEET, ExportError, checksum, export_workbook
from vbp_workshop.core.workbook.imports import (
    ImportError_,
    actual_edits,
    participant_edits,
    read_actuals,
    read_participants,
)


def table_rows(ws, name: str) -> list[dict[str, object]]:
    ref = ws.tables[name].ref
    rows = [[c.value for c in r] for r in ws[ref]]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.fixture
def book(demo: Store, tmp_path: Path):
    out = export_workbook(demo, tmp_path / "outcome.xlsx")
    return openpyxl.load_workbook(out)


def test_summary_comes_first_and_every_sheet_is_there(book) -> None:
    assert book.sheetnames[0] == "Summary"
    for name in ["1 Ambition", "2 Trust", "3 Rules", "4 Pilots", "Metrics", ACTUALS_SHEET, "5 Evaluation",
                 "Decisions and actions", "Poll results", "Raw votes", "Audit", "Participants", "Agenda"]:
        assert name in book.sheetnames


def test_the_summary_matches_the_workshop(book, demo: Store) -> None:
    ws = book["Summary"]
    cells = {c.value for row in ws.iter_rows() for c in row if c.value}
    assert demo.workshop()["partnership"] in cells
    assert demo.rows("ambitions", "chosen = 1")[0]["text"] in cells
    partners = table_rows(ws, "SummaryPartners")
    assert [p["Partner"] for p in partners] == [p["name"] for p in demo.rows("partners")]
    actions = table_rows(ws, "SummaryActions")
    assert len(actions) == len(demo.rows("actions", "kind = 'action' AND status = 'open'"))


def test_step_sheets_hold_the_step_content(book, demo: Store) -> None:
    raci = table_rows(book["3 Roles (RACI)"], "RACI")
    assert [r["Activity"] for r in raci] == [a["name"] for a in demo.rows("activities")]
    assert raci[-1]["Check"] == "No Accountable partner yet"
    metrics = table_rows(book["Metrics"], "MetricRegister")
    assert [m["Metric ID"] for m in metrics] == [m["id"] for m in demo.rows("metrics")]
    assert metrics[0]["Baseline"] == demo.rows("metrics")[0]["baseline_value"]
    results = table_rows(book["5 Evaluation"], "Results")
    # The demo is a design day: a point or two per metric, no pilot started long enough ago to read.
    assert {r["Reading"] for r in results} == {"Too few points to tell"}
    assert all("more are needed before any change can be read" in r["Why"] for r in results)


def test_raw_votes_have_one_row_per_ballot_and_no_names(book, demo: Store) -> None:
    raw = table_rows(book["Raw votes"], "RawVotes")
    assert len(raw) == len(demo.rows("ballots"))
    assert {r["Source"] for r in raw} == {"phone", "hand"}
    # Action owners are typed by the facilitator; the participant list and the votes carry no names.
    sheets = [book[n] for n in ("Participants", "Raw votes", "Audit", "Poll results")]
    everything = " ".join(str(c.value) for ws in sheets for row in ws.iter_rows() for c in row if c.value)
    for p in demo.rows("participants"):
        if p["display_name"]:
            assert p["display_name"] not in everything
    assert "Participant 001" in everything


def test_names_only_when_asked(demo: Store, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export_workbook(demo, tmp_path / "n.xlsx", include_names=True))
    names = [r["Participant"] for r in table_rows(book["Participants"], "Participants")]
    assert "Dr Amira Khan" in names


def test_audit_checksums_can_be_recomputed_from_the_raw_sheet(book, demo: Store) -> None:
    raw = table_rows(book["Raw votes"], "RawVotes")
    audit = table_rows(book["Audit"], "Audit")
    assert len(audit) == sum(p["round"] for p in demo.rows("polls"))  # a row per poll round
    for row in audit:
        mine = sorted((r for r in raw if r["Poll ID"] == row["Poll ID"] and r["Round"] == row["Round"]),
                      key=lambda r: r["Ballot ID"])
        lines = [[r["Poll ID"], r["Round"], r["Ballot ID"], r["Answer (JSON)"], r["Group"], r["Source"],
                  r["Count"]] for r in mine]
        assert row["SHA-256 of raw votes"] == checksum(lines)
        assert row["Privacy mode"].startswith("Anonymous")
    # Editing one vote breaks the poll's checksum.
    first = next(r for r in audit if r["Ballots"])
    mine = [r for r in raw if r["Poll ID"] == first["Poll ID"]]
    lines = [[r["Poll ID"], r["Round"], r["Ballot ID"], r["Answer (JSON)"], r["Group"], r["Source"], r["Count"]]
             for r in mine]
    lines[0][3] = "999"
    assert checksum(lines) != first["SHA-256 of raw votes"]


def test_poll_results_have_native_charts(book, demo: Store) -> None:
    ws = book["Poll results"]
    voted = {b["poll_id"] for b in demo.rows("ballots")}
    assert len(ws._charts) >= len(voted)
    kinds = {type(c).__name__ for c in ws._charts}
    assert {"BarChart", "ScatterChart"} <= kinds


def test_formatting_frozen_headers_and_tables_with_filters(book) -> None:
    raw = book["Raw votes"]
    assert raw.freeze_panes == "A2"
    assert raw.tables["RawVotes"].autoFilter is not None and raw.tables["RawVotes"].autoFilter.ref
    assert raw["A1"].font.bold and raw["A1"].fill.fgColor.rgb.endswith("12355B")
    assert raw.column_dimensions["I"].width >= 30
    assert book["Metrics"]["K2"].number_format == "yyyy-mm-dd"


def test_a_file_held_open_by_another_program_gets_a_clear_message(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "outcome.xlsx"
    out.write_bytes(b"old")
    (tmp_path / ".~lock.outcome.xlsx#").write_text("someone,host")
    with pytest.raises(ExportError, match="open in LibreOffice"):
        export_workbook(demo, out)
    assert out.read_bytes() == b"old"
    (tmp_path / ".~lock.outcome.xlsx#").unlink()
    (tmp_path / "~$outcome.xlsx").write_text("x")
    with pytest.raises(ExportError, match="open in Excel"):
        export_workbook(demo, out)


def test_export_refuses_a_wrong_suffix_and_a_missing_folder(demo: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        export_workbook(demo, tmp_path / "out.csv")
    with pytest.raises(ExportError, match="does not exist"):
        export_workbook(demo, tmp_path / "nope" / "out.xlsx")


# -- round trip of actuals -----------------------------------------------------------------------


def test_actuals_filled_in_excel_come_back_into_step_5(demo: Store, tmp_path: Path) -> None:
    from vbp_workshop.core.steps.checks import rag

    out = export_workbook(demo, tmp_path / "outcome.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    table = ws.tables["MetricActuals"]
    last = int(table.ref.split(":")[1][1:])
    ws.insert_rows(last + 1, 2)
    cost = demo.rows("metrics")[4]
    for offset, (day, value) in enumerate([("2027-06-30", 300.0), ("2027-09-30", 290.0)], 1):
        ws.cell(last + offset, 1, cost["id"])
        ws.cell(last + offset, 2, cost["name"])
        ws.cell(last + offset, 3, day)
        ws.cell(last + offset, 4, value)
    wb.save(out)
    assert rag(cost, []).status == "grey"
    rows = read_actuals(out, demo)
    edits = actual_edits(demo, rows)
    assert len(edits) == 2  # the values already in the workshop are not duplicated
    demo.apply(edits)
    after = rag(cost, demo.rows("actuals", "metric_id = ?", (cost["id"],)))
    assert after.status == "green" and after.latest == 290.0


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("A", 999, "column A .*not a metric of this workshop"),
    ("B", "Something else", "column B .*does not match"),
    ("C", "next Tuesday", "column C .*not a date"),
    ("D", "lots", "column D .*not a number"),
])
def test_a_bad_actual_names_sheet_row_and_column_and_imports_nothing(demo: Store, tmp_path: Path,
                                                                     cell: str, value: object, message: str) -> None:
    out = export_workbook(demo, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[ACTUALS_SHEET]
    ws[f"{cell}2"] = value
    wb.save(out)
    before = demo.rows("actuals")
    with pytest.raises(ImportError_, match=f"Sheet “{ACTUALS_SHEET}”, row 2, {message}"):
        read_actuals(out, demo)
    assert demo.rows("actuals") == before


def test_a_foreign_or_broken_workbook_is_refused(demo: Store, tmp_path: Path) -> None:
    foreign = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Budget"
    wb.save(foreign)
    with pytest.raises(ImportError_, match="no “Metric actuals” sheet"):
        read_actuals(foreign, demo)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportError_, match="not an Excel workbook"):
        read_actuals(broken, demo)
    renamed = tmp_path / "headers.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = ACTUALS_SHEET
    wb.active.append(["Which", "When", "How much"])
    wb.save(renamed)
    with pytest.raises(ImportError_, match="row 1: the headings"):
        read_actuals(renamed, demo)


# -- participants -----------------------------------------------------------------------------------


def test_participants_from_csv_with_loose_headers_and_reported_rows(demo: Store, tmp_path: Path) -> None:
    f = tmp_path / "people.csv"
    f.write_text("  Full Name ;ORGANISATION; Job title\n"
                 "Ann Lee;Halden Pharmaceuticals UK;Medical lead\n"
                 "Bob Roy;Nowhere Ltd;CEO\n"
                 ";;\n"
                 "Cat Day;northbridge gp federation;GP\n", encoding="utf-8")
    result = read_participants(f, demo)
    assert [r["display_name"] for r in result.rows] == ["Ann Lee", "Cat Day"]
    assert result.rows[1]["partner_id"] == next(p["id"] for p in demo.rows("partners") if "GP Fed" in p["name"])
    assert len(result.problems) == 1 and result.problems[0].startswith("Row 3:")
    assert "Nowhere Ltd" in result.problems[0]
    before = len(demo.rows("participants"))
    demo.apply(participant_edits(result.rows))
    assert len(demo.rows("participants")) == before + 2


def test_participants_from_xlsx(demo: Store, tmp_path: Path) -> None:
    f = tmp_path / "people.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Partner", "Role"])
    wb.active.append(["Dee", "HeartVoice Patient Network", "Patient rep"])
    wb.active.append([None, None, None])
    wb.save(f)
    result = read_participants(f, demo)
    assert result.rows == [{"display_name": "Dee", "partner_id": 6, "role": "Patient rep"}]


def test_participant_files_that_cannot_be_used(demo: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportError_, match="empty"):
        read_participants(empty, demo)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Amount,Currency\n3,GBP\n")
    with pytest.raises(ImportError_, match="Name, Partner"):
        read_participants(wrong, demo)
    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(ImportError_, match="not an Excel workbook"):
        read_participants(fake, demo)
    with pytest.raises(ImportError_, match="does not exist"):
        read_participants(tmp_path / "missing.csv", demo)


def test_every_poll_kind_exports(store: Store, tmp_path: Path) -> None:
    """A poll of each kind with answers, including groups, writes and reads back."""
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.model.poll import encode

    answers = {"single": 0, "multiple": [0, 1], "agreement": {"0": 4}, "scale": 7, "ranking": [1, 0],
               "points": {"0": 3}, "matrix": {"0": [2, 4]}, "importance": {"0": [5, 2]}, "fist": 4,
               "text": "Better outcomes"}
    for kind, answer in answers.items():
        store.apply([new_poll_edit(1, kind, f"{kind}?", ["A", "B"], {})])
        pid = store.rows("polls")[-1]["id"]
        store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": f"v{i}{kind}",
                                        "grp": "pharma" if i < 3 else "provider", "answer": encode(answer)})
                     for i in range(6)])
    book = openpyxl.load_workbook(export_workbook(store, tmp_path / "all.xlsx"))
    raw = table_rows(book["Raw votes"], "RawVotes")
    matched = [(json.loads(r["Answer (JSON)"]), answers[k]) for r in raw for k in answers if r["Question"] == f"{k}?"]
    assert len(matched) == 6 * len(answers) and all(got == want for got, want in matched)
    assert "Better outcomes" in {r["Answer"] for r in raw}
    assert len(book["Poll results"]._charts) >= 10 + 9  # a chart each, plus the group splits


def test_a_cancelled_export_leaves_the_file_as_it_was(demo: Store, tmp_path: Path) -> None:
    from vbp_workshop.core.workbook.export import ExportCancelled

    out = tmp_path / "outcome.xlsx"
    out.write_bytes(b"the previous workbook")
    asked: list[float] = []
    seen: list[float] = []

    def cancel() -> bool:
        asked.append(seen[-1] if seen else 0.0)
        return len(asked) > 3  # the person presses Cancel part-way through

    with pytest.raises(ExportCancelled, match="cancelled"):
        export_workbook(demo, out, progress=seen.append, cancel=cancel)
    assert out.read_bytes() == b"the previous workbook"
    assert [p.name for p in tmp_path.iterdir() if ".tmp." in p.name] == []  # no temporary file left
    assert 0 < max(seen) < 1.0  # it stopped before the end
    progress: list[float] = []
    export_workbook(demo, out, progress=progress.append, cancel=lambda: False)
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"


def test_a_result_from_fewer_than_five_people_says_so_in_the_poll_results(demo: Store, tmp_path: Path) -> None:
    from vbp_workshop.core.intake.votes import Vote, VoteWriter
    from vbp_workshop.core.model.room import LiveState

    live = LiveState(demo.workshop()["join_code"])
    few = next(p for p in queries.polls(demo) if p.kind == "single" and not queries.answer_count(demo, p.id))
    many = next(p for p in queries.polls(demo) if p.kind == "single" and queries.answer_count(demo, p.id) >= 5)
    open_poll(demo, live, few.id)
    writer = VoteWriter(demo.path, live)
    writer.start()
    try:
        for n in range(3):
            writer.vote(Vote(few.id, 1, f"d-few-{n}", "", 0, f"uid-few-{n:06d}"))
    finally:
        writer.stop()
    ws = openpyxl.load_workbook(export_workbook(demo, tmp_path / "few.xlsx"))["Poll results"]
    notes = [str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1)]

    def note_under(question: str) -> str:
        at = next(i for i, v in enumerate(notes) if v.endswith(question))
        return notes[at + 1]

    assert "3 responses" in note_under(few.question) and "fewer than 5, read with care" in note_under(few.question)
    assert "read with care" not in note_under(many.question)
