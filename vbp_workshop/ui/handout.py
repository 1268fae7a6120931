"""The hand-out as an A4 PDF (Qt's QPdfWriter laying out a QTextDocument), with the key charts
drawn by the projector's own chart widgets, rendered offscreen.

Why Qt and not a PDF library: measured on the demo's hand-out (benchmarks/handout_route.py),
QTextDocument + QPdfWriter wrote it in 0.05–0.07 s against ReportLab's 0.11–0.24 s, and it
embeds the system's fonts with fallback per character: a name in Polish, Greek, Cyrillic,
Arabic or Japanese comes out as text (pdftotext reads it back). ReportLab's built-in fonts
cover Latin-1 only and it has no fallback: every one of those names came out as empty boxes
unless a font for each script is registered by hand. The charts are the projector's, so the
hand-out shows what the room saw; and it needs no new dependency.

Both halves run on the GUI thread: `render_charts` builds the chart widgets and paints them
into images, `write_handout` lays the text and those images out and prints them. (On the export's
plain worker thread QTextDocument starts timers that thread cannot run: Qt warns
"QBasicTimer::start: current thread's event dispatcher has already been destroyed".) Both are
short: the Word files and the hand-out's content, the part that grows with the workshop, are
written and laid out on the worker (core/documents).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, Qt, QUrl
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication, QWidget

from vbp_workshop.core.documents.blocks import (
    Chart,
    Document,
    Facts,
    Gap,
    Heading,
    Items,
    PageBreak,
    Para,
    Table,
)
from vbp_workshop.core.documents.handout import chart_polls
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.tally import divergence, headline

# The charts are drawn at the projector's size for 1024×768 (its chart text is 17 px there),
# at twice the pixels so that lines and text stay sharp in print.
CHART_W, CHART_H, CHART_PX, SHARP = 1000, 560, 17, 2
MARGIN_MM = 20  # QTextDocument.print_'s own margin


def _offscreen(widget: Any) -> None:
    """Shown but never on a screen: its layout (axes, legend band, wrapped names) is done."""
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.resize(CHART_W, CHART_H)
    widget.show()


def _settle(widget: Any) -> None:
    """Let the chart lay itself out as a shown one does over a few turns of the event loop."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        widget.fit()


