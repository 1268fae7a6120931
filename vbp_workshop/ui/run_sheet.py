"""The day's run sheet: one printable page of the agenda and its timeboxes, as a PDF."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import STEP_TITLES
from vbp_workshop.ui.shared.dates import show_date


def run_sheet_html(store: Store) -> str:
    """Every value from the file is escaped: it was typed by people."""
    w = store.workshop()
    e = escape
    facts = " · ".join(e(show_date(str(w[k])) if k == "date" else str(w.get(k) or ""))
                       for k in ("date", "venue", "facilitator") if w.get(k))
    rows, start = [], 0
    for item in store.rows("agenda"):
        minutes = int(item["planned_min"] or 0)
        step = STEP_TITLES.get(int(item["step"] or 0), "")
        h, m = divmod(start, 60)
        rows.append(f"<tr><td>+{h}:{m:02d}</td><td><b>{e(item['title'])}</b>"
                    + (f"<br><span style='color:#555'>Step {item['step']}: {e(step)}</span>"
                       if step and step.lower() not in str(item["title"]).lower() else "")
                    + (f"<br><span style='color:#555'>{e(item['notes'])}</span>" if item["notes"] else "")
                    + f"</td><td align='right'>{minutes} min</td><td>&nbsp;</td></tr>")
        start += minutes
    h, m = divmod(start, 60)
    return (
        "<style>td,th{padding:4px 8px;border-bottom:1px solid #ccc} th{text-align:left;background:#eef3f9}"
        " h1{color:#12355b;font-size:18pt} body{font-size:10pt}</style>"
        f"<h1>Run sheet · {e(w.get('title') or 'Workshop')}</h1>"
        f"<p>{facts}</p>"
        "<table width='100%' cellspacing='0'><tr><th>Starts</th><th>Item</th><th>Timebox</th>"
        "<th>Actual</th></tr>" + "".join(rows) + "</table>"
        f"<p><b>{len(rows)} items, {h} h {m:02d} min</b> planned. In the app: Agenda (top right) runs an "
        "item's timebox; finishing it records the actual time.</p>"
        "<p><b>Before the room arrives:</b> laptop on power · Start phone voting, pick the room's network · "
        "projector window (F5) on the projector · join from your own phone · a hand count is always "
        "possible.</p>")


def write_run_sheet(store: Store, path: Path) -> Path:
    """A4 portrait, one page for a usual day's agenda."""
    writer = QPdfWriter(str(path))
    writer.setTitle("Run sheet")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(run_sheet_html(store))
    doc.print_(writer)  # lays the text out for the page at the writer's resolution
    return path
