"""The summary page: the partnership at a glance, made to be shown at the end of the day."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import ALIGNMENT_CHOICES
from vbp_workshop.core.steps.checks import RAG_COLOURS
from vbp_workshop.core.steps.summary import summarize
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.labels import plain_label

RAG = RAG_COLOURS


def summary_html(ctx: PageContext) -> str:
    """HTML for the page; every value from the file is escaped (it is typed by people)."""
    s = summarize(ctx.session.store)
    w = s.workshop
    e = escape
    facts = [e(str(w.get(k) or "")) for k in ("pathway", "date", "venue")]
    if w.get("facilitator"):
        facts.append(f"facilitated by {e(w['facilitator'])}")
    parts = [f"<h1>{e(w.get('partnership') or w.get('title') or 'Workshop')}</h1>",
             f"<p class='sub'>{' · '.join(f for f in facts if f)}</p>",
             "<h2>Shared ambition</h2>",
             f"<p class='ambition'>{e(s.ambition) or '<i>Not chosen yet</i>'}</p>"]
    if s.alignment:
        parts.append("<p>" + " · ".join(
            f"{e(p)}: <b>{e(ALIGNMENT_CHOICES.get(st, st) if st else '—')}</b>"
            for p, st, _ in s.alignment) + "</p>")
    parts.append(f"<h2>Partners ({len(s.partners)})</h2><p>"
                 + "<br>".join(f"{e(n)} <span class='sub'>— {e(k)}</span>" for n, k in s.partners)
                 + "</p>")
    parts.append("<h2>Rules</h2><table>" + "".join(
        f"<tr><td>{e(t)}</td><td class='sub'>{e(c) or 'no consent vote yet'}</td></tr>"
        for t, c in s.rules) + "</table>")
    parts.append("<h2>Pilots chosen</h2><ul>" + "".join(
        f"<li><b>{e(n)}</b> — {e(d)}</li>" for n, d in s.pilots) + "</ul>")
    parts.append("<h2>Metrics</h2><table>" + "".join(
        f"<tr><td><span style='color:{RAG[st]}'>●</span> {e(n)}</td><td class='sub'>{e(r)}</td></tr>"
        for n, st, r in s.metrics) + "</table>")
    if s.decision:
        parts.append(f"<h2>Decision</h2><p><b>{e(s.decision.capitalize())}</b></p>")
    parts.append("<h2>Decisions</h2><ul>" + "".join(
        f"<li>{e(d)}" + (f" <span class='sub'>({e(o)})</span>" if o else "") + "</li>"
        for d, o in s.decisions) + "</ul>")
    parts.append("<h2>Open actions</h2><table>" + "".join(
        f"<tr><td>{e(wt)}</td><td>{e(o)}</td><td>{e(d)}</td></tr>"
        for wt, o, d in s.open_actions) + "</table>")
    # Sizes relative to the body, so the same page reads on the window and on the projector.
    style = ("<style>h1{font-size:1.8em;color:#12355b} h2{font-size:1.25em;color:#12355b;"
             "margin-top:14px} .sub{color:#555} .ambition{font-size:1.35em;font-style:italic}"
             " td{padding:2px 10px 2px 0}</style>")
    return style + "".join(parts)


class SummaryPage(QWidget):
    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("summary")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(plain_label("Summary · the partnership at a glance", cls="pageTitle"), 1)
        project = QPushButton("Show on the projector")
        project.setObjectName("summary_projector")
        project.clicked.connect(lambda: ctx.room.show_summary(summary_html(ctx)))
        top.addWidget(project)
        lay.addLayout(top)
        self.view = QTextBrowser()
        self.view.setObjectName("summary_view")
        self.view.setOpenLinks(False)
        lay.addWidget(self.view, 1)
        self.refresh()
        ctx.session.changed.connect(lambda _c: self.refresh() if self.isVisible() else None)

    def showEvent(self, event: object) -> None:
        self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def refresh(self) -> None:
        self.view.setHtml(summary_html(self.ctx))
