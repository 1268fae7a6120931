"""The real window, offscreen: every page opens, edits undo and redo, bad files get a message,
live polls drive the projector, hand counts, the timer, and the vote feed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from vbp_workshop.core.intake.votes import Vote
from vbp_workshop.core.operations.polls import hand_count_edits
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.workshop_view import PAGE_KEYS


def test_the_start_screen_offers_new_open_recent_and_demo(window: MainWindow) -> None:
    from PySide6.QtWidgets import QPushButton

    from vbp_workshop.ui.start_screen import StartScreen

    start = window.centralWidget()
    assert isinstance(start, StartScreen)
    assert {b.objectName() for b in start.findChildren(QPushButton)} >= {"start_new", "start_open", "start_demo"}
    assert window.windowTitle() == "VBP Workshop"


def test_every_page_and_tab_opens_and_closes(demo_window: MainWindow, qtbot) -> None:
    view = demo_window.view
    assert view is not None
    for key in PAGE_KEYS:
        page = view.show_page(key)
        assert page.isVisible()
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs else 0):
            tabs.setCurrentIndex(i)
            qtbot.wait(1)
            assert tabs.currentWidget().isVisible()
    assert "Northbridge" in demo_window.windowTitle()
    projector = view.room.open_projector()
    assert projector.isVisible()
    demo_window.close_workshop()
    assert demo_window.session is None and demo_window.windowTitle() == "VBP Workshop"


def test_the_navigator_shows_each_steps_status(demo_window: MainWindow) -> None:
    view = demo_window.view
    assert view is not None
    texts = [view.nav.item(i).text() for i in range(view.nav.count())]
    assert texts[1].startswith("●") and "shared ambition" in texts[1]  # done
    assert texts[3].startswith("◐")  # step 3 in progress
    header = view.show_page("step5").header  # type: ignore[attr-defined]
    header.status.setCurrentIndex(header.status.findData("done"))
    assert view.nav.item(5).text().startswith("●")
    assert demo_window.session.store.row("steps", 5)["status"] == "done"


def test_an_edit_undoes_and_redoes_from_the_edit_menu(demo_window: MainWindow) -> None:
    view, session = demo_window.view, demo_window.session
    page = view.show_page("setup")
    from vbp_workshop.ui.shared.record_table import RecordTable

    table = next(t for t in page.findChildren(RecordTable) if t.model.spec.table == "partners")
    index = table.model.index(0, 0)
    assert table.model.setData(index, "Renamed ICB")
    assert session.store.row("partners", 1)["name"] == "Renamed ICB"
    from PySide6.QtGui import QAction

    undo = next(a for a in demo_window.findChildren(QAction) if a.text().startswith("&Undo"))
    undo.trigger()
    assert session.store.row("partners", 1)["name"] == "Northbridge Integrated Care Board"
    assert table.model.data(index) == "Northbridge Integrated Care Board"
    session.undo_stack.redo()
    assert session.store.row("partners", 1)["name"] == "Renamed ICB"


def test_adding_a_partner_gives_it_alignment_and_contribution_rows_in_one_undo(demo_window: MainWindow) -> None:
    session = demo_window.session
    page = demo_window.view.show_page("setup")
    from vbp_workshop.ui.shared.record_table import RecordTable

    table = next(t for t in page.findChildren(RecordTable) if t.model.spec.table == "partners")
    table.add_row()
    new = session.store.rows("partners")[-1]
    assert len(session.store.rows("contributions", "partner_id = ?", (new["id"],))) == 4
    assert session.store.rows("alignment", "partner_id = ?", (new["id"],))
    session.undo_stack.undo()
    assert not session.store.rows("contributions", "partner_id = ?", (new["id"],))


def test_a_bad_file_gets_a_message_and_stays_untouched(window: MainWindow, dialogs, tmp_path: Path) -> None:
    bad = tmp_path / "bad.vbpw"
    bad.write_bytes(b"\x00garbage" * 100)
    before = bad.read_bytes()
    assert not window.open_path(bad)
    kind, _title, text = dialogs.shown[-1]
    assert kind == "error" and "not a VBP Workshop file" in text
    assert bad.read_bytes() == before
    assert window.session is None  # still on the start screen, still running


def test_opening_the_same_file_twice_is_refused(demo_window: MainWindow, settings, dialogs, qtbot) -> None:
    second = MainWindow(settings, dialogs)
    qtbot.addWidget(second)
    assert not second.open_path(demo_window.session.store.path)
    assert "already open" in dialogs.shown[-1][2]


def test_new_workshop_from_the_template_and_recent_files(window: MainWindow, dialogs, tmp_path: Path) -> None:
    dialogs.answers = [str(tmp_path / "my-day")]
    window.new_workshop()
    session = window.session
    assert session is not None and session.store.path.name == "my-day.vbpw"
    assert len(session.store.rows("agenda")) >= 5 and len(session.store.rows("polls")) >= 10
    assert window.view.current_key() == "setup"
    assert str(session.store.path) in window.settings.recent
    dialogs.answers = [str(tmp_path / "my-day.vbpw")]
    window.new_workshop()  # exists: refused, never overwritten
    assert "never overwrites" in dialogs.shown[-1][2]


def test_raci_refuses_a_second_accountable_with_a_message(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step3")
    model = page.raci  # type: ignore[attr-defined]
    messages: list[str] = []
    model.refused.connect(messages.append)
    # Activity 1 has the ICB (column 0) as Accountable; try making the trust (column 1) Accountable.
    assert not model.setData(model.index(0, 1), "A")
    assert "already has an Accountable partner" in messages[-1]
    assert model.setData(model.index(5, 1), "A")  # activity 6 had none
    assert demo_window.session.store.rows("raci", "activity_id = 6 AND role = 'A'")


def test_metric_fields_refuse_bad_values_and_flag_problems(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step4")
    model = page.metrics.model  # type: ignore[attr-defined]
    cols = [c.key for c in model.spec.columns]
    refused: list[str] = []
    model.refused.connect(refused.append)
    assert not model.setData(model.index(0, cols.index("baseline_value")), "forty")
    assert "not a number" in refused[-1]
    assert not model.setData(model.index(0, cols.index("target_date")), "next year")
    assert "not a date" in refused[-1]
    assert model.setData(model.index(0, cols.index("target_date")), "2026-01-01")
    tip = model.data(model.index(0, cols.index("target_date")), Qt.ItemDataRole.ToolTipRole)
    assert "after the baseline date" in tip
    assert model.data(model.index(0, cols.index("target_date")), Qt.ItemDataRole.BackgroundRole) is not None


def _panel(window: MainWindow, step: int, kind: str):
    page = window.view.show_page(f"step{step}")
    page.show_polls()
    panel = page.polls
    pid = next(p.id for p in panel.polls() if p.kind == kind)
    panel.select(pid)
    return panel, pid


def test_open_close_reveal_drive_the_projector(demo_window: MainWindow, qtbot) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    panel, pid = _panel(demo_window, 3, "scale")
    panel.buttons["open"].click()
    assert session.live.accepting(pid, 1) is not None
    assert projector.question.text() == panel.poll.question
    # Phone voting is off: open for hands, and no count of phones that joined some time and left.
    assert projector.count.text() == "0 responses · open · phones off, hands up"
    assert projector.stack.currentWidget() is projector.hidden_note  # hidden until revealed
    panel.buttons["reveal"].click()
    assert projector.stack.currentWidget() is projector.charts["scale"]
    panel.buttons["close"].click()
    assert session.live.accepting(pid, 1) is None and "voting closed" in projector.count.text()
    panel.buttons["reveal"].click()
    assert projector.stack.currentWidget() is projector.hidden_note


def test_hand_counts_from_the_panel(demo_window: MainWindow) -> None:
    session = demo_window.session
    panel, pid = _panel(demo_window, 3, "scale")
    assert panel.live.record_hand_count([("provider", 8, 4), ("", 3, 2)])
    t = queries.round_tally(session.store, queries.get_poll(session.store, pid))
    assert t.by_source == {"hand": 6} and t.counts[8] == 4
    assert "6 responses" in panel.heading.count.text()
    session.undo_stack.undo()
    assert queries.round_tally(session.store, queries.get_poll(session.store, pid)).respondents == 0
    assert not panel.live.record_hand_count([("", 99, 1)])
    assert "Entry 1" in panel.ctx.dialogs.shown[-1][2]


@pytest.mark.parametrize("kind", ["single", "multiple", "agreement", "fist", "importance", "text"])
def test_the_hand_count_dialog_builds_valid_entries(demo_window: MainWindow, kind: str) -> None:
    from vbp_workshop.ui.polls.hand_count import HandCountDialog

    step = {"single": 3, "multiple": 2, "agreement": 2, "fist": 1, "importance": 2, "text": 1}[kind]
    panel, _pid = _panel(demo_window, step, kind)
    dialog = HandCountDialog(panel.poll, panel)
    for _key, spin in dialog.cells[:2]:
        spin.setValue(3)
    if dialog.pairs or panel.poll.plugin.hand_people:
        dialog.people.setValue(5)
    dialog.text.setText("Said aloud")
    dialog.group.setCurrentIndex(dialog.group.findData("payer"))
    entries = dialog.entries()
    assert entries and all(g == "payer" for g, _, _ in entries)
    assert hand_count_edits(panel.poll, 1, entries)


def test_phone_votes_reach_the_chart_through_the_queue(demo_window: MainWindow, qtbot) -> None:
    session = demo_window.session
    panel, pid = _panel(demo_window, 3, "scale")
    panel.buttons["open"].click()
    writer = session.start_writer()
    chart = panel.result.charts["scale"]
    start = chart.updates

    def phones() -> None:  # a plain thread, as the server's is: it never touches Qt
        for n in range(50):
            writer.vote(Vote(pid, 1, f"d-{n}", "pharma", n % 11, f"uid-{n:08d}"))

    t = threading.Thread(target=phones)
    t.start()
    qtbot.waitUntil(lambda: chart.last_respondents == 50, timeout=10000)
    t.join()
    assert chart.updates > start
    assert chart.updates - start < 50  # bursts coalesce into fewer redraws
    assert "50 responses" in panel.heading.count.text()


def test_the_timer_counts_down_on_both_windows(demo_window: MainWindow, qtbot) -> None:
    room = demo_window.view.room
    projector = room.open_projector()
    with qtbot.waitSignal(room.countdown.finished, timeout=5000):
        room.countdown.start(0.5)
        qtbot.waitUntil(lambda: projector.timer.text().startswith("00:0"), timeout=2000)
    assert projector.timer.text() == "Time!"
    room.countdown.start(120)
    room.countdown.pause()
    assert 119 <= room.countdown.left() <= 120
    room.countdown.add(60)
    assert room.countdown.left() > 170


def test_the_summary_page_escapes_what_people_typed(demo_window: MainWindow) -> None:
    from vbp_workshop.core.model.changes import Update

    session = demo_window.session
    session.edit([Update("ambitions", 1, {"text": "<b>bold</b> & <script>x</script>"})], "t")
    page = demo_window.view.show_page("summary")
    html = page.view.toHtml()
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_participant_text_is_plain_in_labels(demo_window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    from vbp_workshop.core.model.changes import Update

    session = demo_window.session
    hostile = "<b>Bold</b> <img src=x> & more"
    chosen = session.store.find("ambitions", chosen=1)[0]
    session.edit([Update("ambitions", chosen["id"], {"text": hostile})], "Edit ambition")
    _panel(demo_window, 3, "scale")  # builds the step pages the labels live on
    demo_window.view.show_page("step1")
    labels = demo_window.findChildren(QLabel, "chosen_ambition") + demo_window.findChildren(QLabel, "poll_question")
    assert len(labels) >= 2  # the first build looped over no labels at all
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText
    shown = demo_window.findChild(QLabel, "chosen_ambition")
    assert shown.text() == hostile  # the markup is shown as typed, not rendered


def test_the_binding_does_not_lose_references_to_true(qapp) -> None:
    from vbp_workshop.ui.qtcheck import check_binding, emit_drops_true_references

    assert emit_drops_true_references(200) == 0, check_binding()


def test_divergence_dialog_lists_polls(demo_window: MainWindow) -> None:
    from vbp_workshop.ui.polls.divergence import DivergenceDialog

    dialog = DivergenceDialog(demo_window.session, demo_window)
    assert dialog.table.rowCount() >= 5
    first, second = float(dialog.table.item(0, 2).text()), float(dialog.table.item(1, 2).text())
    assert first >= second


def test_the_group_split_and_the_summary_reach_the_projector(demo_window: MainWindow) -> None:
    room = demo_window.view.room
    projector = room.open_projector()
    panel, pid = _panel(demo_window, 2, "agreement")
    panel.live.project()
    assert projector.stack.currentWidget() is projector.charts["agreement"]  # revealed in the demo
    panel.result.by_group.setChecked(True)
    assert projector.stack.currentWidget() is projector.group_chart
    assert projector.headline.text().startswith("Furthest apart:")
    panel.result.by_group.setChecked(False)
    assert projector.stack.currentWidget() is projector.charts["agreement"]
    page = demo_window.view.show_page("summary")
    from PySide6.QtWidgets import QPushButton

    page.findChild(QPushButton, "summary_projector").click()
    assert projector.stack.currentWidget() is projector.summary
    assert "Northbridge" in projector.summary.toPlainText()
    room.show_poll(pid)
    assert projector.stack.currentWidget() is not projector.summary


def test_running_an_agenda_item_times_it_and_records_the_actual_minutes(demo_window: MainWindow) -> None:
    session, view = demo_window.session, demo_window.view
    bar = view.timer_bar
    projector = view.room.open_projector()
    item = session.store.rows("agenda")[1]  # step 1, 60 minutes planned
    bar.run_item(item["id"])
    assert 3590 <= view.room.countdown.left() <= 3600
    assert item["title"] in bar.item_label.text() and item["title"] in projector.title.text()
    bar._item_started -= 17 * 60 + 5  # seventeen minutes and a bit later
    nxt = session.store.rows("agenda")[2]
    bar.run_item(nxt["id"])  # starting the next item finishes this one
    assert session.store.row("agenda", item["id"])["actual_min"] == 18
    bar.finish_item()
    assert session.store.row("agenda", nxt["id"])["actual_min"] == 1
    assert bar.item_label.text() == "" and "now:" not in projector.title.text().lower()
    session.undo_stack.undo()
    assert session.store.row("agenda", nxt["id"])["actual_min"] is None


def test_the_group_chart_updates_in_place_until_its_groups_change(qapp) -> None:
    from vbp_workshop.core.model.poll import Poll
    from vbp_workshop.core.polls.tally import tally
    from vbp_workshop.ui.polls.charts.groups import GroupChart

    poll = Poll(id=1, kind="single", question="Q", options=("A", "B"), state="open")

    def ballots(a: int, b: int) -> list[dict[str, object]]:
        return [{"answer": "0", "weight": 1}] * a + [{"answer": "1", "weight": 1}] * b

    chart = GroupChart()
    chart.set_groups(poll, {"nhs": tally(poll, ballots(3, 1)), "pharma": tally(poll, ballots(1, 3))}, {})
    bar = chart._bars["nhs"]
    chart.set_groups(poll, {"nhs": tally(poll, ballots(4, 0)), "pharma": tally(poll, ballots(1, 3))}, {})
    assert chart._bars["nhs"] is bar  # same item, new data
    assert list(bar.opts["width"]) == [100.0, 0.0]
    assert chart._names["nhs"].text == "nhs (n=4, few: read with care)"  # fewer than five: shaded
    chart.set_groups(poll, {"nhs": tally(poll, ballots(4, 0))}, {})
    assert set(chart._bars) == {"nhs"} and chart._bars["nhs"] is not bar  # groups changed: rebuilt


def test_ctrl_number_goes_to_a_page_and_a_new_join_code_shows_everywhere(demo_window: MainWindow, qtbot) -> None:
    from PySide6.QtGui import QAction

    go = {a.objectName(): a for a in demo_window.findChildren(QAction) if a.objectName().startswith("go_")}
    assert go["go_step4"].shortcut().toString() == "Ctrl+5"
    go["go_step4"].trigger()
    assert demo_window.view.current_key() == "step4"
    room = demo_window.view.room
    session = demo_window.session
    old = session.live.join_code
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        projector = room.open_projector()
        code = room.new_join_code()
        assert code != old and session.live.join_code == code
        assert session.store.workshop()["join_code"] == code
        assert projector.code.text() == code
        from PySide6.QtWidgets import QLabel

        assert code in demo_window.view.findChild(QLabel, "join_label").text()
    finally:
        room.stop_voting()


def test_a_poll_left_open_by_a_crash_takes_votes_again_after_reopening(demo_window: MainWindow, tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys

    session = demo_window.session
    path = session.store.path
    pid = next(p.id for p in queries.polls(session.store) if p.kind == "scale" and p.state == "draft")
    demo_window.close_workshop()
    code = ("import sys, time\nfrom vbp_workshop.core.file.store import Store\n"
            "from vbp_workshop.core.operations.live import open_poll\n"
            "from vbp_workshop.core.model.room import LiveState\n"
            f"s = Store.open({str(path)!r}); open_poll(s, LiveState(), {pid}); print('open', flush=True)\n"
            "time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "open"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert demo_window.open_path(path)
    session = demo_window.session
    assert session.live.accepting(pid, 1) is not None
    writer = session.start_writer()
    assert writer.vote(Vote(pid, 1, "d-x", "", 5, "uid-crash-0001")).ballot_id
