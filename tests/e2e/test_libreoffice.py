"""The exported workbook opens in a real spreadsheet program: LibreOffice converts it to PDF, and
re-saves a workbook built from hostile input with every text intact and no formula."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import need_tool
from tests.core.test_workbook_hostile import HOSTILE, LONG, hostile, shown
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.workbook.export import export_workbook

pytestmark = pytest.mark.libreoffice
__all__ = ["hostile"]  # the fixture: a workshop whose every person-typed text is hostile


def test_libreoffice_opens_the_workbook_and_renders_every_sheet(demo: Store, tmp_path: Path) -> None:
    soffice = need_tool("soffice", "libreoffice")
    book = export_workbook(demo, tmp_path / "outcome.xlsx")
    profile = tmp_path / "lo-profile"  # a private profile: no clash with another running office
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(book)],
        capture_output=True, text=True, timeout=240, check=False, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "outcome.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    assert pdf.stat().st_size > 20_000
    pdfinfo = need_tool("pdfinfo")
    pages = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) >= 14
    text = subprocess.run([need_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Northbridge Heart Health Partnership" in text
    assert "SHA-256" in text and "Raw votes" in text


def _convert(soffice: str, book: Path, tmp_path: Path, to: str) -> Path:
    outdir = tmp_path / f"lo-{to.split(':', maxsplit=1)[0]}"
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to,
         "--outdir", str(outdir), str(book)],
        capture_output=True, text=True, timeout=240, check=False, env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    return outdir


def test_libreoffice_reads_hostile_text_as_text_intact(hostile: Store, tmp_path: Path) -> None:
    """A workbook built from hostile names, options and phone answers, opened by LibreOffice and
    saved again: no formula anywhere, every cell's text as typed (minus removed characters)."""
    soffice = need_tool("soffice", "libreoffice")
    book = export_workbook(hostile, tmp_path / "hostile.xlsx", include_names=True)
    resaved = _convert(soffice, book, tmp_path, "xlsx") / "hostile.xlsx"
    assert resaved.exists()
    with zipfile.ZipFile(resaved) as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) >= 14
    assert sum(len(re.findall(r"<f[ >]", x)) for x in sheets) == 0  # LibreOffice made no formula either
    wb = openpyxl.load_workbook(resaved)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for h in HOSTILE:
        assert shown(h) in texts, repr(h)
    assert shown(LONG) in texts
    names = [c.value for c in wb["Participants"]["A"][1:] if c.value]
    assert names == [shown(h) for h in HOSTILE]
    # Every raw vote survived (LibreOffice dropped rows at a U+FFFE before).
    raw = [r for r in wb["Raw votes"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
    assert len(raw) == len(hostile.rows("ballots"))


def test_libreoffice_keeps_the_filters_and_rows_of_raw_votes_too_long_for_a_table(
        demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past TABLE_ROWS votes the Raw votes sheet is an autofilter, not a table: LibreOffice opens
    it, keeps the filter on the header row and every vote."""
    from vbp_workshop.core.workbook import xlsx

    soffice = need_tool("soffice", "libreoffice")
    votes = len(demo.rows("ballots"))
    monkeypatch.setattr(xlsx, "TABLE_ROWS", votes - 1)
    book = export_workbook(demo, tmp_path / "filtered.xlsx")
    resaved = _convert(soffice, book, tmp_path, "xlsx") / "filtered.xlsx"
    raw = openpyxl.load_workbook(resaved)["Raw votes"]
    assert raw.auto_filter.ref and raw.auto_filter.ref.startswith("A1:K")
    assert sum(1 for r in raw.iter_rows(min_row=2, values_only=True) if r[0] is not None) == votes
