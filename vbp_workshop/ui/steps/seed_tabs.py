"""The later steps' planning tabs (core/planning.py holds the rules and the file's shape):

- step 1 "Triple win and scope": which wins the ambition and each partner's goals serve, the fit
  with NHS priorities, scope and boundaries;
- step 4 "Tiers and scale": each metric's Porter tier, case mix and time points; each pilot's
  design for scale;
- step 5 "Decisions and sharing": go / adapt / stop per pilot with reasons, date and who; the
  share-the-success plan and each partner's consent to publish.

`add_seed_tab(page)` adds the step's tab (one line in the step page)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.changes import Changes, Update
from vbp_workshop.core.steps import planning
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.dates import date_hint, read_date, show_date
from vbp_workshop.ui.shared.labels import plain_label

ROW_TABLES = ("partners", "pilots", "metrics")


def clean_field(text: str) -> str:
    return planning.clean_field(text)


class SeedTab(QWidget):
    """A tab of rows (partners, pilots or metrics) with a widget per cell, kept in step with the
    file: rows are rebuilt when the row table changes, values reloaded when the step changes."""

    def __init__(self, session: Session, step: int, intro: str) -> None:
        super().__init__()
        self.session, self.step = session, step
        self.lay = QVBoxLayout(self)
        self.lay.addWidget(plain_label(intro, cls="hint"))
        self.problem = plain_label(cls="problem")
        self.problem.setObjectName(f"seed_problem{step}")
        self.problem.hide()
        self.loaders: list[Callable[[], None]] = []
        session.changed.connect(self._on_changed)

    # -- building blocks ------------------------------------------------------------------------

    def table(self, name: str, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setObjectName(name)
        t.setHorizontalHeaderLabels(headers)
        t.verticalHeader().hide()
        t.horizontalHeader().setStretchLastSection(True)
        t.setMinimumHeight(150)
        return t

    def grid(self, name: str, headers: list[str]) -> QGridLayout:
        """Rows of tick boxes as a plain grid (not a table): every box stays reachable by scrolling
        the page, which a table's own scrolling would hide."""
        box = QWidget()
        box.setObjectName(name)
        g = QGridLayout(box)
        g.setContentsMargins(0, 0, 0, 0)
        for c, h in enumerate(headers):
            g.addWidget(plain_label(h, cls="hint", wrap=False), 0, c)
        self.lay.addWidget(box)
        return g

    @staticmethod
    def clear_rows(g: QGridLayout) -> None:
        """Remove every row but the header."""
        for i in reversed(range(g.count())):
            item = g.itemAt(i)
            w = item.widget() if item is not None else None
            row = cast(tuple[int, int, int, int], g.getItemPosition(i))[0]  # typed as object in PySide6
            if w is not None and row > 0:
                g.removeWidget(w)
                w.deleteLater()

    def apply(self, make: Callable[[], Update], label: str) -> None:
        try:
            edit = make()
        except planning.SeedError as exc:  # keep what was typed; say why it is not saved
            self.problem.setText(f"⚠ {exc} Not saved yet.")
            self.problem.show()
            return
        self.problem.hide()
        self.session.edit([edit], label)

    def line(self, get: Callable[[], str], make: Callable[[str], Update], label: str, name: str,
             show: Callable[[str], str] | None = None, read: Callable[[str], str] | None = None) -> QLineEdit:
        """A line bound to one value; `show`/`read` turn the stored value into what the line
        shows and back (a date: the locale's form)."""
        e = QLineEdit()
        e.setObjectName(name)

        def shown() -> str:
            return show(get()) if show else get()

        def load() -> None:
            if not e.hasFocus() and e.text() != shown():
                e.setText(shown())

        def made() -> Update:
            if read is None:
                return make(e.text())
            try:
                return make(read(e.text()))
            except ValueError as exc:
                raise planning.SeedError(str(exc)) from None

        def commit() -> None:
            if e.text().strip() != shown():
                self.apply(made, label)

        e.editingFinished.connect(commit)
        self.loaders.append(load)
        load()
        return e

    def combo(self, choices: dict[str, str], get: Callable[[], str], make: Callable[[str], Update],
              label: str, name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        for key, text in choices.items():
            box.addItem(text, key)

        def load() -> None:
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(get())))
            box.blockSignals(False)

        box.currentIndexChanged.connect(lambda _i: self.apply(lambda: make(box.currentData()), label)
                                        if box.currentData() != get() else None)
        self.loaders.append(load)
        load()
        return box

    def check(self, get: Callable[[], bool], make: Callable[[bool], Update], label: str, name: str,
              text: str = "", tip: str = "") -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.setToolTip(tip)
        box.setAccessibleName(tip or text or name)

        def load() -> None:
            box.blockSignals(True)
            box.setChecked(get())
            box.blockSignals(False)

        box.toggled.connect(lambda on: self.apply(lambda: make(on), label))
        self.loaders.append(load)
        load()
        return box

    # -- keeping in step -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Fill the row tables (subclasses)."""

    def load(self) -> None:
        for f in self.loaders:
            f()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(*ROW_TABLES):
            self.rebuild()
        elif changes.touches("steps"):
            self.load()


