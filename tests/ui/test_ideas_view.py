"""The ideas window and the projector's cards with the real window and the real server:
phones' ideas arrive live, merge suggestions are confirmed, hidden ideas leave the projector,
approval holds cards back, promote makes a poll, and every step undoes."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from PySide6.QtCore import Qt

from vbp_workshop.core.model.changes import Changes
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import ideas
from vbp_workshop.ui.ideas_view import IdeasWindow, open_window
from vbp_workshop.ui.main_window import MainWindow


def post_ideas(base: str, code: str, aid: int, texts: list[str], group: str = "patient") -> list[int]:
    async def go() -> list[int]:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            r = await s.post(base + "/api/join", json={"code": code, "group": group})
            assert r.status == 200, await r.text()
            workshop = (await r.json())["workshop"]
            out = []
            for n, text in enumerate(texts):
                r = await s.post(base + "/api/ideas", json={"workshop": workshop, "activity_id": aid, "text": text,
                                                            "idea_uid": f"{group}-{n:08d}"})
                assert r.status == 200, await r.text()
                out.append(int((await r.json())["id"]))
            return out
    return asyncio.run(go())


def texts_in(win: IdeasWindow) -> list[str]:
    return [win.table.item(n, 0).text() for n in range(win.table.rowCount())]


def select(win: IdeasWindow, ids: list[int]) -> None:
    win.table.clearSelection()
    for n in range(win.table.rowCount()):
        if win.table.item(n, 0).data(Qt.ItemDataRole.UserRole) in ids:
            win.table.selectRow(n) if len(ids) == 1 else win.table.item(n, 0).setSelected(True)


def make_activity(win: IdeasWindow, approval: bool = False) -> int:
    win.prompt.setText("What should change for patients?")
    win.approval.setChecked(approval)
    win.add_activity()
    aid = win.activity_id()
    assert aid is not None
    win.toggle_open()
    return aid


def test_ideas_arrive_live_merge_hide_promote_and_undo(demo_window: MainWindow, qtbot: Any) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    base = room.start_voting("127.0.0.1", host="127.0.0.1", port=0).rstrip("/")
    try:
        win = open_window(session, demo_window)
        qtbot.addWidget(win)
        aid = make_activity(win)
        seen: list[Changes] = []
        session.changed.connect(seen.append)
        ids = post_ideas(base, session.live.join_code, aid, [
            "More trust between partners", "more trust between the partners!", "Share outcome data", "Rude remark"])
        qtbot.waitUntil(lambda: win.table.rowCount() == 4, timeout=5000)
        assert any(c.origin == "phone" and c.event == "ideas" for c in seen)
        cards = projector.stack.currentWidget()
        assert cards.objectName() == "idea_cards"
        qtbot.waitUntil(lambda: len(cards.texts) == 4, timeout=5000)
        assert projector.question.text() == "What should change for patients?"
        # The suggestion is the near-duplicate pair, and nothing else.
        assert win.suggestions.count() == 1
        assert win.suggestions.item(0).data(Qt.ItemDataRole.UserRole) == (ids[0], ids[1])
        win.merge_suggested()
        assert len(texts_in(win)) == 3 and win.suggestions.count() == 0
        select(win, [ids[3]])
        win.set_status("hidden")
        assert not any(t.startswith("Rude remark") for t in cards.texts)
        assert [i["text"] for i in win.controller.room.live.snapshot()["ideas"]] == [
            "Share outcome data", "More trust between partners"]
        # Promote the two left to a dot vote, then undo promote, hide and merge.
        merged = max(i["id"] for i in ideas.ideas_of(session.store, aid))
        select(win, [ids[2], merged])
        polls_before = len(queries.polls(session.store))
        win.promote()
        poll = queries.polls(session.store)[-1]
        assert len(queries.polls(session.store)) == polls_before + 1 and poll.kind == "points"
        assert set(poll.options) == {"Share outcome data", "More trust between partners"}
        for _ in range(3):
            session.undo_stack.undo()
        assert len(queries.polls(session.store)) == polls_before
        assert len(texts_in(win)) == 4 and any(t.startswith("Rude remark") for t in cards.texts)
    finally:
        room.stop_voting()


def test_with_approval_cards_wait_for_the_facilitator(demo_window: MainWindow, qtbot: Any) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    base = room.start_voting("127.0.0.1", host="127.0.0.1", port=0).rstrip("/")
    try:
        win = open_window(session, demo_window)
        qtbot.addWidget(win)
        aid = make_activity(win, approval=True)
        ids = post_ideas(base, session.live.join_code, aid, ["Joint board", "Patient panel"])
        qtbot.waitUntil(lambda: win.table.rowCount() == 2, timeout=5000)
        cards = projector.stack.currentWidget()
        qtbot.waitUntil(lambda: "2 waiting for approval" in projector.count.text(), timeout=5000)
        assert cards.texts == []
        select(win, [ids[1]])
        # An idea arriving meanwhile does not take the facilitator's selection away.
        post_ideas(base, session.live.join_code, aid, ["Late idea"], group="payer")
        qtbot.waitUntil(lambda: win.table.rowCount() == 3, timeout=5000)
        assert win.selected() == [ids[1]]
        win.set_status("approved")
        assert [t.split("\x00")[0] for t in cards.texts] == ["Patient panel"]
        assert [i["text"] for i in win.controller.room.live.snapshot()["ideas"]] == ["Patient panel"]
    finally:
        room.stop_voting()


def test_closing_the_workshop_stops_the_ideas_writer_and_window(demo_window: MainWindow, qtbot: Any) -> None:
    session = demo_window.session
    win = open_window(session, demo_window)
    writer = win.controller.room.ensure_started()
    assert writer.running and win.isVisible()
    demo_window.close_workshop()
    assert not writer.running  # no thread left holding a connection to the closed file
    assert not win.isVisible()


def test_approval_applies_to_an_existing_activity_on_the_projector(demo_window: MainWindow, qtbot: Any) -> None:
    """The setting is the shown activity's, not only a new one's: an activity the template made
    (approval off) holds its ideas, those already shown included, once the box is ticked."""
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    base = room.start_voting("127.0.0.1", host="127.0.0.1", port=0).rstrip("/")
    try:
        win = open_window(session, demo_window)
        qtbot.addWidget(win)
        existing = next(a for a in ideas.activities(session.store) if not a["approval"])
        win.activity.setCurrentIndex(win.activity.findData(existing["id"]))
        assert win.activity_id() == existing["id"] and not win.approval.isChecked()
        win.toggle_open()
        aid = int(existing["id"])
        ids = post_ideas(base, session.live.join_code, aid, ["Joint board", "Patient panel"])
        cards = projector.stack.currentWidget()
        qtbot.waitUntil(lambda: cards.objectName() == "idea_cards" and len(cards.texts) == 2, timeout=5000)
        win.approval.click()  # the facilitator ticks it for the activity under way
        assert session.store.row("idea_activities", aid)["approval"] == 1
        qtbot.waitUntil(lambda: cards.texts == [] and "2 waiting for approval" in projector.count.text(),
                        timeout=5000)
        assert win.controller.room.live.snapshot()["ideas"] == [] or not existing["supports"]
        post_ideas(base, session.live.join_code, aid, ["Unmoderated remark"], group="payer")
        qtbot.waitUntil(lambda: win.table.rowCount() == 3, timeout=5000)
        qtbot.waitUntil(lambda: "3 waiting for approval" in projector.count.text(), timeout=5000)
        assert cards.texts == []
        select(win, [ids[1]])
        win.set_status("approved")
        qtbot.waitUntil(lambda: [t.split("\x00")[0] for t in cards.texts] == ["Patient panel"], timeout=5000)
        # Choosing another activity shows its own setting; coming back shows this one's.
        other = next(a for a in ideas.activities(session.store) if a["id"] != aid)
        win.activity.setCurrentIndex(win.activity.findData(other["id"]))
        assert win.approval.isChecked() == bool(other["approval"])
        win.activity.setCurrentIndex(win.activity.findData(aid))
        assert win.approval.isChecked()
        session.undo_stack.undo()  # approve undone
        session.undo_stack.undo()  # the setting undone: every idea is shown again
        qtbot.waitUntil(lambda: len(cards.texts) == 3, timeout=5000)
        assert not win.approval.isChecked()
    finally:
        room.stop_voting()


def test_a_merge_asks_which_wording_to_keep(demo_window: MainWindow, dialogs: Any, qtbot: Any) -> None:
    session = demo_window.session
    win = open_window(session, demo_window)
    qtbot.addWidget(win)
    aid = make_activity(win)
    first = session.store.next_id("ideas")
    session.store.apply([ideas_insert(aid, t) for t in ("Joint board", "A joint board for the pathway")])
    win.refresh()
    dialogs.answers = ["A joint board for the pathway"]
    select(win, [first, first + 1])
    win.merge_selected()
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("wording", "Merge ideas")
    assert "( ) Joint board" in text and "( ) A joint board for the pathway" in text
    assert texts_in(win) == ["A joint board for the pathway"]
    session.undo_stack.undo()
    dialogs.answers = [None]  # Cancel: nothing merged
    select(win, [first, first + 1])
    win.merge_selected()
    assert sorted(texts_in(win)) == ["A joint board for the pathway", "Joint board"]


def ideas_insert(aid: int, text: str) -> Any:
    from vbp_workshop.core.model.changes import Insert

    return Insert("ideas", {"activity_id": aid, "text": text, "submitted": text, "grp": "pharma",
                            "device": f"d-{text}", "uid": text[:8], "status": "new"})


def test_the_wording_dialog_is_roomy_and_keeps_a_choice(qtbot: Any) -> None:
    """The Reword box was a one-line input ~200 px wide: the dialog fits a whole idea."""
    from vbp_workshop.ui.shared.dialogs import WordingDialog

    long = "Every GP practice finds its high-risk patients and invites them for a lipid check within a year"
    d = WordingDialog(None, "Reword idea", "The wording the room sees:", long, ["Short one", long])
    qtbot.addWidget(d)
    d.resize(d.sizeHint())
    d.show()
    qtbot.waitExposed(d)
    assert d.width() >= 420 and d.edit.height() >= 4 * d.edit.fontMetrics().lineSpacing()
    d.choices[0].click()
    assert d.edit.toPlainText() == "Short one"
