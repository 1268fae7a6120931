"""A consent (fist-to-five) poll shows what is consented to, and the projector counts the phones
connected now, not every phone that ever joined (issue 24 item 7). Real windows; the phones'
count comes through the real vote server's process from phones joined over HTTP."""

from __future__ import annotations

import json

from tests.ui.room_phones import Phone
from vbp_workshop.core.model.changes import Update
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.polls.editor import PollEditor


def fist_polls(window: MainWindow) -> dict[int, int]:
    """The demo's fist-to-five polls by step (the first of each)."""
    out: dict[int, int] = {}
    for p in queries.polls(window.session.store):
        if p.kind == "fist":
            out.setdefault(p.step, p.id)
    return out


def test_the_projector_shows_the_ambition_the_room_consents_to(demo_window: MainWindow) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    pid = fist_polls(demo_window)[1]  # "How strongly can you support the chosen ambition statement?"
    chosen = session.store.find("ambitions", chosen=1)[0]["text"]
    open_poll(session.store, session.live, pid)
    assert projector.statement.isVisibleTo(projector) and projector.statement.text() == chosen
    assert session.live.snapshot()["poll"]["statement"] == chosen  # what every phone is sent
    # A newly chosen ambition reaches the room at once.
    session.edit([Update("ambitions", 1, {"text": "Fewer second heart attacks by 2030"})], "Edit ambition")
    assert session.live.snapshot()["poll"]["statement"] == "Fewer second heart attacks by 2030"
    assert projector.statement.text() == "Fewer second heart attacks by 2030"


def test_a_rule_linked_consent_poll_shows_its_rule_and_the_editor_can_name_one(demo_window: MainWindow,
                                                                              qtbot) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    rule = session.store.rows("rules")[0]
    back = session.edit([new_poll_edit(3, "fist", "Can you live with this rule?", [], {},
                                               f"rule:{rule['id']}")], "Add")
    pid = back[0].id
    open_poll(session.store, session.live, pid)
    assert projector.statement.text() == rule["text"]
    assert session.live.snapshot()["poll"]["statement"] == rule["text"]
    # The generic template poll names no rule: the editor's Statement field says what it is.
    generic = next(p for p in queries.polls(session.store) if p.kind == "fist" and p.step == 3 and not p.target)
    editor = PollEditor(generic)
    qtbot.addWidget(editor)
    assert editor.statement.isVisibleTo(editor)
    editor.statement.setText("Decisions by consent")
    session.edit([Update("polls", generic.id, {"settings": json.dumps(editor.values()["settings"])})],
                 "Edit poll")
    open_poll(session.store, session.live, generic.id)
    assert session.live.snapshot()["poll"]["statement"] == "Decisions by consent"
    assert projector.statement.text() == "Decisions by consent"


def test_the_count_is_of_phones_connected_now(demo_window: MainWindow, qtbot) -> None:
    session, room = demo_window.session, demo_window.view.room
    projector = room.open_projector()
    room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    phones: list[Phone] = []
    try:
        pid = fist_polls(demo_window)[1]
        open_poll(session.store, session.live, pid)
        phones = [Phone(room.server.port, session.live.join_code) for _ in range(3)]
        for p in phones[:2]:  # two follow the room; the third joined and left
            p.follow()
        qtbot.waitUntil(lambda: "2 phones connected" in projector.count.text(), timeout=10_000)
        assert demo_window.view.voting_bar.joined.text() == "· 2 phones connected"  # the laptop's bar too
        joined = session.store.scalar("SELECT COUNT(*) FROM devices")
        assert joined >= 17 and f"of {joined}" not in projector.count.text()  # the demo's 14 + these 3
        phones[1].stop()  # its stream ends: the server sees it at its next ping (every 15 s) at the latest
        qtbot.waitUntil(lambda: "1 phone connected" in projector.count.text(), timeout=30_000)
        assert room.connected_phones() == 1
    finally:
        for p in phones:
            p.stop()
        room.stop_voting()
    assert "connected" not in projector.count.text()  # voting off: no phone can answer
    assert demo_window.view.voting_bar.joined.text() == ""
