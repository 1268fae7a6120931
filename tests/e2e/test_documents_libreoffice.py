"""The documents as a partner opens them: `vbp-workshop export FILE --documents DIR` with no display,
the two Word files converted to PDF by LibreOffice and read back with pdftotext, the hand-out read
back the same way and its chart pages looked at as pictures (pdftoppm); hostile text goes through
all three as typed, and nothing in them is a link, a field or a script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_tool
from tests.core.test_documents import LONG_RULE
from tests.core.test_workbook_hostile import HOSTILE, hostile
from tests.e2e.test_hostile_export import ANSWERS
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import encode
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.polls import queries

pytestmark = pytest.mark.libreoffice
__all__ = ["hostile"]

PID, SUMMARY, HANDOUT = (f"Northbridge Heart Health Partnership - {x}" for x in
                         ("draft PID.docx", "executive summary.docx", "hand-out.pdf"))


def flat(text: str, *furniture: str) -> str:
    """pdftotext's text with every run of white space as one space (lines wrap where they fit),
    without the page furniture (a header and footer land inside a paragraph that crosses pages)."""
    text = " ".join(text.split())
    for f in furniture:
        text = " ".join(text.replace(f, " ").split())
    return text


def words(text: str) -> str:
    """Without white space and hyphens: LibreOffice breaks a long word at its hyphen, and pdftotext
    joins the two lines without it ("LDL-" + "cholesterol" reads "LDLcholesterol")."""
    return re.sub(r"[\s\-]+", "", text)


def to_pdf(docs: list[Path], tmp_path: Path) -> list[Path]:
    soffice = need_tool("soffice", "libreoffice")
    out = tmp_path / "lo-pdf"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), *map(str, docs)],
        capture_output=True, text=True, timeout=240, check=False, env={**os.environ, "HOME": str(tmp_path)})
    pdfs = [out / (d.stem + ".pdf") for d in docs]
    assert result.returncode == 0 and all(p.exists() for p in pdfs), result.stdout + result.stderr
    return pdfs


def pdf_text(pdf: Path) -> str:
    """The PDF's text, without the page numbers at the foot of each page."""
    text = subprocess.run([need_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return re.sub(r"\n\d+\n+\f", "\n\f", text)


def page_size(pdf: Path) -> str:
    info = subprocess.run([need_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


def no_active_content(pdf: Path) -> None:
    raw = pdf.read_bytes()
    for mark in (b"/URI", b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/ImportData", b"/EmbeddedFile"):
        assert mark not in raw, mark


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.vbpw"
    run = subprocess.run([sys.executable, "-m", "vbp_workshop", "demo", str(path)], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    store = Store.open(path)  # a hidden answer and one person alone from a partner: neither may show
    text = next(p for p in queries.polls(store) if p.kind == "text")
    store.apply([Insert("ballots", {"poll_id": text.id, "round": 1, "voter": "x1", "grp": "pharma",
                                    "answer": encode("SECRET hidden answer"), "hidden": 1})])
    store.close()
    return path


def test_the_cli_writes_the_demo_documents_with_no_display_and_libreoffice_reads_them(
        demo_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, "-m", "vbp_workshop", "export", str(demo_file), "--documents", str(out)],
                         capture_output=True, text=True, timeout=240, check=False, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([PID, SUMMARY, HANDOUT])
    pid_pdf, summary_pdf = to_pdf([out / PID, out / SUMMARY], tmp_path)
    pid = flat(pdf_text(pid_pdf))
    assert "A4" in page_size(pid_pdf) and "A4" in page_size(out / HANDOUT)
    # The demo's partners, ambition, pilots and decisions, each in its section.
    sections = re.split(r"(Partners and parties to the agreement|Shared ambition and each partner's goals|"
                        r"Scope and boundaries|Pilots and their metrics|Evaluation plan and review dates|"
                        r"Decisions and actions|Common language)", pid)
    at = {sections[i]: sections[i + 1] for i in range(1, len(sections) - 1, 2)}
    assert "Halden Pharmaceuticals UK" in at["Partners and parties to the agreement"]
    assert "HeartVoice Patient Network" in at["Partners and parties to the agreement"]
    assert ("By 2030, fewer people in Northbridge have a second heart attack or stroke"
            in at["Shared ambition and each partner's goals"])
    assert "Lipid optimisation clinics in primary care" in at["Pilots and their metrics"]
    assert words("Patients at LDL-cholesterol target") in words(at["Pilots and their metrics"])
    assert "Shared ambition adopted (statement 1)" in at["Decisions and actions"]
    assert "Not agreed at the workshop: which partners are parties to the written agreement." in pid
    assert "Any party may leave with three months' notice" in pid.split("Exit strategy")[1]
    summary = flat(pdf_text(summary_pdf))
    assert summary.count("DRAFT") >= 2 and "not for publication" in summary
    assert "Lipid optimisation clinics in primary care" in summary
    handout = flat(pdf_text(out / HANDOUT))
    for text in ("By 2030, fewer people in Northbridge", "The rules we work by", "Direct referral to cardiac rehab",
                 "Shared ambition adopted (statement 1)", "The trust pulse by sector", "The readiness check",
                 "The pilots on the 2×2", "Furthest apart: Industry and NHS."):
        assert text in handout, text
    everything = pid + summary + handout
    assert "SECRET" not in everything
    assert "Dr Amira Khan" not in handout  # names only when the facilitator chooses
    for pdf in (pid_pdf, summary_pdf, out / HANDOUT):
        no_active_content(pdf)


def _palette_pixels(png: Path) -> dict[str, int]:
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(png))
    wanted = {"blue": QColor("#0072B2"), "orange": QColor("#E69F00"), "green": QColor("#009E73"),
              "agree": QColor("#2166ac")}
    found = dict.fromkeys(wanted, 0)
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            for name, w in wanted.items():
                if abs(c.red() - w.red()) + abs(c.green() - w.green()) + abs(c.blue() - w.blue()) < 40:
                    found[name] += 1
    return found


def test_the_handout_charts_are_pictures_of_the_projectors_charts(demo_file: Path, tmp_path: Path, qapp) -> None:
    from vbp_workshop.core.documents import export_documents
    from vbp_workshop.ui.handout import handout_writer, render_charts

    store = Store.open(demo_file)
    try:
        export_documents(store, tmp_path, handout=handout_writer(render_charts(store)))
    finally:
        store.close()
    pdf = tmp_path / HANDOUT
    subprocess.run([need_tool("pdftoppm"), "-r", "90", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    texts = [pdf_text(pdf).split("\f")[i] for i in range(len(pages))]
    trust = next(i for i, t in enumerate(texts) if "The trust pulse by sector" in t)
    pilots = next(i for i, t in enumerate(texts) if "The pilots on the 2×2" in t)
    first = _palette_pixels(pages[trust])
    assert first["blue"] > 200 and first["orange"] > 200  # NHS and industry bars
    assert first["agree"] > 50  # the readiness check's "strongly agree", on the same page
    assert set(_palette_pixels(pages[0]).values()) == {0}  # text only
    dots = _palette_pixels(pages[pilots])
    assert dots["blue"] > 10 and dots["orange"] > 10 and dots["green"] > 10  # the pilots' dots


def test_hostile_text_goes_through_all_three_unchanged_and_inert(hostile: Store, tmp_path: Path, qapp) -> None:
    from vbp_workshop.core.documents import export_documents, file_names
    from vbp_workshop.ui.handout import handout_writer, render_charts

    hostile.apply([Insert("rules", {"category": "other", "text": a}) for a in ANSWERS])  # what phones sent
    hostile.apply([Insert("rules", {"category": "data", "text": LONG_RULE}),
                   Insert("ambitions", {"text": HOSTILE[6], "chosen": 1}),
                   Insert("pilots", {"name": HOSTILE[5], "chosen": 1, "success": HOSTILE[7]}),
                   Insert("partners", {"name": "Ελληνική Υγεία · Москва Клиника · مستشفى", "stakeholder": "provider"})])
    export_documents(hostile, tmp_path, include_names=True, handout=handout_writer(render_charts(hostile)))
    names = file_names(hostile)
    pid_pdf, summary_pdf = to_pdf([tmp_path / names["pid"], tmp_path / names["summary"]], tmp_path)
    furniture = ("DRAFT — for the partners to review", "Test workshop: project initiation document",
                 "DRAFT — not for publication", "Test workshop: executive summary")
    texts = {"pid": flat(pdf_text(pid_pdf), *furniture), "summary": flat(pdf_text(summary_pdf), *furniture),
             "handout": flat(pdf_text(tmp_path / names["handout"]))}
    for key in ("pid", "handout"):
        for h in HOSTILE + ANSWERS:
            assert flat(clean_text(h)) in texts[key], (key, h)
        assert flat(LONG_RULE) in texts[key], key  # the 10,000-character rule, whole
        assert "Ελληνική Υγεία · Москва Клиника" in texts[key]
    assert flat(clean_text(HOSTILE[6])) in texts["summary"]  # the ambition
    for pdf in (pid_pdf, summary_pdf, tmp_path / names["handout"]):
        no_active_content(pdf)
