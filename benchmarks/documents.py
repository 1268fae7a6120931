"""Time to write the three documents (draft PID, executive summary, hand-out) for the demo and for
the 500-participant workshop of benchmarks/export.py, phase by phase, beside the workbook's
export of the same workshop in the same run (the baseline).

    python benchmarks/documents.py [--runs 3] [--route]

--route also compares the hand-out's PDF routes on the demo's hand-out: Qt (QTextDocument and
QPdfWriter, what the product uses) against ReportLab (`pip install reportlab` first; not a
dependency of the product): the time, and which names in other scripts pdftotext reads back.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication

from vbp_workshop import ui  # noqa: F401  (pyqtgraph binds to PySide6)
from vbp_workshop.core.documents import Document, prepare_documents
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.steps.demo import build_demo
from vbp_workshop.core.workbook.export import export_workbook
from vbp_workshop.ui.handout import handout_writer, render_charts

NAMES = ["Łódź Pharma", "東京メディカル", "Ελληνική Υγεία", "Москва Клиника", "مستشفى الشفاء"]


def large(path: Path) -> Store:
    from export import large_workshop  # benchmarks/export.py

    store = large_workshop(path)
    # The hand-out's three charts come from polls with these targets (as in the template).
    polls = store.rows("polls")
    pick = {}
    for kind, target, step in (("importance", "trust", 2), ("agreement", "readiness", 2), ("matrix", "pilots", 4)):
        row = next(p for p in polls if p["kind"] == kind and p["id"] not in pick.values())
        pick[target] = row["id"]
        store.apply([Update("polls", row["id"], {"target": target, "step": step})])
    return store


def time_documents(store: Store, folder: Path, names: bool) -> dict[str, float]:
    t0 = time.perf_counter()
    pending = prepare_documents(store, folder, include_names=names)
    t1 = time.perf_counter()
    charts = render_charts(store)
    t2 = time.perf_counter()
    pending.finish(handout_writer(charts))
    t3 = time.perf_counter()
    return {"record and Word files": t1 - t0, "charts": t2 - t1, "hand-out PDF": t3 - t2, "all three": t3 - t0}


def report(label: str, store: Store, tmp: Path, runs: int) -> None:
    for names in (False, True):
        times: dict[str, list[float]] = {}
        for i in range(runs):
            out = tmp / f"{label}-{names}-{i}"
            out.mkdir()
            for k, v in time_documents(store, out, names).items():
                times.setdefault(k, []).append(v)
        book = []
        for i in range(runs):
            t = time.perf_counter()
            export_workbook(store, tmp / f"{label}-{i}.xlsx", include_names=names)
            book.append(time.perf_counter() - t)
        parts = ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in times.items() if k != "all three")
        total = statistics.median(times["all three"])
        print(f"{label}, names {'included' if names else 'counted'}: all three {total:.2f} s ({parts}); "
              f"the workbook {statistics.median(book):.2f} s; ratio {total / statistics.median(book):.2f}")


def reportlab_pdf(document: Document, images: dict[str, Path], path: Path) -> None:
    from html import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, ListFlowable, Paragraph, SimpleDocTemplate
    from reportlab.platypus import Table as RLTable

    from vbp_workshop.core.documents.blocks import Chart, Facts, Gap, Heading, Items, Para, Table

    ss = getSampleStyleSheet()
    story = [Paragraph(escape(document.title), ss["Title"])]
    for b in document.blocks:
        if isinstance(b, Heading):
            story.append(Paragraph(escape(b.text), ss["Heading2" if b.level == 1 else "Heading3"]))
        elif isinstance(b, Para | Gap):
            story.append(Paragraph(escape(b.text), ss["Normal"]))
        elif isinstance(b, Facts):
            story.append(Paragraph(escape(" · ".join(f"{k}: {v}" for k, v in b.rows)), ss["Normal"]))
        elif isinstance(b, Items):
            story.append(ListFlowable([Paragraph(escape(i), ss["Normal"]) for i in b.items],
                                      bulletType="1" if b.numbered else "bullet"))
        elif isinstance(b, Table):
            story.append(RLTable([[Paragraph(escape(c), ss["Normal"]) for c in r] for r in [b.headers, *b.rows]]))
        elif isinstance(b, Chart) and b.key in images:
            story.append(Image(str(images[b.key]), width=170 * mm, height=170 * mm * 0.56))
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def route(tmp: Path, runs: int) -> None:
    from vbp_workshop.core.documents import handout_document, read_record
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.ui.handout import write_handout

    store = build_demo(tmp / "route.vbpw")
    store.apply([Insert("partners", {"name": n, "stakeholder": "other"}) for n in NAMES])
    document = handout_document(read_record(store), store)
    charts = render_charts(store)
    images = {}
    for key, (image, _line) in charts.items():
        images[key] = tmp / f"{key}.png"
        image.save(str(images[key]))
    qt, rl = [], []
    for i in range(runs):
        t = time.perf_counter()
        write_handout(document, charts, tmp / f"qt{i}.pdf")
        qt.append(time.perf_counter() - t)
        t = time.perf_counter()
        try:
            reportlab_pdf(document, images, tmp / f"rl{i}.pdf")
        except ImportError:
            print("ReportLab is not installed: pip install reportlab to compare")
            return
        rl.append(time.perf_counter() - t)
    for label, times, pdf in (("Qt (QTextDocument + QPdfWriter)", qt, tmp / "qt0.pdf"),
                              ("ReportLab (built-in fonts)", rl, tmp / "rl0.pdf")):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        shown = [n for n in NAMES if n in " ".join(text.split())]
        print(f"{label}: median {statistics.median(times):.3f} s over {runs} runs, {pdf.stat().st_size // 1024} kB; "
              f"names read back: {len(shown)} of {len(NAMES)} ({', '.join(shown) or 'none'})")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--route", action="store_true", help="compare the hand-out's PDF routes (Qt, ReportLab)")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp())
    demo = build_demo(tmp / "demo.vbpw")
    report("demo", demo, tmp, args.runs)
    demo.close()
    t = time.perf_counter()
    big = large(tmp / "large.vbpw")
    print(f"(built the 500-participant workshop in {time.perf_counter() - t:.1f} s)")
    report("500 participants, 100 polls, 50 000 votes", big, tmp, args.runs)
    big.close()
    if args.route:
        route(tmp, args.runs)
    app.processEvents()


if __name__ == "__main__":
    main()
