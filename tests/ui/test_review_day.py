"""Starting the review day from the design day in the real window, and comparing the days."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction

from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps.partnership import session_kind
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def test_the_review_day_starts_in_one_action_and_compares_with_the_design_day(
        demo_window: MainWindow, dialogs: ScriptedDialogs, tmp_path: Path) -> None:
    design = demo_window.session.store.path
    partners = [p["name"] for p in demo_window.session.store.rows("partners")]
    target = tmp_path / "northbridge review day.vbpw"
    dialogs.answers.append(str(target))
    next(a for a in demo_window.findChildren(QAction) if a.objectName() == "review_day").trigger()
    store = demo_window.session.store
    assert store.path == target and session_kind(store) == "review"
    assert [p["name"] for p in store.rows("partners")] == partners  # nothing typed twice
    assert design.exists()
    page = demo_window.view.show_page("step2")
    page.show_polls()
    panel = page.polls
    trust = next(p for p in queries.polls(store) if p.target == "trust")
    panel.select(trust.id)
    compare = panel.result.compare
    assert compare.isEnabled() and compare.text() == "Compare with earlier days"
    from vbp_workshop.core.operations.live import reveal

    session = demo_window.session
    reveal(session.store, session.live, trust.id, True)  # the room sees a result once it is revealed
    projector = demo_window.view.room.open_projector()
    panel.live.project()
    compare.setChecked(True)
    assert panel.result.stack.currentWidget() is panel.result.group_chart
    labels = list(panel.result.group_chart._last[2].values())
    assert labels[0].startswith("Design day") and labels[-1] == "Today"
    assert projector.stack.currentWidget() is projector.group_chart
    assert projector.headline.text().startswith("Design day") and "→  Today:" in projector.headline.text()
