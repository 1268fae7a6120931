"""The main window on the screens facilitators have: a 1366×768 laptop (also at 125 % and 150 %
scaling) and a 1280×720 screen. On every page, tab and poll kind the window's minimum size fits,
and at that size every button is whole (not clipped by its parents)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.workshop_view import PAGE_KEYS

# Logical pixels left for the window: the screen less a title bar and a taskbar (about 88 px at
# 100 %). Scaling divides the screen: 1366×768 at 125 % is 1093×614, at 150 % 911×512.
SCREENS = {
    "1366x768": (1366, 768 - 88),
    "1280x720": (1280, 720 - 88),
    "1366x768@125%": (1093, 614 - 72),
    "1366x768@150%": (911, 512 - 62),
}


def places(window: MainWindow) -> Iterator[str]:
    """Show every page, every tab, and every poll in each step's panel; yield a name for each."""
    view = window.view
    assert view is not None
    for key in PAGE_KEYS:
        page = view.show_page(key)
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs else 1):
            if tabs:
                tabs.setCurrentIndex(i)
            QApplication.processEvents()
            name = key + (f" / {tabs.tabText(i)}" if tabs else "")
            polls = getattr(page, "polls", None)
            if tabs and polls is not None and page.tab(tabs.tabText(i)) is polls:
                for row in range(polls.list.count()):
                    polls.list.setCurrentRow(row)
                    QApplication.processEvents()
                    yield f"{name} / {polls.poll.kind} #{polls.poll.id}"
            else:
                yield name


def clipped(button: QAbstractButton) -> bool:
    """True if any part of the button lies outside a parent's rectangle."""
    widget: QWidget = button
    rect = QRect(button.rect())
    while widget.parentWidget() is not None:
        rect.translate(widget.pos())
        widget = widget.parentWidget()
        if not widget.rect().contains(rect):
            return True
    return False


def reveal(button: QAbstractButton) -> None:
    """Scroll a vertical scroll area to the button, as a person would."""
    parent = button.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(button)
            QApplication.processEvents()
        parent = parent.parentWidget()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_window_fits_the_screen_on_every_page_tab_and_poll(demo_window: MainWindow, screen: str) -> None:
    room_w, room_h = SCREENS[screen]
    too_big = []
    for place in places(demo_window):
        need = demo_window.minimumSizeHint().expandedTo(demo_window.minimumSize())
        if need.width() > room_w or need.height() > room_h:
            too_big.append(f"{place}: needs {need.width()}×{need.height()}")
    assert not too_big, f"on {screen}:\n" + "\n".join(too_big)


@pytest.mark.parametrize("screen", ["1280x720", "1366x768@150%"])
def test_at_that_size_every_button_is_whole(demo_window: MainWindow, screen: str) -> None:
    room_w, room_h = SCREENS[screen]
    demo_window.resize(room_w, room_h)
    QApplication.processEvents()
    assert demo_window.width() <= room_w and demo_window.height() <= room_h
    cut: list[str] = []
    checked = 0
    for place in places(demo_window):
        shown = [b for b in demo_window.findChildren(QAbstractButton) if b.isVisible()]
        for button in shown:
            reveal(button)
            checked += 1
            if clipped(button):
                cut.append(f"{place}: “{button.text() or button.objectName()}”")
        QApplication.processEvents()  # wrapped rows settle their height on the next turn
        rects = [(b, QRect(b.mapTo(demo_window, b.rect().topLeft()), b.size())) for b in shown if b.isVisible()]
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1:]:
                if ra.intersects(rb) and not a.isAncestorOf(b) and not b.isAncestorOf(a) \
                        and a.parentWidget() is b.parentWidget():
                    cut.append(f"{place}: “{a.text()}” overlaps “{b.text()}”")
    assert checked > 300
    assert not cut, f"clipped on {screen}:\n" + "\n".join(sorted(set(cut)))


def test_the_poll_controls_and_join_code_are_whole_at_1280(demo_window: MainWindow, qtbot) -> None:
    """The two places the issue names: the poll buttons and the voting bar's join code."""
    demo_window.resize(*SCREENS["1280x720"])
    view = demo_window.view
    view.room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        page = view.show_page("step2")
        page.show_polls()
        QApplication.processEvents()
        for name in ("open", "close", "reveal", "round", "hand", "project"):
            button = page.polls.buttons[name]
            assert button.isVisible() and not clipped(button), name
        join = view.voting_bar.join
        assert view.room.session.live.join_code in join.text()
        assert not clipped(join) and join.width() >= join.sizeHint().width()
    finally:
        view.room.stop_voting()


def test_the_window_opens_within_a_small_screen(qtbot, settings) -> None:
    from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

    win = MainWindow(settings, ScriptedDialogs())
    qtbot.addWidget(win)
    room = win.screen().availableGeometry()
    assert win.width() <= room.width() and win.height() <= room.height()
    assert win.minimumSizeHint().width() <= 1280


def test_a_window_saved_on_a_bigger_screen_reopens_within_this_one(qtbot, settings) -> None:
    from vbp_workshop.ui.shared.dialogs import ScriptedDialogs

    big = MainWindow(settings, ScriptedDialogs())
    qtbot.addWidget(big)
    big.setMaximumSize(4000, 4000)
    big.resize(1900, 1150)  # the office monitor
    settings.geometry = big.saveGeometry()
    again = MainWindow(settings, ScriptedDialogs())  # the laptop in the room
    qtbot.addWidget(again)
    room = again.screen().availableGeometry()
    assert again.width() <= room.width() and again.height() <= room.height()