def _chart_image(widget: Any) -> QImage:
    _settle(widget)
    image = QImage(CHART_W * SHARP, CHART_H * SHARP, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(SHARP)
    image.fill(0xFFFFFFFF)
    QWidget.render(widget, image)  # the widget's own render (a graphics view overrides the name)
    return image


def render_charts(store: Store) -> dict[str, tuple[QImage, str]]:
    """On the GUI thread: each key chart as an image, with the line the projector shows under it."""
    from vbp_workshop.ui.polls.charts import chart_for
    from vbp_workshop.ui.polls.charts.groups import GroupChart

    images: dict[str, tuple[QImage, str]] = {}
    for key, poll in chart_polls(store).items():
        tally = queries.round_tally(store, poll)
        if key == "trust":
            sectors = queries.sector_tallies(store, poll)  # merged below the smallest group size
            if not sectors:
                continue
            widget: Any = GroupChart(large=True)
            widget.set_text_px(CHART_PX)
            _offscreen(widget)
            widget.set_groups(poll, sectors, SPLIT_LABELS)
            _d, pair = divergence(poll, sectors)
            line = (f"Furthest apart: {SPLIT_LABELS.get(pair[0], pair[0])} and {SPLIT_LABELS.get(pair[1], pair[1])}."
                    if pair else "")
        else:
            widget = chart_for(poll.kind, large=True)
            widget.set_text_px(CHART_PX)
            _offscreen(widget)
            widget.set_tally(poll, tally)
            line = headline(tally)
        images[key] = (_chart_image(widget), line)
        widget.close()
        widget.deleteLater()
    return images


# -- the PDF -------------------------------------------------------------------------------------

CSS = ("body{font-size:10pt;color:#1a1a1a} h1{color:#12355b;font-size:19pt;margin-bottom:0}"
       " h2{color:#12355b;font-size:13pt;margin-top:14px;margin-bottom:4px}"
       " h3{color:#12355b;font-size:11pt;margin-top:10px;margin-bottom:2px}"
       " .sub{color:#555555;font-size:11pt} .lead{font-size:12pt} .note{color:#555555;font-size:8.5pt}"
       " .gap{color:#5c4400;font-style:italic} .draft{color:#9f1d1d;font-weight:bold}"
       " th{background:#eef3f9;text-align:left} td,th{padding:3px 6px}")


def _e(text: str) -> str:
    return escape(clean_text(str(text))).replace("\n", "<br>")


def handout_html(document: Document, charts: dict[str, tuple[QImage, str]]) -> str:
    """The hand-out as the rich text QTextDocument lays out; every text is cleaned and escaped."""
    out = [f"<style>{CSS}</style><h1>{_e(document.title)}</h1><p class='sub'>{_e(document.subtitle)}</p>"]
    if document.draft:
        out.append(f"<p class='draft'>{_e(document.draft)}</p>")
    charts_seen = 0
    for b in document.blocks:
        if isinstance(b, Heading):
            level = min(3, b.level + 1)
            out.append(f"<h{level}>{_e(b.text)}</h{level}>")
        elif isinstance(b, Para):
            out.append(f"<p class='{b.style or 'body'}'>{_e(b.text)}</p>")
        elif isinstance(b, Gap):
            out.append(f"<p class='gap'>{_e(b.text)}</p>")
        elif isinstance(b, Facts):
            out.append("<p>" + " · ".join(f"<b>{_e(k)}:</b> {_e(v)}" for k, v in b.rows) + "</p>")
        elif isinstance(b, Items):
            tag = "ol" if b.numbered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_e(i)}</li>" for i in b.items) + f"</{tag}>")
        elif isinstance(b, Table):
            total = sum(b.widths) if b.widths else 0
            heads = "".join(f"<th width='{round(100 * w / total)}%'>{_e(h)}</th>" if total else f"<th>{_e(h)}</th>"
                            for h, w in zip(b.headers, b.widths or [0] * len(b.headers), strict=False))
            rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            out.append("<table width='100%' border='1' cellspacing='0' cellpadding='3' "
                       f"style='border-color:#d0d7de;border-collapse:collapse'><thead><tr>{heads}</tr></thead>"
                       f"{rows}</table>")
        elif isinstance(b, Chart):
            # Two charts to a page, each under its title (rich text cannot keep a title with what follows).
            if charts_seen % 2 == 0:
                out.append("<p style='page-break-before:always'></p>" if charts_seen else "")
            charts_seen += 1
            out.append(f"<h3>{_e(b.title)}</h3>")
            if b.key in charts:
                _image, line = charts[b.key]
                out.append(f"<p><img src='chart:{b.key}' width='{round(0.92 * _text_width_px())}'></p>")
                if line:
                    out.append(f"<p>{_e(line)}</p>")
            else:
                out.append("<p class='gap'>Not drawn: too few answers to show without singling anyone out.</p>")
            out.append(f"<p class='note'>{_e(b.caption)}</p>")
        elif isinstance(b, PageBreak):
            out.append("<p style='page-break-after:always'></p>")
    return "".join(out)


RESOLUTION = 300


def _text_width_px() -> int:
    """The text's width in the rich text's pixels (1/96 inch): A4 less Qt's 2 cm printing margins."""
    return int((210 - 2 * MARGIN_MM) / 25.4 * 96)


def write_handout(document: Document, charts: dict[str, tuple[QImage, str]], path: Path,
                  progress: Callable[[float], None] = lambda _f: None) -> Path:
    """A4 portrait PDF; runs on any thread (no widget is touched here)."""
    writer = QPdfWriter(str(path))
    writer.setTitle(clean_text(document.title)[:250])
    writer.setCreator("VBP Workshop")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    # No ligatures: "fi" stays two letters in the PDF's text, as typed (copy, search, screen readers).
    font = QFont(doc.defaultFont())
    font.setFeature(QFont.Tag("liga"), 0)
    doc.setDefaultFont(font)
    for key, (image, _line) in charts.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{key}"), image)
    progress(0.3)
    doc.setHtml(handout_html(document, charts))
    progress(0.6)
    # Qt's own printing: it paginates, keeps a 2 cm margin inside the page and numbers the pages.
    doc.print_(writer)
    del writer  # the file is finished when the writer goes
    progress(1.0)
    if not path.exists() or path.stat().st_size == 0:  # QPdfWriter reports no error of its own
        raise OSError(f"“{path.name}” could not be written in {path.parent}")
    return path


def handout_writer(charts: dict[str, tuple[QImage, str]]) -> Callable[[Document, Path], Path]:
    """The hand-out writer `core.documents` calls, with the charts drawn already."""

    def write(document: Document, path: Path) -> Path:
        return write_handout(document, charts, path)

    return write
