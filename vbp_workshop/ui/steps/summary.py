"""The summary page: the partnership at a glance, made to be shown at the end of the day."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import ALIGNMENT_CHOICES, DECISIONS
from vbp_workshop.core.steps.spc import READING_COLOURS, VERDICT_LABELS
from vbp_workshop.core.steps.summary import summarize
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.dates import show_date
from vbp_workshop.ui.shared.labels import plain_label


def summary_html(ctx: PageContext, room: bool = False) -> str:
    """HTML for the page (`room`: for the projector); every value from the file is escaped (it
    is typed by people). A section with nothing in it is left out for the room (no heading over
    nothing) and says "none yet" on the facilitator's page."""
    s = summarize(ctx.session.store)
    w = s.workshop
    e = escape
    facts = [e(show_date(str(w.get("date") or "")) if k == "date" else str(w.get(k) or ""))
             for k in ("pathway", "date", "venue")]
    if w.get("facilitator"):
        facts.append(f"facilitated by {e(w['facilitator'])}")
    parts = [f"<h1>{e(w.get('partnership') or w.get('title') or 'Workshop')}</h1>",
             f"<p class='sub'>{' · '.join(f for f in facts if f)}</p>"]

    def section(title: str, body: str, empty: bool) -> None:
        if empty and room:
            return
        parts.append(f"<h2>{title}</h2>" + ("<p class='sub'>None yet</p>" if empty else body))

    section("Shared ambition", f"<p class='ambition'>{e(s.ambition)}</p>", not s.ambition)
    if s.alignment:
        parts.append("<p>" + " · ".join(
            f"{e(p)}: <b>{e(ALIGNMENT_CHOICES.get(st, st) if st else '—')}</b>"
            for p, st, _ in s.alignment) + "</p>")
    section(f"Partners ({len(s.partners)})", "<p>" + "<br>".join(
        f"{e(n)} <span class='sub'>— {e(k)}</span>" for n, k in s.partners) + "</p>", not s.partners)
    section("Rules", "<table>" + "".join(
        f"<tr><td>{e(t)}</td><td class='sub'>{e(c) or 'no consent vote yet'}</td></tr>"
        for t, c in s.rules) + "</table>", not s.rules)
    section("Pilots chosen", "<ul>" + "".join(
        f"<li><b>{e(n)}</b>" + (f" — {e(d)}" if d else "") + "</li>" for n, d in s.pilots) + "</ul>", not s.pilots)
    section("Metrics", "<table>" + "".join(
        f"<tr><td><span style='color:{READING_COLOURS[st]}'>●</span> {e(n)}</td>"
        f"<td class='sub'>{e(VERDICT_LABELS[st])}: {e(r)}</td></tr>"
        for n, st, r in s.metrics) + "</table>", not s.metrics)
    if s.decision:
        section("Decision", f"<p><b>{e(DECISIONS.get(s.decision, s.decision.capitalize()))}</b></p>", False)
    section("Decisions", "<ul>" + "".join(
        f"<li>{e(d)}" + (f" <span class='sub'>({e(o)})</span>" if o else "") + "</li>"
        for d, o in s.decisions) + "</ul>", not s.decisions)
    section("Open actions", "<table>" + "".join(
        f"<tr><td>{e(wt)}</td><td>{e(o)}</td><td>{e(show_date(d))}</td></tr>"
        for wt, o, d in s.open_actions) + "</table>", not s.open_actions)
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
        project.clicked.connect(lambda: ctx.room.show_summary(summary_html(ctx, room=True)))
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
