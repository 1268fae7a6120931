"""Step 2: contributions side by side, the trust pulse's gap, barriers and risk appetite."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import BARRIER_KINDS, CONTRIBUTION_LEVELS, RESOURCES
from vbp_workshop.core.steps.balance import investment_balance
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import ChoiceDelegate, RecordTable
from vbp_workshop.ui.shared.table_models import Column, GridModel, GridSpec, TableSpec
from vbp_workshop.ui.steps.base import StepPage


class TrustPage(StepPage):
    step = 2

    def build(self) -> None:
        s = self.ctx.session
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(plain_label("What each partner brings", cls="section"))
        lay.addWidget(plain_label("Rate each contribution (none, some, significant, major) and "
                                  "note what it is. Partners are not meant to bring equal amounts: "
                                  "the check is per resource.",
                                  cls="hint"))

        def total(_row: Any, values: dict[Any, Any]) -> str:
            return str(sum(int(v or 0) for v in values.values()))

        def share(row: Any, _values: dict[Any, Any]) -> str:
            shares = investment_balance(s.store).shares
            return f"{shares.get(row['name'], 0):.0%}" if shares else ""

        self.contributions = GridModel(s, GridSpec(
            "partners", "name", "contributions", "partner_id", "resource", "level",
            lambda: [(r, r.capitalize()) for r in RESOURCES], CONTRIBUTION_LEVELS,
            extra=[("Total", total), ("Share", share)]))
        grid = QTableView()
        grid.setObjectName("contributions_grid")
        grid.setModel(self.contributions)
        grid.setItemDelegate(ChoiceDelegate(self.contributions, grid))
        grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        grid.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(grid, 1)
        self.balance = plain_label(cls="verdict")
        self.balance.setObjectName("balance")
        lay.addWidget(self.balance)
        names = self.ctx.partner_names
        lay.addWidget(RecordTable(s, TableSpec("contributions", [
            Column("partner_id", "Partner", "choice", names, editable=False, width=300),
            Column("resource", "Resource", "choice", {r: r.capitalize() for r in RESOURCES}, editable=False,
                   width=90),
            Column("level", "Level", "choice", CONTRIBUTION_LEVELS, width=110),
            Column("note", "What exactly (hours a month, funding, data sets, expertise)"),
        ], noun="contribution", depends_on=("partners",)), "What each contribution is",
            movable=False, addable=False), 1)
        self.tabs.addTab(page, "Contributions")
        s.changed.connect(lambda c: self.show_balance() if c.touches("contributions", "partners") else None)
        self.show_balance()

        barriers = QWidget()
        blay = QVBoxLayout(barriers)
        blay.addWidget(RecordTable(s, TableSpec("barriers", [
            Column("kind", "Kind", "choice", BARRIER_KINDS, width=80),
            Column("text", "Barrier", width=380, sentence=True),
            Column("note", "What would help"),
        ], noun="barrier", defaults=lambda: {"kind": "hard"}), "Barriers the room names",
            "Hard: time, resources, scaling. Soft: trust, misconceptions about motives."), 1)
        blay.addWidget(plain_label("Risk appetite", cls="section"))
        blay.addWidget(BoundText(s, step=2, key="risk_appetite", multiline=True,
                                 placeholder="How much risk is the partnership willing to take, and where?"))
        self.tabs.addTab(barriers, "Barriers and risk")
        self.tabs.addTab(TrustPulse(self.ctx), "Trust pulse")

    def show_balance(self) -> None:
        b = investment_balance(self.ctx.session.store)
        if not b.shares:  # nothing recorded yet: an instruction, not a verdict (no green tick)
            self.balance.setText(b.message)
            self.balance.setProperty("class", "hint")
        else:
            self.balance.setText(("✔ " if b.balanced else "⚠ ") + b.message)
            self.balance.setProperty("class", "verdict")
        self.balance.setProperty("ok", b.balanced)
        self.balance.style().unpolish(self.balance)
        self.balance.style().polish(self.balance)


class TrustPulse(QWidget):
    """The trust pulse's importance-versus-satisfaction gap, biggest gaps first, and where the
    stakeholder groups see it differently. Fed from the step's poll marked "trust"."""

    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        from vbp_workshop.ui.polls.charts import chart_for

        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label("Importance versus satisfaction: the gap is where to work", cls="section"))
        self.chart = chart_for("importance")
        self.chart.setObjectName("trust_chart")
        lay.addWidget(self.chart, 3)
        self.gaps = plain_label()
        self.gaps.setObjectName("trust_gaps")
        lay.addWidget(self.gaps, 1)
        ctx.session.changed.connect(
            lambda c: self.refresh() if c.touches("ballots", "polls") and (c.origin != "phone" or self.isVisible())
            else None)
        self.refresh()

    def poll(self) -> Any:
        from vbp_workshop.core.polls import queries

        found = [p for p in queries.polls(self.ctx.session.store, 2) if p.target == "trust"]
        return found[0] if found else None

    def refresh(self) -> None:
        from vbp_workshop.core.model.domain import GROUP_LABELS
        from vbp_workshop.core.polls.spreads import apart_words, divergence_details

        poll = self.poll()
        if poll is None:
            self.gaps.setText("No trust-pulse poll in this step (its target is “trust”).")
            return
        result = self.ctx.session.result(poll)
        t = result.tally
        self.chart.set_tally(poll, t)
        ranked = sorted(((g, o) for o, g in zip(poll.options, t.means, strict=False) if g is not None),
                        reverse=True)
        lines = [f"{n}. {o}: gap {g:+.1f}" for n, (g, o) in enumerate(ranked, 1)]
        d, pair = result.group_divergence, result.group_pair
        if pair:
            lines.append(f"Groups see it most differently: {GROUP_LABELS.get(pair[0], pair[0])} and "
                         f"{GROUP_LABELS.get(pair[1], pair[1])}, {apart_words(d)} — use “Split by "
                         "stakeholder group” on the Polls tab.")
        self.gaps.setText("\n".join(lines) if lines else f"No answers yet to “{poll.question}”.")
        self.gaps.setToolTip(divergence_details(d) if pair else "")