class TripleWinTab(SeedTab):
    def __init__(self, session: Session) -> None:
        super().__init__(session, 1, "Tag the ambition and each partner's goals with the wins they serve "
                         "(the triple win), and write down the fit with NHS priorities, the scope and the "
                         "boundaries.")
        self.wins = self.grid("triple_win", ["Whose goals", *SHORT_WINS.values()])
        self.lay.addWidget(self.problem)
        form = QFormLayout()
        self.scope_kind = QComboBox()
        self.scope_kind.setObjectName("scope_kind")
        for key, label in planning.SCOPE_KINDS.items():
            self.scope_kind.addItem(label, key)
        self.scope_kind.currentIndexChanged.connect(self._set_scope_kind)
        self.scope_kind.setToolTip(planning.SCOPE_HINT)
        form.addRow("What the partnership covers", self.scope_kind)
        for key, label in planning.STEP1_TEXTS.items():
            form.addRow(label, BoundText(session, step=1, key=key, multiline=True, parse=clean_field))
        self.lay.addLayout(form)
        self.rebuild()

    def rebuild(self) -> None:
        self.loaders.clear()
        store = self.session.store
        self.clear_rows(self.wins)
        for r, (key, name) in enumerate(planning.triple_win_owners(store), 1):
            self.wins.addWidget(plain_label(name), r, 0)
            for c, win in enumerate(planning.TRIPLE_WIN, 1):
                self.wins.addWidget(self.check(
                    partial(self._serves, key, win), partial(self._tag_edit, key, win),
                    "Tag the triple win", f"win_{key}_{win}", tip=planning.TRIPLE_WIN[win]), r, c)

    def load(self) -> None:
        super().load()
        if not hasattr(self, "scope_kind"):  # the base class loads before this tab has built its box
            return
        self.scope_kind.blockSignals(True)
        self.scope_kind.setCurrentIndex(max(0, self.scope_kind.findData(planning.scope_kind(self.session.store))))
        self.scope_kind.blockSignals(False)

    def _set_scope_kind(self) -> None:
        value = str(self.scope_kind.currentData() or "")
        if value != planning.scope_kind(self.session.store):
            self.session.edit([planning.scope_kind_edit(self.session.store, value)], "Choose the scope")

    def _serves(self, key: str, win: str) -> bool:
        return win in planning.triple_win(self.session.store).get(key, [])

    def _tag_edit(self, key: str, win: str, on: bool) -> Update:
        wins = planning.triple_win(self.session.store).get(key, [])
        return planning.triple_win_edit(self.session.store, key, _toggle(wins, win, on))


class TiersTab(SeedTab):
    def __init__(self, session: Session) -> None:
        super().__init__(session, 4, "For each metric: its Porter outcome tier (or its kind), the case-mix "
                         "variables that let sites be compared fairly, and when it is measured. For each "
                         "pilot: how it is designed to scale from the outset.")
        self.metrics = self.table("metric_plans", ["Metric", "Tier or kind", "Case-mix variables", "Time points"])
        self.pilots = self.table("pilot_scale", ["Pilot", "Designed to scale by"])
        self.lay.addWidget(self.metrics, 1)
        self.lay.addWidget(self.pilots, 1)
        self.lay.addWidget(self.problem)
        self.rebuild()

    def rebuild(self) -> None:
        self.loaders.clear()
        store = self.session.store
        metrics = store.rows("metrics")
        self.metrics.setRowCount(len(metrics))
        for r, m in enumerate(metrics):
            mid = int(m["id"])
            self.metrics.setCellWidget(r, 0, QLabel(m["name"]))
            self.metrics.setCellWidget(r, 1, self.combo(
                planning.PORTER_TIERS, partial(self._plan, mid, "tier"), partial(self._plan_edit, mid, "tier"),
                "Set the metric's tier", f"tier_{mid}"))
            for c, f in ((2, "case_mix"), (3, "time_points")):
                self.metrics.setCellWidget(r, c, self.line(
                    partial(self._plan, mid, f), partial(self._plan_edit, mid, f),
                    "Edit the metric plan", f"{f}_{mid}"))
        pilots = store.rows("pilots")
        self.pilots.setRowCount(len(pilots))
        for r, p in enumerate(pilots):
            pid = int(p["id"])
            self.pilots.setCellWidget(r, 0, QLabel(p["name"]))
            self.pilots.setCellWidget(r, 1, self.line(
                partial(self._scale, pid), partial(self._scale_edit, pid),
                "Edit the design for scale", f"scale_{pid}"))
        self.metrics.resizeColumnToContents(0)
        self.pilots.resizeColumnToContents(0)

    def _plan(self, mid: int, field: str) -> str:
        return planning.metric_plans(self.session.store).get(str(mid), {}).get(field, "")

    def _plan_edit(self, mid: int, field: str, value: str) -> Update:
        return planning.metric_plan_edit(self.session.store, mid, field, value)

    def _scale(self, pid: int) -> str:
        return planning.pilot_scale(self.session.store).get(str(pid), "")

    def _scale_edit(self, pid: int, value: str) -> Update:
        return planning.pilot_scale_edit(self.session.store, pid, value)


