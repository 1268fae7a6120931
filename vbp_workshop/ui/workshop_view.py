"""An open workshop: the step navigator on the left, the page on the right, live bars on top.

Pages are built the first time they are shown, so opening a workshop stays quick.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.model.domain import STEP_TITLES, StepStatus
from vbp_workshop.ui.projector.room import LiveRoom
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.shared.flow import FlowLayout
from vbp_workshop.ui.shared.timer import TimerBar
from vbp_workshop.ui.voting_bar import VotingBar

STATUS_MARK = {"not_started": "○", "in_progress": "◐", "done": "●"}


def _page_factories() -> list[tuple[str, Callable[[PageContext], QWidget]]]:
    from vbp_workshop.ui.steps.actions import ActionsPage
    from vbp_workshop.ui.steps.ambition import AmbitionPage
    from vbp_workshop.ui.steps.evaluate import EvaluatePage
    from vbp_workshop.ui.steps.pilots import PilotsPage
    from vbp_workshop.ui.steps.rules import RulesPage
    from vbp_workshop.ui.steps.setup import SetupPage
    from vbp_workshop.ui.steps.summary import SummaryPage
    from vbp_workshop.ui.steps.trust import TrustPage

    return [("setup", SetupPage), ("step1", AmbitionPage), ("step2", TrustPage),
            ("step3", RulesPage), ("step4", PilotsPage), ("step5", EvaluatePage),
            ("actions", ActionsPage), ("summary", SummaryPage)]


PAGE_KEYS = ["setup", "step1", "step2", "step3", "step4", "step5", "actions", "summary"]
# The pages that are not steps (a step is named by its title in core/model/domain.py), and their marks.
PAGE_NAMES = {"setup": "Setup", "actions": "Decisions and actions", "summary": "Summary"}
PAGE_MARKS = {"setup": "⚙", "actions": "✎", "summary": "☰"}


class WorkshopView(QWidget):
    page_changed = Signal(str)

    def __init__(self, session: Session, dialogs: DialogService) -> None:
        super().__init__()
        self.session = session
        self.room = LiveRoom(session)
        self.ctx = PageContext(session, dialogs, self.room)
        self.factories = dict(_page_factories())
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigator")
        self.nav.setMinimumWidth(170)  # long step titles wrap rather than widen the window
        self.nav.setMaximumWidth(300)
        self.nav.setWordWrap(True)
        self.nav.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap when the splitter moves
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key in PAGE_KEYS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self._show_row)

        bars = QWidget()
        bars.setObjectName("top_bars")
        flow = FlowLayout(bars, spacing=16)  # the timer moves under the voting bar when narrow
        self.voting_bar = VotingBar(self.room, dialogs)
        flow.addWidget(self.voting_bar)
        self.timer_bar = TimerBar(self.room.countdown, session)
        self.timer_bar.item_changed.connect(self.room.set_activity)
        flow.addWidget(self.timer_bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([210, 1000])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(bars)
        lay.addWidget(split, 1)
        self.refresh_nav()
        session.changed.connect(lambda c: self.refresh_nav() if c.touches("steps") else None)
        self.nav.setCurrentRow(0)

    def refresh_nav(self) -> None:
        statuses = {s["id"]: s["status"] for s in self.session.store.rows("steps")}
        for row, key in enumerate(PAGE_KEYS):
            item = self.nav.item(row)
            if key.startswith("step"):
                n = int(key[4:])
                status = statuses.get(n, "not_started")
                item.setText(f"{STATUS_MARK[status]}  {n}. {STEP_TITLES[n]}")
                item.setToolTip(StepStatus(status).label)
            else:
                item.setText(f"{PAGE_MARKS[key]}  {PAGE_NAMES[key]}")

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            page = self.factories[key](self.ctx)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(PAGE_KEYS.index(key))
        return self.pages[key]

    def current_key(self) -> str:
        return PAGE_KEYS[max(0, self.nav.currentRow())]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_KEYS[row]
        self.stack.setCurrentWidget(self.page(key))
        self.page_changed.emit(key)

    def step_by(self, delta: int) -> None:
        row = min(max(self.nav.currentRow() + delta, 0), len(PAGE_KEYS) - 1)
        self.nav.setCurrentRow(row)

    def add_action(self) -> None:
        """Log an action against the current step, from anywhere (Ctrl+Shift+A)."""
        key = self.current_key()
        step = int(key[4:]) if key.startswith("step") else 0
        page = self.show_page("actions")
        page.table.add_row({"kind": "action", "step": step})  # type: ignore[attr-defined]

    def shutdown(self) -> None:
        self.timer_bar.finish_item()
        self.room.shutdown()
