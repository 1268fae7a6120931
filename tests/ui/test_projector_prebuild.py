"""The projector builds the charts the workshop's polls need ahead of time, one per pause, so
that the first open or reveal click does not build one while every phone waits."""

from __future__ import annotations

from vbp_workshop.core.operations.live import open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def test_the_projector_has_each_kinds_chart_before_the_first_poll_opens(demo_window: MainWindow, qtbot) -> None:
    session, view = demo_window.session, demo_window.view
    assert session is not None and view is not None
    projector = view.room.open_projector()
    wanted = {p.kind for p in queries.polls(session.store)} - {"text"}
    assert len(wanted) > 3
    qtbot.waitUntil(lambda: wanted <= set(projector.charts), timeout=5000)
    built = dict(projector.charts)
    poll = next(p for p in queries.polls(session.store) if p.kind == "agreement")
    open_poll(session.store, session.live, poll.id)
    reveal(session.store, session.live, poll.id, True)
    assert projector.charts["agreement"] is built["agreement"]  # shown, not built again
    assert projector.stack.currentWidget() is built["agreement"]
