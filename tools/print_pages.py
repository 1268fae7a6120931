"""How many A4 pages the exported workbook prints, per sheet, as LibreOffice prints it.

    python tools/print_pages.py [--people 9] [OUT_DIR]

Builds the demo workshop, keeps the votes and ideas of the first N phones (a N-person day; all
of them without --people), exports the workbook, converts it to PDF with LibreOffice
(`soffice --headless --convert-to pdf`) and counts pages with `pdfinfo`; each page's footer
("<sheet> — page P of N") names its sheet."""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.core.workbook.export import export_workbook


def day_of(people: int, path: Path) -> Store:
    """The demo's day with only the first `people` phones (their votes, ideas and supports)."""
    store = build_demo(path)
    if people:
        keep = [d["pseudonym"] for d in store.rows("devices", order="id")][:people]
        marks = ",".join("?" * len(keep))
        with store.conn:
            store.conn.execute(f"DELETE FROM ballots WHERE source = 'phone' AND voter NOT IN ({marks})", keep)
            store.conn.execute(f"DELETE FROM idea_supports WHERE device NOT IN ({marks})", keep)
            store.conn.execute(f"DELETE FROM devices WHERE pseudonym NOT IN ({marks})", keep)
    return store


def pdf_of(book: Path, work: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    profile = work / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(book)], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(work)})
    return work / (book.stem + ".pdf")


def pages(pdf: Path) -> tuple[int, dict[str, int]]:
    """(pages in all, pages per sheet) — a sheet's pages are those whose footer names it."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])  # type: ignore[index]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    per: dict[str, int] = collections.Counter()
    for page in text.split("\f")[:total]:
        found = re.findall(r"(\S[^\n]*?) — page \d+ of \d+", page)
        per[found[-1].strip() if found else "?"] += 1
    return total, dict(per)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=0)
    ap.add_argument("out", nargs="?", default="")
    args = ap.parse_args()
    work = Path(args.out or tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    store = day_of(args.people, work / "day.vbpw")
    try:
        book = export_workbook(store, work / "day.xlsx")
    finally:
        store.close()
    total, per = pages(pdf_of(book, work))
    print(f"{total} pages ({args.people or 'all'} people)")
    for sheet, n in per.items():
        print(f"  {n:3d}  {sheet}")


if __name__ == "__main__":
    main()
