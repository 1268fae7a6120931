"""The exported workbook opens in a real spreadsheet program: LibreOffice converts it to PDF."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need_tool
from vbp_workshop.core.export import export_workbook
from vbp_workshop.core.store import Store

pytestmark = pytest.mark.libreoffice


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
