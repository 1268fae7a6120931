"""The number kind's workbook block opens in a real spreadsheet program: LibreOffice renders the
results sheet with its figures, histogram and chart to PDF."""

from __future__ import annotations

import os
import statistics
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need_tool
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Insert
from vbp_workshop.core.model.poll import encode
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls.kinds.number import number_text
from vbp_workshop.core.workbook.export import export_workbook

pytestmark = pytest.mark.libreoffice
VALUES = [6, 9, 12, 12, 14.5, 18, 24]


def test_libreoffice_renders_a_number_polls_block(store: Store, tmp_path: Path) -> None:
    soffice = need_tool("soffice", "libreoffice")
    store.apply([new_poll_edit(4, "number", "How many months until the pilot shows savings?", [],
                                       {"min": 0, "max": 36, "unit": "months"})])
    pid = store.rows("polls")[-1]["id"]
    store.apply([Insert("ballots", {"poll_id": pid, "round": 1, "voter": f"v{i}",
                                    "grp": "provider" if i % 2 else "pharma", "answer": encode(v)})
                 for i, v in enumerate(VALUES)])
    book = export_workbook(store, tmp_path / "number.xlsx")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(book)],
        capture_output=True, text=True, timeout=240, check=False, env={**os.environ, "HOME": str(tmp_path)})
    pdf = tmp_path / "number.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    text = subprocess.run([need_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "How many months until the pilot shows savings?" in text
    # The header may wrap in its column ("Value" over "(months)") now the sheet prints one page wide.
    assert "Number (estimate)" in text and "Lower quartile (Q1)" in text and "(months)" in text
    median_row = next(line for line in text.splitlines() if line.strip().startswith("Median") and "By" not in line)
    assert number_text(statistics.median(VALUES)) in median_row
    assert f"{number_text(max(VALUES))} months" in text  # the raw votes, read with their unit
