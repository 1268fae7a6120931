"""Help for a first-time facilitator: getting started, and the keyboard shortcuts as the window
actually has them (read from its actions, so the list cannot drift from the menus)."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QMenu, QTextBrowser, QVBoxLayout, QWidget

GETTING_STARTED = """
<h2>Your first workshop in ten minutes</h2>
<p>VBP Workshop runs on this laptop alone: no internet, no accounts. Phones vote through the
laptop over the room's Wi-Fi (or your phone's hotspot).</p>

<h3>1. Prepare (3 minutes)</h3>
<ul>
<li><b>File › New workshop…</b> makes a workshop file from the template: the agenda, a guide for
each of the five steps, and starter polls. Every change is saved as you make it.</li>
<li>On <b>Setup</b>, type the title, date and venue, then add the partner organisations
(<b>Add partner</b>, then type the name). <b>File › Import participants…</b> reads a list from
Excel or CSV; names never reach the phones.</li>
<li>Not ready to type? <b>File › Open the demo workshop</b> shows a finished day.</li>
</ul>

<h3>2. Phones (2 minutes)</h3>
<ul>
<li>Press <b>Start phone voting</b> at the top. Pick the address of the network the phones are
on in the list beside it.</li>
<li>Press <b>F5</b> for the projector window and drag it to the projector. It shows the join
address, the QR code and the join code; participants scan and join.</li>
<li>Phones cannot connect? <b>Help › Phone voting: troubleshooting</b>. You can always count
hands instead: every poll has <b>Hand count…</b>.</li>
</ul>

<h3>3. A poll (2 minutes)</h3>
<ul>
<li>Go to a step (<b>Ctrl+1</b> … <b>Ctrl+8</b>) and open its <b>Polls</b> tab. Pick a poll,
or <b>Add…</b> your own.</li>
<li><b>Open voting</b>: the question is on the phones and on the projector, with a live count of
answers. <b>Close</b> when the room has answered.</li>
</ul>

<h3>4. Reveal (1 minute)</h3>
<ul>
<li><b>Reveal results</b> puts the chart on the projector. <b>Split by stakeholder group</b>
shows where groups see it differently; <b>New round</b> asks again after discussion, and
<b>Compare rounds</b> shows the change.</li>
<li>The timer at the top timeboxes any activity; <b>Agenda</b> runs the day's items.</li>
</ul>

<h3>5. Export (2 minutes)</h3>
<ul>
<li><b>File › Export to Excel…</b> writes the hand-over workbook for every partner: what was
agreed, every poll with its chart, the actions. Participants are listed as Participant 001,
002 … unless you choose to include names.</li>
<li><b>File › Print run sheet…</b> makes a one-page PDF of the agenda and its timeboxes to keep
beside the laptop.</li>
</ul>
"""


def shortcuts(window: QMainWindow) -> list[tuple[str, str]]:
    """(where, keys) for every menu action with a shortcut, in menu order."""
    found: list[tuple[str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} › {action.text().replace('&', '')}")
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()]
            if keys and action.text():
                found.append((f"{path} › {action.text().replace('&', '')}", ", ".join(keys)))

    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            walk(menu, action.text().replace("&", ""))
    return found


def shortcuts_html(window: QMainWindow) -> str:
    rows = "".join(f"<tr><td>{escape(where)}</td><td><b>{escape(keys)}</b></td></tr>"
                   for where, keys in shortcuts(window))
    return ("<h2>Keyboard shortcuts</h2><table cellpadding='3'>" + rows + "</table>"
            "<p>In a table: <b>Delete</b> removes the selected rows; typing edits the cell; "
            "<b>Enter</b> keeps it.</p>")


def help_window(parent: QWidget, title: str, html: str, name: str) -> QDialog:
    """A help page that stays open beside the window (not modal): read it while you work."""
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    lay = QVBoxLayout(dialog)
    text = QTextBrowser()
    text.setObjectName("help_text")
    text.setOpenLinks(False)
    text.setHtml(html)
    lay.addWidget(text, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    lay.addWidget(buttons)
    dialog.resize(620, 560)
    return dialog


def find_action(window: QWidget, text: str) -> QAction | None:
    return next((a for a in window.findChildren(QAction) if a.text().replace("&", "") == text), None)
