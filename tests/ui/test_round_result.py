"""A round's result is one value the session computes once per change of the round's ballots; the
poll panel and the projector only draw it. Redraws and split toggles compute nothing; a vote makes
the next draw show the new figures."""

from __future__ import annotations

from typing import Any

import vbp_workshop.core.polls.round_result as round_result_module
import vbp_workshop.ui.session as session_module
from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.operations.live import open_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def _single_with_groups(session: Any) -> Poll:
    """A single-choice poll whose ballots keep their group, with answers from NHS and industry."""
    store = session.store
    return next(p for p in queries.polls(store) if p.kind == "single" and p.keeps_groups
                and {"nhs", "industry"} <= set(queries.sector_tallies(store, p)))


def _count_computes(monkeypatch: Any) -> list[tuple[str, int, int | None]]:
    """Each computing of a round's result (and of its splits, when first drawn), with its poll
    and round."""
    calls: list[tuple[str, int, int | None]] = []
    real = session_module.round_result

    def counted(poll: Poll, *args: Any, **kwargs: Any) -> Any:
        calls.append(("result", poll.id, args[2] if len(args) > 2 else kwargs.get("round_")))
        return real(poll, *args, **kwargs)

    monkeypatch.setattr(session_module, "round_result", counted)
    for name in ("tally_by_group", "tally_by_sector"):
        split = getattr(round_result_module, name)
        monkeypatch.setattr(round_result_module, name, lambda poll, ballots, smallest, f=split, n=name: (
            calls.append((n, poll.id, None)) or f(poll, ballots, smallest)))
    return calls


def _revealed_on_both_screens(window: MainWindow) -> tuple[Any, Poll, Any, Any]:
    """A split-able poll selected on its step's panel, opened and revealed, on the projector.
    Opening and revealing change no ballot."""
    session = window.session
    assert session is not None
    poll = _single_with_groups(session)
    projector = window.view.room.open_projector()
    page = window.view.show_page(f"step{poll.step}")
    page.show_polls()
    panel = page.polls
    panel.select(poll.id)
    open_poll(session.store, session.live, poll.id)
    reveal(session.store, session.live, poll.id, True, session.round_tally)
    panel.live.project()
    return session, poll, panel, projector


def _vote(session: Any, qtbot: Any, poll: Poll, group: str, answers: list[int], tag: str) -> None:
    writer = session.start_writer()
    before = writer.committed
    for n, answer in enumerate(answers):
        writer.vote(Vote(poll.id, poll.round, f"d-{tag}-{n}", group, answer, f"uid-{tag}-{n}"))
    assert writer.committed >= before + len(answers)
    qtbot.waitUntil(writer.notices.empty, timeout=5000)  # drained: the screens were told


def _draw_every_way(panel: Any, projector: Any) -> None:
    """What a facilitator clicks between two votes: each split on and off (the projector follows
    each toggle), the poll selected again, the projector redrawn."""
    result = panel.result
    for box in (result.by_group, result.by_sector, result.by_group):
        box.setChecked(True)
    result.by_group.setChecked(False)
    panel.refresh()
    panel.refresh(chart_only=True)
    projector.refresh()


def test_a_round_result_is_computed_once_per_change_of_its_ballots(demo_window: MainWindow, qtbot,
                                                                   monkeypatch) -> None:
    calls = _count_computes(monkeypatch)
    session, poll, panel, projector = _revealed_on_both_screens(demo_window)
    _draw_every_way(panel, projector)
    assert calls.count(("result", poll.id, poll.round)) == 1
    assert calls.count(("tally_by_group", poll.id, None)) == 1  # each split once, when first drawn
    assert calls.count(("tally_by_sector", poll.id, None)) == 1

    _vote(session, qtbot, poll, "pharma", [0, 1], "once")
    assert calls.count(("result", poll.id, poll.round)) == 2  # the drain's redraw computed it afresh
    _draw_every_way(panel, projector)
    assert calls.count(("result", poll.id, poll.round)) == 2
    assert calls.count(("tally_by_group", poll.id, None)) == 2
    assert calls.count(("tally_by_sector", poll.id, None)) == 2


def test_after_a_vote_the_next_draw_shows_the_new_figures(demo_window: MainWindow, qtbot) -> None:
    session, poll, panel, projector = _revealed_on_both_screens(demo_window)
    panel.result.by_sector.setChecked(True)  # the panel and the projector split by sector
    before = queries.sector_tallies(session.store, poll)["industry"].respondents
    assert f"Industry {before}" in panel.result.figures.text()
    assert projector.group_chart._last[1]["industry"].respondents == before

    _vote(session, qtbot, poll, "pharma", [0, 0, 1], "fresh")
    after = queries.sector_tallies(session.store, poll)["industry"].respondents
    assert after == before + 3
    assert f"Industry {after}" in panel.result.figures.text()  # redrawn on the drain, not stale
    assert projector.group_chart._last[1]["industry"].respondents == after
    everyone = queries.round_tally(session.store, poll).respondents
    assert panel.result.current_tally().respondents == everyone

    panel.result.by_group.setChecked(True)  # the other split of the same result is current too
    assert panel.result.group_chart._last[1] == queries.group_tallies(session.store, poll)
    assert projector.group_chart._last[1] == queries.group_tallies(session.store, poll)
    panel.result.by_group.setChecked(False)  # the plain chart and its line
    assert projector.stack.currentWidget() is projector.charts[poll.kind]
    assert panel.result.stack.currentWidget() is panel.result.charts[poll.kind]
    assert panel.result.charts[poll.kind]._last[1] == queries.round_tally(session.store, poll)
