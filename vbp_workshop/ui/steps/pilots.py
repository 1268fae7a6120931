"""Step 4: candidate pilots scored for impact and effort, and the metric register."""

from __future__ import annotations

from vbp_workshop.core.model.domain import DIRECTIONS, METRIC_TYPES
from vbp_workshop.core.steps.checks import metric_problems
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec
from vbp_workshop.ui.steps.base import StepPage


class PilotsPage(StepPage):
    step = 4

    def build(self) -> None:
        s = self.ctx.session
        self.pilots = RecordTable(s, TableSpec("pilots", [
            Column("name", "Pilot", width=260), Column("description", "Description", width=260, sentence=True),
            Column("impact", "Impact (1–5)", "float", width=95, tip="From the 2×2 vote, or entered"),
            Column("effort", "Effort (1–5)", "float", width=95, tip="From the 2×2 vote, or entered"),
            Column("chosen", "Chosen", "check", width=70),
            Column("success", "Success definition (before it starts)"),
        ], noun="pilot"), "Candidate pilots", "Score them with the 2×2 poll, then choose.")
        def pilots() -> dict[object, str]:
            return {None: "—", **{p["id"]: p["name"] for p in s.store.rows("pilots")}}

        self.metrics = RecordTable(s, TableSpec("metrics", [
            Column("pilot_id", "Pilot", "choice", pilots, width=170),
            Column("name", "Metric", width=200), Column("definition", "Definition", width=180),
            Column("type", "Type", "choice", METRIC_TYPES, width=120),
            Column("unit", "Unit", width=70),
            Column("numerator", "Numerator", width=140), Column("denominator", "Denominator", width=140),
            Column("direction", "Direction", "choice", DIRECTIONS, width=120),
            Column("baseline_value", "Baseline", "float", width=75),
            Column("baseline_date", "Baseline date", "date", width=100),
            Column("target_value", "Target", "float", width=70),
            Column("target_date", "Target date", "date", width=100),
            Column("source", "Data source", width=150), Column("frequency", "Frequency", width=90),
            Column("owner", "Owner", width=140),
            Column("comparator", "Comparator", width=160,
                   tip="Another site, the period before, or national figures: what the change is compared with"),
            Column("attribution", "What else changed", tip="Anything else that could explain a change"),
        ], noun="metric", problems=metric_problems, depends_on=("pilots",),
            defaults=lambda: {"name": "New metric"}),
            "Metric register", "Patient outcomes first; rates need a numerator and denominator.")
        self.tabs.addTab(self.pilots, "Pilots")
        self.tabs.addTab(self.metrics, "Metrics")
