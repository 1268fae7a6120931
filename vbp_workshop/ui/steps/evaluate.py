"""Step 5: actual values, progress and RAG per metric, lessons, the decision, the case study."""

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
from vbp_workshop.core.steps.checks import RAG_COLOURS, RAG_LABELS, rag
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.labels import plain_label
from vbp_workshop.ui.shared.record_table import RecordTable
from vbp_workshop.ui.shared.table_models import Column, TableSpec
from vbp_workshop.ui.steps.base import StepPage


class EvaluatePage(StepPage):
    step = 5

    def build(self) -> None:
        s = self.ctx.session
        results = QSplitter(Qt.Orientation.Vertical)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(plain_label("Results against targets", cls="section"))
        # Read-only and computed: a plain table widget is the right tool here, not a model.
        self.results = QTableWidget(0, 7)
        self.results.setObjectName("results_table")
        self.results.setHorizontalHeaderLabels(
            ["Metric", "Baseline", "Target", "Latest", "Progress", "Status", "Why"])
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
        self.tabs.addTab(decision, "Decision")
        s.changed.connect(lambda c: self._load_decision() if c.touches("steps") else None)
        self._load_decision()

    def show_results(self) -> None:
        store = self.ctx.session.store
        actuals: dict[int, list[dict[str, Any]]] = {}
        for a in store.rows("actuals"):
            actuals.setdefault(a["metric_id"], []).append(a)
        metrics = store.rows("metrics")
        self.results.setRowCount(len(metrics))
        for r, m in enumerate(metrics):
            status = rag(m, actuals.get(m["id"], []))
            unit = m["unit"] or ""

            def fmt(v: Any, unit: str = unit) -> str:
                if v is None:
                    return ""
                return f"{unit}{v:g}" if unit in ("£", "$", "€") else f"{v:g} {unit}".strip()

            cells = [m["name"], fmt(m["baseline_value"]), fmt(m["target_value"]),
                     fmt(status.latest),
                     "" if status.progress is None else f"{status.progress:.0%}",
                     RAG_LABELS[status.status], status.reason]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 5:
                    item.setForeground(QBrush(QColor("white")))
                    item.setBackground(QBrush(QColor(RAG_COLOURS[status.status])))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.results.setItem(r, c, item)

    def _load_decision(self) -> None:
        value = self.ctx.session.store.step_fields(5).get("decision", "")
        self.decision.blockSignals(True)
        self.decision.setCurrentIndex(max(0, self.decision.findData(value)))
        self.decision.blockSignals(False)

    def _set_decision(self) -> None:
        store = self.ctx.session.store
        if store.step_fields(5).get("decision", "") == self.decision.currentData():
            return
        self.ctx.session.edit([step_field_edit(store, 5, "decision", self.decision.currentData())],
                              "Record the decision")
