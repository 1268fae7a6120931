"""Step 5: actual values and each metric's reading (statistical process control from its pilot's
start, core/spc.py), lessons, the decision, the case study."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import DECISIONS
from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.steps.checks import metric_readings
from vbp_workshop.core.steps.spc import MIN_POINTS, READING_COLOURS, claim_problems
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec
from vbp_workshop.ui.steps.base import StepPage

RESULT_COLUMNS = ["Metric", "Pilot began", "Points since", "Latest", "Target", "Reading", "Why",
                  "Comparator and attribution"]
READING_COLUMN = RESULT_COLUMNS.index("Reading")


class EvaluatePage(StepPage):
    step = 5

    def build(self) -> None:
        s = self.ctx.session
        results = QSplitter(Qt.Orientation.Vertical)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(plain_label("Has anything changed since the pilots began?", cls="section"))
        lay.addWidget(plain_label(
            "Each metric is read from its pilot's start date with the rules of statistical process control "
            f"(Making Data Count): at least {MIN_POINTS} points since the start, then a shift, a trend or a "
            "point outside the natural limits says it changed; anything else is ordinary variation. "
            "A change that began before the pilot is not the pilot's alone.", cls="hint"))
        # Read-only and computed: a plain table widget is the right tool here, not a model.
        self.results = QTableWidget(0, len(RESULT_COLUMNS))
        self.results.setObjectName("results_table")
        self.results.setHorizontalHeaderLabels(RESULT_COLUMNS)
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.results)
        results.addWidget(box)

        def metrics() -> dict[object, str]:
            return {m["id"]: m["name"] for m in s.store.rows("metrics")}

        results.addWidget(RecordTable(s, TableSpec("actuals", [
            Column("metric_id", "Metric", "choice", metrics, width=300),
            Column("date", "Date", "date", width=110), Column("value", "Value", "float", width=90),
            Column("note", "Note"),
        ], noun="actual value", depends_on=("metrics",),
            defaults=lambda: {"metric_id": next(iter(metrics()), None)}),
            "Actual values", "Entered here, or imported from the workbook partners filled in.",
            movable=False))
        self.tabs.addTab(results, "Results")

        plan = RecordTable(s, TableSpec("pilots", [
            Column("name", "Pilot", width=200), Column("start_date", "Starts", "date", width=100),
            Column("go_criteria", "Go (scale) if…", width=190), Column("adapt_criteria", "Adapt if…", width=190),
            Column("stop_criteria", "Stop if…", width=190), Column("review_date", "Review on", "date", width=100),
        ], noun="pilot"), "Evaluation plan",
            "Decided on the design day, before anything runs: the result that means go, adapt or stop, "
            "when the pilot is reviewed, and (on the Metrics tab of step 4) who collects which data how often.",
            movable=False, addable=False)
        plan.setObjectName("evaluation_plan")
        self.tabs.addTab(plan, "Evaluation plan")
        s.changed.connect(lambda c: self.show_results() if c.touches("metrics", "actuals") else None)
        self.show_results()

        lessons = RecordTable(s, TableSpec("lessons", [Column("text", "Lesson learned")],
                                           noun="lesson"), "Lessons learned",
                              "Include what did not work.")
        self.tabs.addTab(lessons, "Lessons")

        decision = QWidget()
        form = QFormLayout(decision)
        self.decision = QComboBox()
        self.decision.setObjectName("decision")
        for key, label in DECISIONS.items():
            self.decision.addItem(label, key)
        self.decision.currentIndexChanged.connect(self._set_decision)
        form.addRow("Decision", self.decision)
        form.addRow("Rationale", BoundText(s, step=5, key="rationale", multiline=True))
        form.addRow("Share the success",
                    BoundText(s, step=5, key="case_study", multiline=True,
                              placeholder="A short case study every partner agrees can be published"))
        self.claim_check = plain_label(cls="problem")
        self.claim_check.setObjectName("claim_check")
        form.addRow("", self.claim_check)
        self.tabs.addTab(decision, "Decision")
        s.changed.connect(lambda c: self._load_decision() if c.touches("steps", "actuals", "metrics", "pilots")
                          else None)
        self._load_decision()

    def show_results(self) -> None:
        readings = metric_readings(self.ctx.session.store)
        self.results.setRowCount(len(readings))
        for r, (m, reading) in enumerate(readings):
            unit = m["unit"] or ""

            def fmt(v: Any, unit: str = unit) -> str:
                if v is None:
                    return ""
                return f"{unit}{v:g}" if unit in ("£", "$", "€") else f"{v:g} {unit}".strip()

            e = reading.evaluation
            target = fmt(m["target_value"]) + ("" if reading.target_met is None else
                                               " (met)" if reading.target_met else " (not yet)")
            cells = [m["name"], reading.start or "not recorded", str(e.since_start), fmt(reading.latest), target,
                     e.label, e.reason, " · ".join(x for x in (m.get("comparator") or "", m.get("attribution") or "")
                                                   if x)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == READING_COLUMN:
                    item.setForeground(QBrush(QColor("white")))
                    item.setBackground(QBrush(QColor(READING_COLOURS[e.verdict])))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.results.setItem(r, c, item)

    def _load_decision(self) -> None:
        store = self.ctx.session.store
        problems = claim_problems(str(store.step_fields(5).get("case_study") or ""),
                                  [r for _m, r in metric_readings(store)])
        self.claim_check.setText("\n".join("⚠ " + p for p in problems))
        self.claim_check.setVisible(bool(problems))
        value = store.step_fields(5).get("decision", "")
        self.decision.blockSignals(True)
        self.decision.setCurrentIndex(max(0, self.decision.findData(value)))
        self.decision.blockSignals(False)

    def _set_decision(self) -> None:
        store = self.ctx.session.store
        if store.step_fields(5).get("decision", "") == self.decision.currentData():
            return
        self.ctx.session.edit([step_field_edit(store, 5, "decision", self.decision.currentData())],
                              "Record the decision")
