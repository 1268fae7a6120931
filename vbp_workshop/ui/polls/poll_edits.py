"""The poll panel's edits to the step's polls: add, edit, duplicate, delete, reorder."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QWidget

from vbp_workshop.core.model.changes import Delete, Edit, Update
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.operations import Refused, frozen_reason
from vbp_workshop.core.operations.live import close_poll
from vbp_workshop.core.operations.polls import duplicate_edit, new_poll_edit
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.queries import answer_count
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.context import PageContext


def added(inverse: list[Edit]) -> int:
    """The id of the row an insert made (its inverse deletes that row)."""
    undo = inverse[0]
    assert isinstance(undo, Delete)
    return undo.id


class PollEdits(QWidget):
    """The buttons under the poll list: each edit is one undoable `Session.edit`."""

    chosen = Signal(int)  # a poll the list should select (the one just added or copied)

    ctx: PageContext
    session: Session
    step: int
    poll: Poll | None  # the poll selected in the list

    def __init__(self, ctx: PageContext, step: int) -> None:
        super().__init__()
        self.ctx, self.session, self.step = ctx, ctx.session, step
        self.poll = None
        grid = QGridLayout(self)  # three rows of two: fits the narrow list column with no wrapping
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for n, (name, text, slot) in enumerate([
                ("add", "Add…", self.add_poll), ("edit", "Edit…", self.edit_poll),
                ("dup", "Duplicate", self.duplicate), ("del", "Delete", self.delete),
                ("up", "↑", lambda: self.move_poll(-1)), ("down", "↓", lambda: self.move_poll(1))]):
            b = QPushButton(text)
            b.setObjectName(f"poll_{name}")
            b.clicked.connect(slot)
            if name in ("up", "down"):
                b.setToolTip("Move the selected poll " + ("up" if name == "up" else "down"))
            grid.addWidget(b, n // 2, n % 2)

    def add_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        editor = PollEditor(None, self)
        if editor.exec():
            v = editor.values()
            edit = new_poll_edit(self.step, v["kind"], v["question"], v["options"], v["settings"])
            back = self.session.edit([edit], "Add poll")
            self.chosen.emit(added(back))

    def edit_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        if not self.poll:
            return
        # Once a poll has answers its type and options are fixed: the editor says why.
        editor = PollEditor(self.poll, self, frozen=frozen_reason(self.session.store, self.poll.id))
        if editor.exec():
            v = editor.values()
            try:
                self.session.edit([Update("polls", self.poll.id, {
                    "kind": v["kind"], "question": v["question"], "privacy": v["privacy"],
                    "options": json.dumps(v["options"], ensure_ascii=False),
                    "settings": json.dumps(v["settings"], ensure_ascii=False)})], "Edit poll")
            except Refused as exc:
                self.ctx.dialogs.error("Poll has answers", str(exc))

    def duplicate(self) -> None:
        if self.poll:
            back = self.session.edit([duplicate_edit(self.poll)], "Duplicate poll")
            self.chosen.emit(added(back))

    def delete(self) -> None:
        if not self.poll:
            return
        n = answer_count(self.session.store, self.poll.id)
        if n and not self.ctx.dialogs.confirm("Delete poll?", f"This poll has {n} answers. Delete "
                                              "it and its answers? (Edit › Undo brings it back.)"):
            return
        if self.poll.is_open:
            close_poll(self.session.store, self.session.live, self.poll.id)
        self.session.edit([Delete("polls", self.poll.id)], "Delete poll")

    def move_poll(self, delta: int) -> None:
        """Swap the selected poll with its neighbour in the list."""
        ids = [p.id for p in queries.polls(self.session.store, self.step)]
        r = ids.index(self.poll.id) if self.poll and self.poll.id in ids else -1
        o = r + delta
        if 0 <= r < len(ids) and 0 <= o < len(ids):
            a, b = self.session.store.row("polls", ids[r]), self.session.store.row("polls", ids[o])
            assert a and b
            pa, pb = a["pos"], b["pos"] if b["pos"] != a["pos"] else a["pos"] + delta
            self.session.edit([Update("polls", a["id"], {"pos": pb}), Update("polls", b["id"], {"pos": pa})],
                              "Move poll")  # the list, reloaded by the change, keeps it selected
