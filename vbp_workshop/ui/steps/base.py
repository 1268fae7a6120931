"""What every step workspace shares: a header, content tabs, a Polls tab and the guide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from vbp_workshop.ui.shared.context import PageContext
from vbp_workshop.ui.shared.scrolling import VerticalScroll
from vbp_workshop.ui.steps.chrome import GuidePanel, StepHeader
from vbp_workshop.ui.steps.seed_tabs import add_seed_tab

TALL = 180  # pixels: a tab whose content needs more scrolls vertically
GUIDE_ROOM = 1100  # logical pixels of window width below which the guide starts hidden


class StepPage(QWidget):
    """A step workspace. Subclasses add their content tabs in `build`."""

    step = 0

    def __init__(self, ctx: PageContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"step{self.step}")
        self.header = StepHeader(ctx.session, self.step)
        self.tabs = QTabWidget()
        self.tabs.setObjectName(f"tabs{self.step}")
        self.build()
        add_seed_tab(self)  # the step's planning tab, if it has one (triple win, tiers, decisions)
        # Here, not at the top: the panel brings pyqtgraph, which start-up should not wait for
        # (the first page shown is often not a step).
        from vbp_workshop.ui.polls.panel import PollPanel

        self.polls = PollPanel(ctx, self.step)
        self.tabs.addTab(self.polls, "Polls")
        for i in range(self.tabs.count()):  # every tab reachable on a 720-pixel screen
            if self._page(i) is not self.polls and self._page(i).minimumSizeHint().height() > TALL:
                self._wrap(i)
        self.guide = GuidePanel(ctx.session, self.step)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.guide)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 320])
        self.header.guide_toggled.connect(self.guide.setVisible)
        self._shown_once = False
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(splitter, 1)

    def build(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        # On a narrow window (a laptop at 150 %) the guide starts folded away; its button brings it back.
        if not self._shown_once and self.window().width() < GUIDE_ROOM:
            self.header.guide_button.setChecked(False)
        self._shown_once = True
        super().showEvent(event)

    def _page(self, i: int) -> QWidget:
        page = self.tabs.widget(i)
        assert page is not None  # i < self.tabs.count()
        return page

    def _wrap(self, i: int) -> None:
        text, content = self.tabs.tabText(i), self._page(i)
        self.tabs.removeTab(i)
        self.tabs.insertTab(i, VerticalScroll(content), text)

    def tab(self, text: str) -> QWidget:
        """The content of the tab called `text` (inside its scroll area, if it has one)."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i) == text:
                w = self._page(i)
                inner = w.widget() if isinstance(w, VerticalScroll) else w
                assert inner is not None  # a scroll area here always holds its content
                return inner
        raise KeyError(text)

    def show_polls(self) -> None:
        self.tabs.setCurrentIndex(next(i for i in range(self.tabs.count()) if self.tab(self.tabs.tabText(i))
                                       is self.polls))
