"""The sector split: one click in the poll panel, and the projector follows it."""

from __future__ import annotations

from vbp_workshop.core.operations.live import reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def _panel(window: MainWindow, step: int, kind: str):
    page = window.view.show_page(f"step{step}")
    page.show_polls()
    panel = page.polls
    pid = next(p.id for p in panel.polls() if p.kind == kind)
    panel.select(pid)
    return panel, pid


def test_sector_split_in_the_panel_and_on_the_projector(demo_window: MainWindow) -> None:
    room = demo_window.view.room
    projector = room.open_projector()
    panel, pid = _panel(demo_window, 2, "importance")
    panel.live.project()
    panel.result.by_group.setChecked(True)
    panel.result.by_sector.setChecked(True)
    assert not panel.result.by_group.isChecked()  # one split at a time
    assert panel.result.stack.currentWidget() is panel.result.group_chart
    poll = queries.get_poll(demo_window.session.store, pid)
    sectors = queries.sector_tallies(demo_window.session.store, poll)
    assert {"nhs", "industry"} <= set(sectors)
    # the chart's groups are the sectors, NHS first
    shown = panel.result.group_chart._last[1]
    assert shown is not None and list(shown)[:2] == ["nhs", "industry"]
    assert panel.result.divergence.text().startswith("NHS and industry: ")
    assert "divergence" in panel.result.divergence.toolTip()  # the figure a hover away
    assert projector.stack.currentWidget() is projector.group_chart
    assert list(projector.group_chart._last[1])[:2] == ["nhs", "industry"]
    assert projector.headline.text().startswith("Furthest apart:")
    panel.result.by_group.setChecked(True)  # back to groups: the projector shows groups again
    assert not panel.result.by_sector.isChecked()
    assert "nhs" not in projector.group_chart._last[1]
    panel.result.by_group.setChecked(False)
    assert projector.stack.currentWidget() is projector.charts["importance"]


def test_the_spread_line_shows_under_a_rated_result(demo_window: MainWindow) -> None:
    panel, _pid = _panel(demo_window, 2, "agreement")
    assert "views vary most on" in panel.result.divergence.text()
    assert " sd " in panel.result.figures.text()  # the statistics behind it, one click away


def test_where_groups_disagree_ranks_statements_and_shows_gaps_by_sector(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.divergence import DivergenceDialog

    dialog = DivergenceDialog(demo_window.session, demo_window)
    assert dialog.tabs.tabText(0) == "By statement"
    table = dialog.statements.table
    assert table.rowCount() > len(queries.polls(demo_window.session.store))  # items, not polls
    rows = dialog.statements.rows
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    assert table.item(0, 1).text().startswith(("clear (", "could be chance ("))
    assert any(table.item(r, 1).text().startswith("could be chance") for r in range(table.rowCount()))
    labels = {table.item(r, 0).text() for r in range(table.rowCount())}
    assert "Mutual trust and respect (satisfaction)" in labels
    gaps = dialog.gaps.table
    quadrants = {gaps.item(r, 6).text() for r in range(gaps.rowCount())}
    assert quadrants <= {"Fix first", "Keep up", "Possible overkill", "Low priority"} and quadrants
    whos = {gaps.item(r, 1).text() for r in range(gaps.rowCount())}
    assert {"Whole room", "NHS", "Industry"} <= whos


def test_the_projector_names_blockers_once_and_keeps_them_in_the_sector_split(demo_window: MainWindow) -> None:
    from vbp_workshop.core.model.changes import Insert
    from vbp_workshop.core.model.poll import encode

    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    poll = next(p for p in queries.polls(session.store, 3) if p.kind == "fist" and p.target.startswith("rule:")
                and queries.ballots(session.store, p.id, p.round))
    rows = [Insert("ballots", {"poll_id": poll.id, "round": poll.round, "voter": f"b{i}", "grp": "provider",
                               "source": "phone", "weight": 1, "answer": encode(1), "ballot_uid": f"ub{i}",
                               "created_at": "", "updated_at": ""}) for i in range(2)]
    session.edit(rows, "two objections")
    reveal(session.store, session.live, poll.id, True)
    room.show_poll(poll.id)
    t = queries.round_tally(session.store, queries.get_poll(session.store, poll.id))
    concerns = t.below_three - t.blocks
    assert concerns >= 2  # the two at 1: concerns to hear, not blocks (only 0 blocks)
    text = projector.headline.text()
    assert f"{concerns} with concerns" in text and text.count("with concerns") == 1  # said once
    room.set_sector_split(poll.id, True)
    text = projector.headline.text()
    assert text.startswith("Furthest apart:") and f"{concerns} with concerns: hear them" in text


def test_editing_the_timeline_poll_keeps_its_reference(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.editor import PollEditor

    store = demo_window.session.store
    poll = next(p for p in queries.polls(store, 2) if p.target == "timeline")
    editor = PollEditor(poll, demo_window)
    editor.question.setText("How long until we are set up?")
    assert "industry" in editor.values()["settings"]["reference"]
    assert "fill_from" not in editor.values()["settings"]


def test_each_group_counted_once_shows_under_the_chart_and_on_the_projector(demo_window: MainWindow) -> None:
    from vbp_workshop.core.polls.equal_groups import equal_group_line

    store = demo_window.session.store
    poll = next(p for p in queries.polls(store) if queries.ballots(store, p.id, p.round) and p.step
                and equal_group_line(p, queries.round_tally(store, p), queries.equal_tally(store, p)))
    projector = demo_window.view.room.open_projector()
    panel, pid = _panel(demo_window, poll.step, poll.kind)
    if pid != poll.id:
        panel.select(poll.id)
    panel.live.project()
    assert "Each group counted once: " in panel.result.divergence.text()
    assert "(per person: " in panel.result.divergence.text()
    assert "Each group counted once: " in projector.headline.text()