class DecisionsTab(SeedTab):
    def __init__(self, session: Session) -> None:
        super().__init__(session, 5, "A decision per pilot — go (scale), adapt or stop — with its reasons, "
                         "its date and who decided. Then the share-the-success plan: nothing is published "
                         "until every partner has consented.")
        self.pilots = self.table("pilot_decisions", ["Pilot", "Decision", "Reasons", "Date", "Decided by"])
        self.pilots.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pilots.horizontalHeader().setStretchLastSection(False)
        self.lay.addWidget(self.pilots, 1)
        self.lay.addWidget(self.problem)
        form = QFormLayout()
        for key, label in planning.SHARE_FIELDS.items():
            form.addRow(label, self.line(partial(self._share, key), partial(self._share_edit, key),
                                         "Edit the share plan", f"share_{key}"))
        self.lay.addLayout(form)
        self.consent = self.grid("publish_consent", ["Partner", "Consents to publish"])
        self.status = plain_label("")
        self.status.setObjectName("publish_status")
        self.lay.addWidget(self.status)
        self._fixed = list(self.loaders)  # the share-plan fields survive a rebuild
        self.rebuild()

    def rebuild(self) -> None:
        self.loaders[:] = list(self._fixed)
        store = self.session.store
        pilots = store.rows("pilots")
        self.pilots.setRowCount(len(pilots))
        for r, p in enumerate(pilots):
            pid = int(p["id"])
            self.pilots.setCellWidget(r, 0, QLabel(p["name"]))
            self.pilots.setCellWidget(r, 1, self.combo(
                planning.PILOT_DECISIONS, partial(self._decision, pid, "decision"),
                partial(self._decision_edit, pid, "decision"), "Record the pilot decision", f"decision_{pid}"))
            for c, f in ((2, "reasons"), (3, "date"), (4, "who")):
                dated = {"show": show_date, "read": read_date} if f == "date" else {}
                e = self.line(partial(self._decision, pid, f), partial(self._decision_edit, pid, f),
                              "Record the pilot decision", f"{f}_{pid}", **dated)
                if f == "date":
                    e.setPlaceholderText(date_hint())
                self.pilots.setCellWidget(r, c, e)
        self.pilots.setColumnWidth(3, 110)
        self.pilots.setColumnWidth(4, 140)
        self.clear_rows(self.consent)
        for r, p in enumerate(store.rows("partners"), 1):
            pid = int(p["id"])
            self.consent.addWidget(plain_label(p["name"]), r, 0)
            self.consent.addWidget(self.check(
                partial(self._consents, pid), partial(self._consent_edit, pid),
                "Record consent to publish", f"consent_{pid}", "consents", tip=f"{p['name']} consents to publish"),
                r, 1)
        self.pilots.resizeColumnToContents(0)
        self.load()

    def load(self) -> None:
        super().load()
        ok, sentence = planning.publish_status(self.session.store)
        self.status.setText(("✔ " if ok else "⚠ ") + sentence)

    def _decision(self, pid: int, field: str) -> str:
        return planning.pilot_decisions(self.session.store).get(str(pid), {}).get(field, "")

    def _decision_edit(self, pid: int, field: str, value: str) -> Update:
        return planning.pilot_decision_edit(self.session.store, pid, field, value)

    def _share(self, key: str) -> str:
        return planning.share_plan(self.session.store)[key]

    def _share_edit(self, key: str, value: str) -> Update:
        return planning.share_plan_edit(self.session.store, key, value)

    def _consents(self, pid: int) -> bool:
        return planning.consents(self.session.store).get(pid, False)

    def _consent_edit(self, pid: int, on: bool) -> Update:
        return planning.consent_edit(self.session.store, pid, on)


SHORT_WINS = {"patients": "Patients", "nhs": "NHS", "industry": "Industry"}


def _toggle(wins: list[str], win: str, on: bool) -> list[str]:
    return [w for w in wins if w != win] + ([win] if on else [])


TABS: dict[int, tuple[str, Any]] = {1: ("Triple win and scope", TripleWinTab), 4: ("Tiers and scale", TiersTab),
                                    5: ("Decisions and sharing", DecisionsTab)}


def add_seed_tab(page: Any) -> None:
    """Add the step's planning tab to a step page (before its Polls tab)."""
    if page.step in TABS:
        title, cls = TABS[page.step]
        page.seeds = cls(page.ctx.session)
        page.tabs.addTab(page.seeds, title)
