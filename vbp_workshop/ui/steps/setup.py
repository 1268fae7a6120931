"""Setup: the workshop's details, the partners, the participants and the agenda."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.model.domain import NUMBERED_STEPS, Stakeholder
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.template import ensure_partner_rows
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.dates import date_hint, read_date, show_date
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec
from vbp_workshop.ui.steps.frame_tab import FrameTab

AGENDA_STEPS = {0: "—", **NUMBERED_STEPS}


class SetupPage(QWidget):
    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("setup")
        s = ctx.session
        lay = QVBoxLayout(self)
        lay.addWidget(plain_label("Setup · the partnership, partners, participants and agenda",
                                  cls="pageTitle"))
        tabs = QTabWidget()
        lay.addWidget(tabs, 1)

        details = QWidget()
        form = QFormLayout(details)
        for key, label, hint in [
            ("title", "Workshop title", ""), ("partnership", "Partnership", ""),
            ("pathway", "Care pathway or challenge", "e.g. secondary prevention of cardiovascular disease"),
            ("date", "Date", date_hint()), ("venue", "Venue", ""), ("facilitator", "Facilitator", ""),
        ]:
            form.addRow(label, BoundText(s, table="workshop", id_=1, key=key, placeholder=hint,
                                         parse=read_date if key == "date" else None,
                                         show=show_date if key == "date" else None))
        self.min_group = QSpinBox()
        self.min_group.setObjectName("min_group_size")
        self.min_group.setRange(1, 50)
        self.min_group.setValue(queries.min_group(s.store))
        self.min_group.setToolTip("Results by stakeholder group are shown only for groups with at "
                                  "least this many respondents; smaller groups merge with the other small "
                                  "groups of their sector, then into “other”.")
        self.min_group.editingFinished.connect(self._set_min_group)
        form.addRow("Smallest group shown on its own", self.min_group)
        tabs.addTab(details, "Workshop")

        partners = RecordTable(s, TableSpec("partners", [
            Column("name", "Organisation", width=320),
            Column("stakeholder", "Stakeholder type", "choice", ctx.stakeholder_labels, width=240),
            Column("goals", "Own goals (step 1)"),
        ], noun="partner", defaults=lambda: {"name": "New partner", "stakeholder": Stakeholder.OTHER.value},
            companions=lambda pid: ensure_partner_rows(s.store, pid)),
            "Partner organisations")
        tabs.addTab(partners, "Partners")

        def partner_choices() -> dict[object, str]:
            choices: dict[object, str] = {None: "—"}
            for pid, name in ctx.partner_names().items():
                choices[pid] = name
            return choices

        people = RecordTable(s, TableSpec("participants", [
            Column("display_name", "Name (optional)", width=220,
                   tip="Names never reach the phones and are left out of the export by default"),
            Column("partner_id", "Partner", "choice", partner_choices, width=320),
            Column("role", "Role"),
        ], noun="participant", depends_on=("partners",)), "Participants",
            "Import a list from Excel or CSV with File › Import participants.")
        tabs.addTab(people, "Participants")

        agenda = QSplitter(Qt.Orientation.Vertical)
        self.agenda = RecordTable(s, TableSpec("agenda", [
            Column("title", "Item", width=340), Column("step", "Step", "choice", AGENDA_STEPS, width=230),
            Column("planned_min", "Planned (min)", "int", width=100),
            Column("actual_min", "Actual (min)", "int", width=100), Column("notes", "Notes"),
        ], noun="agenda item"), "Agenda")
        agenda.addWidget(self.agenda)
        self.total = plain_label(cls="hint")
        self.total.setObjectName("agenda_total")
        agenda.addWidget(self.total)
        tabs.addTab(agenda, "Agenda")
        tabs.addTab(FrameTab(s), "Opening, pre-work and close")
        s.changed.connect(lambda c: self.show_total() if c.touches("agenda") else None)
        self.show_total()

    def show_total(self) -> None:
        rows = self.ctx.session.store.rows("agenda")
        planned = sum(int(r["planned_min"] or 0) for r in rows)
        actual = sum(int(r["actual_min"] or 0) for r in rows if r["actual_min"] is not None)
        h, m = divmod(planned, 60)
        self.total.setText(f"Planned: {h} h {m:02d} min in {len(rows)} items"
                           + (f" · actual so far: {actual} min" if actual else ""))

    def _set_min_group(self) -> None:
        value = self.min_group.value()
        if value != self.ctx.session.store.workshop().get("min_group_size"):
            self.ctx.session.edit([Update("workshop", 1, {"min_group_size": value})],
                                  "Change smallest group size")  # the live state follows the file

