"""What the facilitator is typing when the workshop closes: saved first, or the close asks.

A table cell being edited and a text field not yet left hold text the file does not have yet.
Every way out of a workshop (the close button, Ctrl+Q, File › Close workshop, opening another)
calls `finish_edits` first: each edit in progress is committed as if the facilitator had pressed
Enter; one the workshop refuses (a date that is not a date) is named in a question — close
without it, or go back to it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QWidget

from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.bound_text import BoundText
from vbp_workshop.ui.shared.dialogs import DialogService

CLOSE_WITHOUT, GO_BACK = 0, 1


def _cell_edits(root: QWidget) -> list[tuple[QAbstractItemView, QWidget]]:
    """(view, editor) of every table or list with a cell being edited."""
    out = []
    for view in root.findChildren(QAbstractItemView):
        if view.state() != QAbstractItemView.State.EditingState:
            continue
        editor = view.indexWidget(view.currentIndex())  # the open editor of the current cell
        if editor is not None:
            out.append((view, editor))
    return out


def _commit_cell(view: QAbstractItemView, editor: QWidget) -> str:
    """Commit a cell's editor as Enter would and close it; the reason if the model refused it
    (the editor then stays open, with what was typed)."""
    refused: list[str] = []
    signal = getattr(view.model(), "refused", None)
    if signal is not None:
        signal.connect(refused.append)
    try:
        view.commitData(editor)
    finally:
        if signal is not None:
            signal.disconnect(refused.append)
    if refused:
        return refused[-1]
    view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    return ""


def finish_edits(root: QWidget, session: Session, dialogs: DialogService) -> bool:
    """Save every edit in progress of `session` under `root`. True when the workshop may close:
    all saved, or the facilitator chose to close without what could not be saved."""
    unsaved: list[str] = []
    left_open: list[tuple[QAbstractItemView, QWidget]] = []
    for view, editor in _cell_edits(root):
        why = _commit_cell(view, editor)
        if why:
            unsaved.append(why)
            left_open.append((view, editor))
    for field in root.findChildren(BoundText):
        if field.session is session and field.text().strip() != field.value().strip():
            why = field.commit()
            if why:
                unsaved.append(why)
    if not unsaved:
        return True
    answer = dialogs.choose(
        "Close the workshop?",
        "What you are typing cannot be saved:\n\n" + "\n".join(f"• {w}" for w in unsaved)
        + "\n\nClose without it, or go back and correct it?",
        ["Close without it", "Go back to it"], default=GO_BACK)
    if answer != CLOSE_WITHOUT:
        return False
    for view, editor in left_open:  # dropped, as the facilitator chose: nothing commits it later
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)
    return True
