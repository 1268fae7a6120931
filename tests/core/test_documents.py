"""The documents the partnership signs, read back with python-docx: real Word headings, numbered
lists that restart, tables, A4; the demo's records in their sections; every empty section says
"Not agreed at the workshop"; the summary is a draft until every party consented; hostile text
reads as typed and is never a field, a hyperlink or a macro."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from tests.core.test_workbook_hostile import HOSTILE, hostile
from tests.e2e.test_hostile_export import ANSWERS
from vbp_workshop.core.documents import (
    NOT_AGREED,
    DocumentsCancelled,
    export_documents,
    file_names,
    pid_document,
    read_record,
    summary_document,
)
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import encode
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import planning

__all__ = ["hostile"]

LONG_RULE = ("Every partner shares its data under the agreed protocol. " * 200)[:10_000]
FIELD_MARKS = ("<w:fldSimple", "<w:instrText", "<w:fldChar", "<w:hyperlink", "w:dde", "vbaProject")


def sections(path: Path) -> dict[str, str]:
    """Heading 1 text -> every text under it (paragraphs and tables), in document order."""
    d = docx.Document(str(path))
    out: dict[str, list[str]] = {"": []}
    current = ""
    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = docx.text.paragraph.Paragraph(child, d)
            if p.style.name == "Heading 1":
                current = p.text
                out[current] = []
            else:
                out[current].append(p.text)
        elif tag == "tbl":
            t = docx.table.Table(child, d)
            out[current] += [" | ".join(c.text for c in row.cells) for row in t.rows]
    return {k: "\n".join(v) for k, v in out.items()}


def word_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))


@pytest.fixture
def demo_docs(demo: Store, tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "docs"
    out.mkdir()
    export_documents(demo, out)
    names = file_names(demo)
    return {k: out / names[k] for k in ("pid", "summary")}


def test_the_pid_has_real_headings_numbered_lists_tables_and_a4(demo_docs: dict[str, Path]) -> None:
    d = docx.Document(str(demo_docs["pid"]))
    styles = [p.style.name for p in d.paragraphs]
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:4] == ["Document control", "Partners and parties to the agreement",
                      "Shared ambition and each partner's goals", "Scope and boundaries"]
    assert {"Governance and rules", "Pilots and their metrics", "Evaluation plan and review dates", "Risks",
            "Joint-working checklist", "Decisions and actions"} <= set(h1)
    assert "Heading 2" in styles and "Heading 3" in styles and "List Number" in styles
    # Each numbered list has its own numbering, so each starts at 1.
    num_ids = []
    for p in d.paragraphs:
        if p.style.name == "List Number":
            num_ids.append(p._p.pPr.numPr.numId.val)
    assert len(set(num_ids)) >= 3
    xml = word_xml(demo_docs["pid"])
    assert xml.count('<w:startOverride w:val="1"/>') >= len(set(num_ids))
    assert len(d.tables) >= 8
    assert '<w:tblHeader w:val="true"/>' in xml  # header rows repeat on the next page
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert round(s.left_margin.mm) == 20
    assert d.core_properties.title.startswith("Northbridge Heart Health Partnership")
    assert '<w:lang w:val="en-GB"' in xml
    for mark in FIELD_MARKS:
        assert mark not in xml


def test_the_demo_records_sit_in_their_sections(demo: Store, demo_docs: dict[str, Path]) -> None:
    sec = sections(demo_docs["pid"])
    partners = sec["Partners and parties to the agreement"]
    for p in demo.rows("partners"):
        assert p["name"] in partners
    ambition = demo.rows("ambitions", "chosen = 1")[0]["text"]
    assert ambition in sec["Shared ambition and each partner's goals"]
    assert ambition not in sec["Pilots and their metrics"]
    pilots = sec["Pilots and their metrics"]
    for p in demo.rows("pilots", "chosen = 1"):
        assert p["name"] in pilots and p["success"] in pilots
    assert "Patients at LDL-cholesterol target" in pilots and "Patients with LDL-C ≤ 2.0 mmol/L" in pilots
    assert "41% (2026-09-30)" in pilots and "70% (2027-12-31)" in pilots
    decisions = sec["Decisions and actions"]
    assert "Shared ambition adopted (statement 1)" in decisions
    assert "Draft the written agreement and its executive summary" in decisions and "Tom Reilly (ICB)" in decisions
    assert "Only aggregated, anonymised data leave NHS systems" in sec["Governance and rules"]
    assert "Six-month review" in sec["Evaluation plan and review dates"]
    assert "Clinicians have no protected time" in sec["Risks"]


def test_what_the_demo_leaves_empty_says_not_agreed(demo_docs: dict[str, Path]) -> None:
    sec = sections(demo_docs["pid"])
    assert f"{NOT_AGREED}: which partners are parties to the written agreement." in \
        sec["Partners and parties to the agreement"]
    governance = sec["Governance and rules"]  # the demo's exit rule, in the exit strategy's section
    assert governance.index("Any party may leave with three months' notice") > governance.index("Exit strategy")
    assert f"{NOT_AGREED}: no accountable partner yet for “Project management" in sec["Governance and rules"]
    # unmet checklist items have no owner recorded in the demo
    assert "owner: not agreed at the workshop" in sec["Joint-working checklist"]
    assert "Not ready: 6 must-pass items neither met nor given an owner." in sec["Joint-working checklist"]
    d = docx.Document(str(demo_docs["pid"]))
    gaps = [p for p in d.paragraphs if p.text.startswith(NOT_AGREED)]
    assert gaps and all(p.style.name == "Not agreed" for p in gaps)


def test_an_empty_workshop_says_not_agreed_in_every_section(store: Store) -> None:
    doc = pid_document(read_record(store))
    heads = [i for i, b in enumerate(doc.blocks) if type(b).__name__ == "Heading" and b.level == 1]
    for n, start in enumerate(heads[1:], 1):  # after "Document control"
        end = heads[n + 1] if n + 1 < len(heads) else len(doc.blocks)
        title = doc.blocks[start].text
        inside = doc.blocks[start:end]
        if title == "Joint-working checklist":  # a fixed list: every item "Not yet", each owner "not agreed"
            assert "Not agreed at the workshop" in str(inside)
            continue
        assert any(type(b).__name__ == "Gap" for b in inside), title


def test_the_summary_is_a_draft_until_every_party_consented(demo: Store, tmp_path: Path) -> None:
    summary = summary_document(read_record(demo))
    assert summary.draft.startswith("DRAFT")
    assert "which partners are parties" in summary.text()
    # Parties: the ICB, Riverside and Halden; HeartVoice (no consent in the demo) is not one.
    # as the joint-working tab records them (ui/steps/joint_working.py)
    demo.apply([step_field_edit(demo, 3, "parties", {str(pid): pid in (1, 2, 5) for pid in range(1, 8)})])
    assert planning.parties(demo) == {i: i in (1, 2, 5) for i in range(1, 8)}
    demo.apply([planning.consent_edit(demo, 2, False)])
    text = summary_document(read_record(demo)).text()
    assert "DRAFT" in text and "Riverside Hospitals NHS Foundation Trust" in text.split("consent to publish")[1]
    demo.apply([planning.consent_edit(demo, 2, True)])
    final = summary_document(read_record(demo))
    assert final.draft == "" and "DRAFT" not in final.text()
    assert "Parties to the written agreement:" in final.text()
    out = tmp_path / "d"
    out.mkdir()
    export_documents(demo, out)
    d = docx.Document(str(out / file_names(demo)["summary"]))
    assert not d.sections[0].header.paragraphs[0].text
    assert d.core_properties.category == ""


def test_hostile_text_reads_as_typed_and_is_inert(hostile: Store, tmp_path: Path) -> None:
    hostile.apply([Insert("rules", {"category": "other", "text": a}) for a in ANSWERS])
    hostile.apply([Insert("rules", {"category": "data", "text": LONG_RULE}),
                   Insert("rules", {"category": "decision", "text": HOSTILE[0]}),
                   Insert("ambitions", {"text": HOSTILE[6], "chosen": 1}),
                   Insert("pilots", {"name": HOSTILE[5], "chosen": 1, "success": HOSTILE[7]})])
    for named in (False, True):
        out = tmp_path / f"docs{named}"
        out.mkdir()
        export_documents(hostile, out, include_names=named)
        for key in ("pid", "summary"):
            path = out / file_names(hostile)[key]
            xml = word_xml(path)
            for mark in FIELD_MARKS:
                assert mark not in xml, (key, mark)
            with zipfile.ZipFile(path) as z:
                assert "macroEnabled" not in z.read("[Content_Types].xml").decode()
            d = docx.Document(str(path))
            text = "\n".join([p.text for p in d.paragraphs]
                             + [c.text for t in d.tables for row in t.rows for c in row.cells])
            if key == "pid":
                for h in HOSTILE + ANSWERS:
                    assert clean_text(h).replace("\r", "") in text, repr(h)
                assert LONG_RULE in text  # whole, in one numbered item
            else:
                assert clean_text(HOSTILE[6]) in text and clean_text(HOSTILE[5]) in text
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", xml)


def test_a_cancel_writes_nothing(demo: Store, tmp_path: Path) -> None:
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(DocumentsCancelled):
        export_documents(demo, tmp_path, cancel=cancel)
    assert not [p.name for p in tmp_path.iterdir() if not p.name.startswith("demo.vbpw")]


def test_names_only_when_chosen(demo: Store) -> None:
    named = read_record(demo, include_names=True)
    unnamed = read_record(demo)
    assert ("Dr Amira Khan", "Northbridge Integrated Care Board", "Director of Population Health") in \
        named.participants
    assert unnamed.participants == [] and sum(n for _p, n in unnamed.attendance) == len(demo.rows("participants"))


def test_a_hidden_answer_and_a_small_group_never_reach_the_handout(demo: Store) -> None:
    from vbp_workshop.core.documents import handout_document

    text_poll = next(p for p in queries.polls(demo) if p.kind == "text")
    demo.apply([Insert("ballots", {"poll_id": text_poll.id, "round": 1, "voter": "x1", "grp": "pharma",
                                   "answer": encode("SECRET hidden answer"), "hidden": 1})])
    doc = handout_document(read_record(demo), demo)
    assert "SECRET" not in doc.text()
    # one person from a partner: counted with the other small ones, never named by partner
    demo.apply([Insert("partners", {"id": 99, "name": "Solo Medtech Ltd", "stakeholder": "medtech"}),
                Insert("participants", {"display_name": "Only One", "partner_id": 99, "role": "CEO"})])
    text = handout_document(read_record(demo), demo).text()
    assert "Only One" not in text and "CEO" not in text
    assert "Solo Medtech Ltd | 1" not in text and "Other partners (merged) | 1" in text
