"""The projector on the screens real rooms have: 1024×768 up to 4K, from the back row.

A real window (offscreen), the real demo workshop in a real SQLite file, the real vote server
(for the join panel and its QR code) on a free port.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.model.changes import Insert, Update, now_iso
from vbp_workshop.core.model.poll import KINDS, Poll
from vbp_workshop.core.operations.live import reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.ui.main_window import MainWindow


def settle(n: int = 6) -> None:
    for _ in range(n):
        QApplication.processEvents()


@pytest.fixture
def room(demo_window: MainWindow) -> Iterator[Any]:
    assert demo_window.view is not None
    room = demo_window.view.room
    room.open_projector()
    room.start_voting("192.168.100.200", host="127.0.0.1", port=0)  # a port the system chooses: no race with other runs
    room.countdown.start(5 * 60)
    yield room
    room.countdown.reset()
    room.stop_voting()


def one_poll_per_kind(room: Any) -> dict[str, Poll]:
    out: dict[str, Poll] = {}
    for poll in queries.polls(room.session.store):
        out.setdefault(poll.kind, poll)
    return out


def add_ballots(room: Any, poll: Poll, answers: list[Any], round_: int | None = None) -> None:
    stamp = now_iso()
    room.session.edit([Insert("ballots", {
        "poll_id": poll.id, "round": round_ or poll.round, "voter": "t-" + secrets.token_hex(6),
        "grp": "", "source": "phone", "weight": 1, "answer": json.dumps(a),
        "ballot_uid": secrets.token_hex(8), "created_at": stamp, "updated_at": stamp}) for a in answers],
        "test ballots")


def test_the_demo_has_every_poll_kind(room: Any) -> None:
    assert set(one_poll_per_kind(room)) == set(KINDS)


def test_the_projector_fits_1024x768_for_every_kind_shown_hidden_split_or_not(room: Any) -> None:
    proj = room.projector
    session = room.session
    too_big = []
    for kind, poll in one_poll_per_kind(room).items():
        room.show_poll(poll.id)
        for shown in (False, True):
            reveal(session.store, session.live, poll.id, shown)
            for split in (False, True):
                room.set_split(poll.id, split)
                proj.resize(1024, 768)
                settle()
                hint = proj.minimumSizeHint()
                if hint.width() > 1024 or hint.height() > 768:
                    too_big.append((kind, shown, split, hint.width(), hint.height()))
                assert proj.width() == 1024 and proj.height() == 768, (kind, proj.size())
        room.set_split(poll.id, False)
    rounds = next(p for p in queries.polls(session.store) if p.round > 1)  # a re-vote, compared
    reveal(session.store, session.live, rounds.id, True)
    room.show_poll(rounds.id)
    room.set_compare(rounds.id, True)
    from vbp_workshop.ui.steps.summary import summary_html

    for mode in ("rounds", "summary"):
        if mode == "summary":
            room.show_summary(summary_html(room_ctx(room)))
        proj.resize(1024, 768)
        settle()
        hint = proj.minimumSizeHint()
        if hint.width() > 1024 or hint.height() > 768:
            too_big.append((mode, hint.width(), hint.height()))
    assert not too_big


@pytest.mark.parametrize(("w", "h"), [(1024, 768), (1920, 1080), (3840, 2160)])
def test_the_qr_code_and_join_code_are_whole_at_every_size(room: Any, w: int, h: int) -> None:
    proj = room.projector
    proj.resize(w, h)
    settle()
    pix = proj.qr.pixmap()
    assert not pix.isNull() and pix.width() == pix.height()  # square: never squashed
    label = proj.qr.contentsRect()
    assert label.width() >= pix.width() and label.height() >= pix.height()  # shown whole
    assert pix.height() >= 0.25 * h
    # Inside the window, and nothing drawn over its quiet zone: the panel around it is white.
    top_left = proj.qr.mapTo(proj, proj.qr.rect().topLeft())
    assert top_left.x() >= 0 and top_left.y() >= 0
    assert top_left.x() + proj.qr.width() <= w and top_left.y() + proj.qr.height() <= h
    code = proj.code
    assert code.text() == room.session.live.join_code
    assert code.fontMetrics().horizontalAdvance(code.text()) <= code.contentsRect().width()
    address = proj.address
    assert address.fontMetrics().horizontalAdvance(address.text()) <= address.contentsRect().width()
    assert "192.168.100.200" in address.text()


def test_the_qr_code_keeps_a_quiet_zone_of_four_modules(room: Any) -> None:
    """Scanners need ~4 modules of white around the code: 2 in the image, the rest around it."""
    proj = room.projector
    proj.code.setText("QJQJQ")  # letters that reach down towards the code below them
    proj.resize(1024, 768)
    settle()
    shot = proj.grab().toImage()
    image = proj.qr.pixmap().toImage()
    # The finder patterns touch the code's corners: the first dark column is where the code starts.
    first = min(x for y in range(0, image.height(), 3) for x in range(image.width() // 4)
                if image.pixelColor(x, y).lightness() < 128)
    module = first / 2  # segno's border: 2 modules
    assert module >= 3  # at least 3 screen pixels per module at 1024×768
    at = proj.qr.mapTo(proj, proj.qr.rect().topLeft())
    left, top = at.x() + (proj.qr.width() - image.width()) // 2, at.y() + (proj.qr.height() - image.height()) // 2
    ring = round(2 * module)  # the other 2 modules: the window around the image must be white
    for x in range(left - ring, left + image.width() + ring, 2):
        for y in (top - ring, top - 1, top + image.height(), top + image.height() + ring - 1):
            assert shot.pixelColor(x, y).lightness() > 240, (x, y)
    for y in range(top - ring, top + image.height() + ring, 2):
        for x in (left - ring, left - 1, left + image.width(), left + image.width() + ring - 1):
            assert shot.pixelColor(x, y).lightness() > 240, (x, y)


def test_type_grows_with_the_window_and_the_question_is_40px_at_1080p(room: Any) -> None:
    proj = room.projector
    sizes = {}
    for w, h in ((1024, 768), (1920, 1080), (3840, 2160)):
        proj.resize(w, h)
        settle()
        sizes[h] = (proj.question.font().pixelSize(), proj.code.font().pixelSize(),
                    proj.charts["agreement"].text_px if "agreement" in proj.charts else None)
    assert sizes[1080][0] >= 40
    assert sizes[768][0] < sizes[1080][0] < sizes[2160][0]
    assert sizes[768][1] < sizes[1080][1] < sizes[2160][1]


def test_charts_on_the_projector_grow_with_it(room: Any) -> None:
    proj = room.projector
    poll = one_poll_per_kind(room)["agreement"]
    reveal(room.session.store, room.session.live, poll.id, True)
    room.show_poll(poll.id)
    proj.resize(1024, 768)
    settle()
    small = proj.charts["agreement"].text_px
    proj.resize(1920, 1080)
    settle()
    assert proj.charts["agreement"].text_px > small
    assert proj.stack.currentWidget() is proj.charts["agreement"]


def test_one_response_is_singular(room: Any) -> None:
    proj = room.projector
    poll = one_poll_per_kind(room)["single"]
    edits = [Update("ballots", b["id"], {"round": 99})
             for b in queries.ballots(room.session.store, poll.id, poll.round)]
    room.session.edit(edits, "move the demo's answers out of the way")
    add_ballots(room, poll, [0])
    room.show_poll(poll.id)
    assert proj.count.text().startswith("1 response ") or proj.count.text().startswith("1 response·")
    assert "responses" not in proj.count.text()
    add_ballots(room, poll, [1])
    proj.refresh()
    assert proj.count.text().startswith("2 responses")


def test_open_text_shows_the_answers_but_never_a_hidden_one(room: Any) -> None:
    proj = room.projector
    session = room.session
    poll = one_poll_per_kind(room)["text"]
    add_ballots(room, poll, ["Nobody waits for cardiac rehab", "RUDE WORDS HERE"])
    rude = next(b for b in queries.ballots(session.store, poll.id, poll.round)
                if json.loads(b["answer"]) == "RUDE WORDS HERE")
    session.edit([Update("ballots", rude["id"], {"hidden": 1})], "Hide answer")
    reveal(session.store, session.live, poll.id, True)
    room.show_poll(poll.id)
    proj.resize(1024, 768)
    settle()
    view = proj.answers
    assert proj.stack.currentWidget() is view
    assert view.shown and view.shown[0] == "Nobody waits for cardiac rehab"  # newest first
    assert all("RUDE" not in t for t in view.texts)
    assert "RUDE" not in view.answers.text()
    # The word counts are the secondary view: beside the answers, without stop words.
    words = [w for w, _ in session.round_tally(poll).words]
    assert "rude" not in words and "the" not in words and "for" not in words
    assert view.words.isVisible() and view.words.width() < view.answers.width()


def test_the_same_answer_from_many_people_is_one_line_with_its_count(room: Any) -> None:
    proj = room.projector
    poll = one_poll_per_kind(room)["text"]
    add_ballots(room, poll, ["Shared  data", "shared data", "Shared data", "One plan per patient"])
    reveal(room.session.store, room.session.live, poll.id, True)
    room.show_poll(poll.id)
    proj.resize(1024, 768)
    settle()
    shown = proj.answers.shown
    assert shown[0] == "One plan per patient" and shown[1] == "Shared data  (×3)"


def test_answers_that_do_not_fit_are_counted_not_cut(room: Any) -> None:
    proj = room.projector
    poll = one_poll_per_kind(room)["text"]
    add_ballots(room, poll, [f"Answer number {i} with a few more words to wrap" for i in range(60)])
    reveal(room.session.store, room.session.live, poll.id, True)
    room.show_poll(poll.id)
    proj.resize(1024, 768)
    settle()
    view = proj.answers
    assert 0 < len(view.shown) < len(view.texts)
    assert f"+ {len(view.texts) - len(view.shown)} more answers" in view.answers.text()
    assert view.answers.sizeHint().height() <= view.answers.height() + 2  # the list fits


def test_rounds_are_compared_on_the_projector_with_a_legend(room: Any) -> None:
    proj = room.projector
    poll = next(p for p in queries.polls(room.session.store) if p.round > 1)
    reveal(room.session.store, room.session.live, poll.id, True)
    room.show_poll(poll.id)
    assert proj.stack.currentWidget() is proj.charts[poll.kind]  # the latest round alone
    room.set_compare(poll.id, True)
    assert proj.stack.currentWidget() is proj.group_chart
    names = [label.text for _, label in proj.group_chart.legend.items]
    assert [n.split(" (n=")[0] for n in names] == [f"Round {r}" for r in range(1, poll.round + 1)]
    assert proj.headline.text().startswith("Round 1:") and f"Round {poll.round}:" in proj.headline.text()
    room.set_compare(poll.id, False)
    assert proj.stack.currentWidget() is proj.charts[poll.kind]


def test_the_summary_pages_instead_of_scrolling(room: Any) -> None:
    from vbp_workshop.ui.steps.summary import summary_html

    proj = room.projector
    proj.resize(1024, 768)
    room.show_summary(summary_html(room_ctx(room)))
    settle()
    paged = proj.summary
    assert proj.stack.currentWidget() is paged
    pages = paged.pages()
    assert pages > 1  # the demo's summary is longer than a 1024×768 screen
    assert abs(paged.doc.pageSize().height() - paged.height()) < 1  # a page is what is on screen
    assert proj.pager.text().startswith(f"Page 1 of {pages}")
    QTest.keyClick(proj, Qt.Key.Key_PageDown)
    assert paged.page == 1 and proj.pager.text().startswith(f"Page 2 of {pages}")
    QTest.keyClick(proj, Qt.Key.Key_PageUp)
    assert paged.page == 0
    for _ in range(pages + 3):
        proj.next_page()
    assert paged.page == pages - 1  # stops at the last page
    proj.resize(3840, 2160)
    settle()
    assert paged.page < paged.pages()
    room.show_poll(None)
    assert proj.pager.isHidden()


def room_ctx(room: Any) -> Any:
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.view)
    assert window.view is not None and window.view.room is room
    return window.view.ctx
