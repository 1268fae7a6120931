"""The poll panel's edits to the step's polls: add, edit, duplicate, delete, reorder."""

from __future__ import annotations

from vbp_workshop.core import pollops
from vbp_workshop.core.operations import Refused, answer_count, frozen_reason
from vbp_workshop.core.store import Delete, Update


class PollEdits:
    """Editing the list of `PollPanel` (a mixin: each edit is one undoable `Session.edit`)."""

    def add_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        editor = PollEditor(None, self)
        if editor.exec():
            v = editor.values()
            edit = pollops.new_poll_edit(self.step, v["kind"], v["question"], v["options"], v["settings"])
            back = self.session.edit([edit], "Add poll")
            self.select(back[0].id)  # type: ignore[union-attr]

    def edit_poll(self) -> None:
        from vbp_workshop.ui.polls.editor import PollEditor

        if not self.poll:
            return
        # Once a poll has answers its type and options are fixed: the editor says why.
        editor = PollEditor(self.poll, self, frozen=frozen_reason(self.session.store, self.poll.id))
        if editor.exec():
            v = editor.values()
            import json

            try:
                self.session.edit([Update("polls", self.poll.id, {
                    "kind": v["kind"], "question": v["question"], "privacy": v["privacy"],
                    "options": json.dumps(v["options"], ensure_ascii=False),
                    "settings": json.dumps(v["settings"], ensure_ascii=False)})], "Edit poll")
            except Refused as exc:
                self.ctx.dialogs.error("Poll has answers", str(exc))

    def duplicate(self) -> None:
        if self.poll:
            back = self.session.edit([pollops.duplicate_edit(self.poll)], "Duplicate poll")
            self.select(back[0].id)  # type: ignore[union-attr]

    def delete(self) -> None:
        if not self.poll:
            return
        n = answer_count(self.session.store, self.poll.id)
        if n and not self.ctx.dialogs.confirm("Delete poll?", f"This poll has {n} answers. Delete "
                                              "it and its answers? (Edit › Undo brings it back.)"):
            return
        if self.poll.is_open:
            pollops.close_poll(self.session.store, self.session.live, self.poll.id)
        self.session.edit([Delete("polls", self.poll.id)], "Delete poll")

    def move(self, delta: int) -> None:
        polls = self.polls()
        r = self.list.currentRow()
        o = r + delta
        if 0 <= r < len(polls) and 0 <= o < len(polls):
            a, b = self.session.store.row("polls", polls[r].id), self.session.store.row("polls", polls[o].id)
            assert a and b
            pa, pb = a["pos"], b["pos"] if b["pos"] != a["pos"] else a["pos"] + delta
            self.session.edit([Update("polls", a["id"], {"pos": pb}), Update("polls", b["id"], {"pos": pa})],
                              "Move poll")
            self.list.setCurrentRow(o)
