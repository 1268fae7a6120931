"""Hostile and careless text in the workbook: never a formula, never a broken file, never cut
silently, and nothing the privacy rules keep back (small groups, hidden answers, lone people).

The text goes straight into the store here (not through the phone server's cleaning), so these
tests prove the export's own defences."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import encode
from vbp_workshop.core.model.text import EXCEL_CELL_LIMIT, clean_text
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.workbook.export import MERGED_PARTNER, MERGED_ROLE, export_workbook
from vbp_workshop.core.workbook.poll_sheets import HIDDEN, checksum
from vbp_workshop.core.workbook.xlsx import cell_text

LONG = "=" + "long answer " * 3000  # 36,001 characters: over Excel's cell limit

HOSTILE = [
    "=1+1", "+SUM(A1:A3)", "-2+3", "@SUM(1)", "\t=tab first", "\r=carriage return",
    '=HYPERLINK("http://evil.example","click")', "=cmd|' /C calc'!A0",
    "U+FFFE \ufffe inside", "control \x01 char", "vertical \x0b tab",
    "Łódź Pharma", "東京メディカル",
]


def shown(text: str) -> str:
    """What a cell must read: the input minus removed characters, a long text visibly cut."""
    return cell_text(text)


def all_cells(path: Path) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")}


@pytest.fixture
def hostile(store: Store) -> Store:
    """Every kind of person-typed text holds every hostile string."""
    edits = [Insert("partners", {"name": f"{h} {i}", "stakeholder": "pharma", "goals": h}) for i, h in
             enumerate(HOSTILE)]
    edits += [Insert("participants", {"display_name": h, "partner_id": 1, "role": h}) for h in HOSTILE]
    edits += [Insert("actions", {"kind": "action", "what": h, "owner": h, "status": "open"}) for h in HOSTILE]
    edits += [Insert("glossary", {"term": h, "meaning": LONG}) for h in HOSTILE[:3]]
    store.apply(edits)
    store.apply([new_poll_edit(1, "single", "=Which one?", HOSTILE[:8], {})])
    single = store.rows("polls")[-1]["id"]
    store.apply([new_poll_edit(1, "text", "+What matters?", [], {})])
    text = store.rows("polls")[-1]["id"]
    ballots = [Insert("ballots", {"poll_id": single, "round": 1, "voter": f"s{i}", "grp": "pharma",
                                  "answer": encode(i % 8)}) for i in range(8)]
    ballots += [Insert("ballots", {"poll_id": text, "round": 1, "voter": f"t{i}", "grp": "pharma",
                                   "answer": encode(h)}) for i, h in enumerate([*HOSTILE, LONG])]
    store.apply(ballots)
    return store


def test_no_person_typed_text_becomes_a_formula_and_each_reads_as_typed(hostile: Store, tmp_path: Path) -> None:
    for include_names in (True, False):
        out = export_workbook(hostile, tmp_path / f"h{include_names}.xlsx", include_names=include_names)
        cells = all_cells(out)
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        for name, xml in sheet_xml(out).items():
            assert "<f>" not in xml and "<f " not in xml, name
        texts = {c.value for c in cells if isinstance(c.value, str)}
        for h in HOSTILE:
            assert shown(h) in texts, repr(h)
        assert shown(LONG) in texts
    book = openpyxl.load_workbook(tmp_path / "hTrue.xlsx")
    names = [c.value for c in book["Participants"]["A"][1:] if c.value]
    assert names == [shown(h) for h in HOSTILE]  # each name intact, in order, as a text cell
    assert shown("\t=tab first") == "\t=tab first" and shown("\r=carriage return") == "=carriage return"


def test_text_over_the_cell_limit_is_cut_visibly_and_rows_stay_within_409_points(hostile: Store,
                                                                                 tmp_path: Path) -> None:
    out = export_workbook(hostile, tmp_path / "long.xlsx")
    book = openpyxl.load_workbook(out)
    raw = book["Raw votes"]
    answers = [c.value for c in raw["J"] if isinstance(c.value, str) and c.value.startswith("=long answer")]
    assert len(answers) == 1
    cut = answers[0]
    assert len(cut) <= EXCEL_CELL_LIMIT
    assert re.search(r"… \[cut: [\d,]+ characters more; the whole text is in the workshop file\]$", cut)
    extra = int(re.search(r"cut: ([\d,]+)", cut)[1].replace(",", ""))
    assert len(cut) - len(cut[cut.index(" … [cut"):]) + extra == len(LONG)  # nothing lost unseen
    for ws in book.worksheets:
        for dim in ws.row_dimensions.values():
            assert dim.height is None or dim.height <= 409, ws.title


def test_characters_xml_forbids_never_stop_the_export_and_the_checksum_matches_the_sheet(
        hostile: Store, tmp_path: Path) -> None:
    out = export_workbook(hostile, tmp_path / "chars.xlsx")
    book = openpyxl.load_workbook(out)  # reopens: the file is well-formed XML
    texts = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", t) for t in texts)
    raw = list(book["Raw votes"].iter_rows(values_only=True))
    head = list(raw[0])
    audit = {(r[0], r[1]): r[12] for r in book["Audit"].iter_rows(min_row=2, values_only=True)
             if isinstance(r[0], int)}
    for (poll, rnd), digest in audit.items():
        rows = sorted((r for r in raw[1:] if r[0] == poll and r[1] == rnd), key=lambda r: r[2])
        lines = [[r[head.index(h)] for h in ("Poll ID", "Round", "Ballot ID", "Answer (JSON)", "Group",
                                             "Source", "Count")] for r in rows]
        assert checksum(lines) == digest
    # The checksum is over the sheet's text: a U+FFFE the sheet cannot show is not in it either.
    assert "U+FFFE  inside" in texts and clean_text("U+FFFE \ufffe inside") == "U+FFFE  inside"


def test_a_lone_surrogate_never_stops_the_writer(tmp_path: Path) -> None:
    """SQLite cannot store a lone surrogate, but a str can hold one: the writer drops it."""
    from vbp_workshop.core.workbook.xlsx import Sheet, WorkbookWriter

    sh = Sheet("S")
    sh.table("T", ["=head\ud800", "B"], [["lone \ud800 surrogate", "=x\udfff"]])
    writer = WorkbookWriter(tmp_path / "s.xlsx")
    writer.write(sh)
    writer.wb.close()
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "s.xlsx")["S"].iter_rows() for c in row]
    assert values == ["=head", "B", "lone  surrogate", "=x"]


def test_raw_votes_merge_small_groups_and_hidden_answers_are_on_no_sheet(store: Store, tmp_path: Path) -> None:
    store.apply([new_poll_edit(1, "single", "Which?", ["A", "B"], {})])
    single = store.rows("polls")[-1]["id"]
    groups = ["pharma"] * 4 + ["provider"] * 3 + ["patient"]  # one patient: below the minimum of 3
    store.apply([Insert("ballots", {"poll_id": single, "round": 1, "voter": f"v{i}", "grp": g,
                                    "answer": encode(i % 2)}) for i, g in enumerate(groups)])
    store.apply([new_poll_edit(1, "text", "Say?", [], {})])
    text = store.rows("polls")[-1]["id"]
    secret = "The CEO of Halden said something unrepeatable"
    store.apply([Insert("ballots", {"poll_id": text, "round": 1, "voter": "t1", "answer": encode(secret),
                                    "hidden": 1}),
                 Insert("ballots", {"poll_id": text, "round": 1, "voter": "t2", "answer": encode("Fine")})])
    out = export_workbook(store, tmp_path / "private.xlsx")
    book = openpyxl.load_workbook(out)
    raw = list(book["Raw votes"].iter_rows(values_only=True))
    group = raw[0].index("Group")
    shown_groups = {r[group] for r in raw[1:] if r[0] == single}
    assert "Patient or carer" not in " ".join(map(str, shown_groups))
    assert not any("atient" in str(g) for g in shown_groups)
    assert len([r for r in raw[1:] if r[0] == single]) == 8  # the patient's vote is counted, unlabelled
    everything = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert secret not in everything and "unrepeatable" not in everything
    assert HIDDEN in everything and "Fine" in everything


def test_the_pseudonymised_participant_list_singles_nobody_out(store: Store, tmp_path: Path) -> None:
    store.apply([Insert("partners", {"name": n, "stakeholder": "pharma"}) for n in ("Big Org", "Tiny Org")])
    big, tiny = (p["id"] for p in store.rows("partners")[-2:])
    people = [("A", big, "Nurse")] * 3 + [("B", big, "Chief executive"), ("C", tiny, "Director")]
    store.apply([Insert("participants", {"display_name": n, "partner_id": p, "role": r}) for n, p, r in people])
    book = openpyxl.load_workbook(export_workbook(store, tmp_path / "p.xlsx"))
    rows = [r for r in book["Participants"].iter_rows(min_row=2, max_col=3, values_only=True)
            if r[0] and str(r[0]).startswith("Participant ")]
    assert len(rows) == 5
    combos = [(r[1], r[2]) for r in rows]
    assert combos.count(("Big Org", "Nurse")) == 3
    assert ("Big Org", "Chief executive") not in combos and ("Big Org", MERGED_ROLE) in combos
    assert not any("Tiny Org" in str(c) or "Director" in str(c) for c in combos)
    assert (MERGED_PARTNER, MERGED_ROLE) in combos
    # Every (partner, role) shown names at least the minimum group size, or nothing at all.
    for combo in set(combos):
        assert combos.count(combo) >= 3 or MERGED_ROLE in combo or MERGED_PARTNER in combo


@pytest.mark.parametrize("text", [*HOSTILE, LONG, "plain ascii ~!", "x" * EXCEL_CELL_LIMIT,
                                  "x" * (EXCEL_CELL_LIMIT + 1), "tab\tand\nnewline", "del \x7f", "nbsp\xa0", ""])
def test_the_quick_path_for_plain_text_gives_what_cleaning_gives(text: str) -> None:
    """cell_text returns printable ASCII as it is, without cleaning: the same as cleaning it
    ("\x01" is removed by the cleaning and keeps the text off the quick path)."""
    assert cell_text(text) == cell_text(text + "\x01")
    assert len(cell_text(text)) <= EXCEL_CELL_LIMIT
