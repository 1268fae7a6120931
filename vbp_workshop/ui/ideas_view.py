"""The facilitator's ideas window: collect, moderate, merge, promote to a poll, adopt.

`attach(session)` (called once per open workshop) wires the phones' ideas into the one change
path: the ideas writer's notices are drained here on a timer, on the GUI thread, and announced
as one change record (origin "phone", event "ideas"); any change to the ideas re-derives what
the phones see. Every moderation action is an undoable `Session.edit` of a core operation.
"""

from __future__ import annotations

import queue
import time
from collections import Counter
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.intake.ideas import IdeasRoom, derive, room, set_state
from vbp_workshop.core.model.changes import PHONE, Changes, Edit
from vbp_workshop.core.model.domain import GROUP_LABELS, NUMBERED_STEPS
from vbp_workshop.core.operations import Refused
from vbp_workshop.core.polls.kinds import get as kind_of
from vbp_workshop.core.steps import ideas
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.shared.labels import plain_label

DRAIN_MS = 25
REDRAW_MS = 150  # the ideas window redraws at most this often while phones send
IDEA_TABLES = ("ideas", "idea_activities", "idea_supports")


class IdeasController(QObject):
    """Drains the phones' ideas into change records and keeps the phones' view derived."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.session = session
        self.room: IdeasRoom = room(session.live, session.store.path)
        self.shown_at: dict[int, float] = {}  # idea id -> when its change record went out (benchmarks)
        session.store.listeners.append(self._on_store)
        derive(session.store, self.room.live)
        self._timer = QTimer(self)
        self._timer.setInterval(DRAIN_MS)
        self._timer.timeout.connect(self.drain)
        self._timer.start()

    def _on_store(self, changes: Changes) -> None:
        if changes.touches(*IDEA_TABLES) and not self.session.store.closed:
            derive(self.session.store, self.room.live)

    def drain(self) -> None:
        store = self.session.store
        if store.closed:
            self._timer.stop()
            self.room.stop()
            return
        rows: set[tuple[str, int]] = set()
        notices = self.room.writer.notices
        while True:
            try:
                n = notices.get_nowait()
            except queue.Empty:
                break
            rows.add(("ideas", int(n["id"])) if n["type"] == "idea" else ("idea_supports", int(n["id"])))
        if rows:
            # Through the store's listeners: derive for the phones, then `Session.changed`.
            store.notify(Changes.of(rows, PHONE, event="ideas"))
            now = time.perf_counter()
            for table, i in rows:
                if table == "ideas":
                    self.shown_at.setdefault(i, now)


def detach(session: Session) -> None:
    """Before the workshop closes: stop the ideas writer (it holds a connection to the file),
    stop listening, and close the ideas window."""
    found = session.findChild(IdeasController)
    if isinstance(found, IdeasController):
        found._timer.stop()
        if found._on_store in session.store.listeners:
            session.store.listeners.remove(found._on_store)
        found.room.stop()
    window = getattr(session, "_ideas_window", None)
    if window is not None:
        window.close()
        window.deleteLater()
        setattr(session, "_ideas_window", None)  # noqa: B010 - see open_window


def attach(session: Session) -> IdeasController:
    found = session.findChild(IdeasController)
    return found if isinstance(found, IdeasController) else IdeasController(session)


STATUS_LABELS = {"new": "New", "approved": "Shown", "hidden": "Hidden"}


class IdeasWindow(QWidget):
    """One activity at a time: its ideas as they arrive, suggestions to merge, promote, adopt."""

    refreshed = Signal()  # after each redraw (benchmarks time ideas to the window with it)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ideas_window")
        self.setWindowTitle("Ideas — VBP Workshop")
        self.session = session
        self.controller = attach(session)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(REDRAW_MS)
        self._later.timeout.connect(self.refresh)
        self._suggester = ideas.MergeSuggester()
        self._suggester_for: int | None = None  # the activity the suggester has read
        self.resize(980, 640)
        lay = QVBoxLayout(self)

        new = QHBoxLayout()
        self.step = QComboBox()
        for n in range(1, 6):
            self.step.addItem(NUMBERED_STEPS[n], n)
        self.target = QComboBox()
        for t in ideas.TARGETS.values():
            self.target.addItem(t.label, t.key)
        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText("The question the phones see, e.g. “What should change for patients?”")
        add = QPushButton("Add ideas activity")
        add.clicked.connect(self.add_activity)
        for w in (self.step, self.target, self.prompt):
            new.addWidget(w, 1 if w is self.prompt else 0)
        new.addWidget(add)
        lay.addLayout(new)

        pick = QHBoxLayout()
        self.activity = QComboBox()
        self.activity.setObjectName("ideas_activity")
        self.activity.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_btn = QPushButton("Open for phones")
        self.open_btn.setObjectName("ideas_open")
        self.open_btn.clicked.connect(self.toggle_open)
        self.status = plain_label("", wrap=False)
        # The setting of the activity shown (and of the next one added): switching it applies
        # at once to that activity's ideas, on the projector and the phones.
        self.approval = QCheckBox("Show on the projector only after I approve")
        self.approval.setObjectName("ideas_approval")
        self.approval.toggled.connect(self.set_approval)
        pick.addWidget(plain_label("Activity:", wrap=False))
        pick.addWidget(self.activity, 1)
        pick.addWidget(self.approval)
        pick.addWidget(self.open_btn)
        pick.addWidget(self.status)
        lay.addLayout(pick)

        body = QHBoxLayout()
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("ideas_table")
        self.table.setHorizontalHeaderLabels(["Idea", "+1", "From", "Shown", "Vote", "Adopted"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for c in range(1, 6):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the idea gets the room left
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)  # groups wrap, never crowd the idea
        self.table.setColumnWidth(2, 170)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.itemDoubleClicked.connect(lambda _i: self.reword())
        body.addWidget(self.table, 5)
        side = QVBoxLayout()
        side.addWidget(plain_label("These read alike — merge?", wrap=False))
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("ideas_suggestions")
        self.suggestions.setWordWrap(True)
        side.addWidget(self.suggestions, 1)
        merge_suggested = QPushButton("Merge the suggested pair")
        merge_suggested.clicked.connect(self.merge_suggested)
        side.addWidget(merge_suggested)
        body.addLayout(side, 2)
        lay.addLayout(body, 1)

        acts = QHBoxLayout()
        for text, slot in (("Approve", lambda: self.set_status("approved")),
                           ("Hide", lambda: self.set_status("hidden")),
                           ("Show again", lambda: self.set_status("approved")), ("Reword…", self.reword),
                           ("Merge selected", self.merge_selected)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            acts.addWidget(b)
        acts.addStretch(1)
        self.kind = QComboBox()
        for k in ideas.PROMOTE_KINDS:
            self.kind.addItem(kind_of(k).label, k)
        promote = QPushButton("Make a poll from the selected")
        promote.clicked.connect(self.promote)
        self.top = QSpinBox()
        self.top.setRange(1, 20)
        self.top.setPrefix("Top ")
        adopt = QPushButton("Adopt the winners")
        adopt.clicked.connect(self.adopt)
        for control in (self.kind, promote, self.top, adopt):
            acts.addWidget(control)
        lay.addLayout(acts)
        self.message = plain_label("")
        lay.addWidget(self.message)

        session.changed.connect(self._on_changed)
        self.fill_activities()

    # -- reading ------------------------------------------------------------------------------------

    def activity_id(self) -> int | None:
        data = self.activity.currentData()
        return int(data) if data is not None else None

    def fill_activities(self, select: int | None = None) -> None:
        keep = select if select is not None else self.activity_id()
        self.activity.blockSignals(True)
        self.activity.clear()
        for a in ideas.activities(self.session.store):
            label = ideas.TARGETS[a["target"]].label if a["target"] in ideas.TARGETS else a["target"]
            state = {"open": " · open", "closed": " · closed"}.get(a["state"], "")
            self.activity.addItem(f"Step {a['step']} · {label}: {a['prompt'] or '(no question)'}{state}", a["id"])
        if keep is not None and (i := self.activity.findData(keep)) >= 0:
            self.activity.setCurrentIndex(i)
        self.activity.blockSignals(False)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches("idea_activities"):
            self.fill_activities()
        elif changes.origin == PHONE and changes.touches("ideas", "idea_supports", "ballots"):
            # A burst of phones: one redraw per REDRAW_MS, not one per 25 ms drain.
            if not self._later.isActive():
                self._later.start()
        elif changes.touches("ideas", "idea_supports", "ballots", "polls"):
            self.refresh()

    def refresh(self) -> None:
        self._later.stop()
        store = self.session.store
        aid = self.activity_id()
        keep = set(self.selected())
        pair = self.suggestions.currentItem().data(Qt.ItemDataRole.UserRole) if self.suggestions.currentItem() else None
        self.table.setRowCount(0)
        self.suggestions.clear()
        activity = store.row("idea_activities", aid) if aid is not None else None
        if activity is None:
            self.status.setText("")
            self.open_btn.setEnabled(False)
            self.refreshed.emit()
            return
        self.open_btn.setEnabled(True)
        self.approval.blockSignals(True)
        self.approval.setChecked(bool(activity["approval"]))
        self.approval.blockSignals(False)
        self.open_btn.setText("Close for phones" if activity["state"] == "open" else "Open for phones")
        # Read once: the phones' writer commits meanwhile, and every part below shows these rows
        # (measured: a query per row made a 600-idea redraw stall the window for ~0.8 s).
        every = ideas.ideas_of(store, int(activity["id"]))
        rows = [r for r in every if r["status"] != ideas.MERGED]
        counts = ideas.supporters(store, int(activity["id"]))
        by_id = {int(r["id"]): r for r in every}
        children: dict[int, list[dict[str, Any]]] = {}
        for r in every:
            if r["merged_into"] is not None:
                children.setdefault(int(r["merged_into"]), []).append(r)

        def leaves(r: dict[str, Any], depth: int = 0) -> list[dict[str, Any]]:
            kids = children.get(int(r["id"]), [])
            return [leaf for k in kids for leaf in leaves(k, depth + 1)] if kids and depth < 50 else [r]

        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            sent = [s for s in leaves(r) if s["device"]]
            groups = Counter(GROUP_LABELS.get(s["grp"], s["grp"] or "no group") for s in sent)
            merged_from = [k["text"] for k in children.get(int(r["id"]), [])]
            cells = [r["text"], str(len(counts.get(int(r["id"]), ()))),
                     ", ".join(f"{g} {c}" if c > 1 else g for g, c in groups.items()) or "facilitator",
                     "Yes" if ideas.visible(activity, r) else STATUS_LABELS.get(r["status"], r["status"]),
                     r["result"] or ("in a poll" if r["poll_id"] else ""),
                     "Yes" if r["adopted_at"] else ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, int(r["id"]))
                if r["status"] == ideas.HIDDEN:
                    item.setForeground(QColor("#888888"))
                if c == 0 and merged_from:
                    item.setToolTip("Merged from:\n" + "\n".join(f"• {m}" for m in merged_from))
                self.table.setItem(n, c, item)
                if int(r["id"]) in keep:
                    item.setSelected(True)  # ideas arriving never take the facilitator's selection away
        if len(rows) <= 150:  # fitting every row's height costs more than it helps in a long list
            self.table.resizeRowsToContents()
        self.table.setUpdatesEnabled(True)
        if self._suggester_for != aid:
            self._suggester, self._suggester_for = ideas.MergeSuggester(), aid
        for a, b, score in self._suggester.update(every)[:30]:
            suggestion = QListWidgetItem(f"“{by_id[a]['text']}”  ↔  “{by_id[b]['text']}”  ({score:.0f})")
            suggestion.setData(Qt.ItemDataRole.UserRole, (a, b))
            self.suggestions.addItem(suggestion)
            if pair is not None and tuple(pair) == (a, b):
                self.suggestions.setCurrentItem(suggestion)
        shown = sum(ideas.visible(activity, r) for r in rows)
        self.status.setText(f"{len(rows)} ideas · {shown} shown to the room")
        self.refreshed.emit()

    def selected(self) -> list[int]:
        ids = {int(i.data(Qt.ItemDataRole.UserRole)) for i in self.table.selectedItems()}
        order = [int(cell.data(Qt.ItemDataRole.UserRole)) for n in range(self.table.rowCount())
                 if (cell := self.table.item(n, 0)) is not None]
        return [i for i in order if i in ids]

    # -- actions ------------------------------------------------------------------------------------

    def _edit(self, edits: list[Edit], text: str) -> bool:
        if not edits:
            self.message.setText("Nothing to do: select the ideas first.")
            return False
        try:
            self.session.edit(edits, text)
        except Refused as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        return True

    def add_activity(self) -> None:
        edit = ideas.new_activity_edit(int(self.step.currentData()), str(self.target.currentData()),
                                       self.prompt.text(), approval=self.approval.isChecked())
        if self._edit([edit], "Add ideas activity"):
            self.prompt.clear()
            activities = ideas.activities(self.session.store)
            self.fill_activities(int(activities[-1]["id"]) if activities else None)

    def set_approval(self, on: bool) -> None:
        """Hold the shown activity's ideas for approval (or stop holding them), new ideas and
        ones already sent alike."""
        aid = self.activity_id()
        edits = ideas.approval_edits(self.session.store, aid, on) if aid is not None else []
        if edits:
            self._edit(edits,
                       "Hold ideas for approval" if on else "Show ideas without approval")

    def toggle_open(self) -> None:
        aid = self.activity_id()
        activity = self.session.store.row("idea_activities", aid) if aid is not None else None
        if activity is not None:
            set_state(self.session.store, int(activity["id"]), "closed" if activity["state"] == "open" else "open")

    def set_status(self, status: str) -> None:
        self._edit(ideas.status_edits(self.session.store, self.selected(), status),
                   {"hidden": "Hide idea", "approved": "Approve idea"}.get(status, "Idea status"))

    def reword(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            self.message.setText("Select one idea to reword.")
            return
        row = self.session.store.row("ideas", chosen[0])
        text = self.dialogs().wording("Reword idea", "The wording the room sees:", row["text"] if row else "")
        if text is not None:
            self._edit(ideas.reword_edit(self.session.store, chosen[0], text), "Reword idea")

    def dialogs(self) -> DialogService:
        """The main window's dialogs (scripted in tests), or this window's own."""
        found = getattr(self.parentWidget(), "dialogs", None)
        return found if isinstance(found, DialogService) else DialogService(self)

    def merge(self, ids: list[int]) -> None:
        """Merge after asking which wording the merged idea keeps (one of theirs, or edited)."""
        store = self.session.store
        rows = [r for i in ids if (r := store.row("ideas", i)) is not None]
        if len(rows) < 2:
            self.message.setText("Select two or more ideas to merge.")
            return
        texts = list(dict.fromkeys(str(r["text"]) for r in rows))
        counts = ideas.supporters(store, int(rows[0]["activity_id"]))
        best = max(rows, key=lambda r: (len(counts.get(int(r["id"]), ())), -int(r["id"])))["text"]
        text = self.dialogs().wording(
            "Merge ideas", f"Merge these {len(rows)} ideas into one. Which wording does the room see?"
            " (Choose one, or edit it.)", str(best), texts)
        if text is not None and text.strip():
            self._edit(ideas.merge_edits(store, ids, text), "Merge ideas")

    def merge_selected(self) -> None:
        self.merge(self.selected())

    def merge_suggested(self) -> None:
        item = self.suggestions.currentItem() or self.suggestions.item(0)
        if item is not None:
            a, b = item.data(Qt.ItemDataRole.UserRole)
            self.merge([int(a), int(b)])

    def promote(self) -> None:
        aid = self.activity_id()
        if aid is not None:
            self._edit(ideas.promote_edits(self.session.store, aid, self.selected(), str(self.kind.currentData())),
                       "Make a poll from ideas")

    def adopt(self) -> None:
        aid = self.activity_id()
        if aid is None:
            return
        edits = ideas.adopt_edits(self.session.store, aid, top=self.top.value())
        if not edits:
            self.message.setText("The poll has no answers yet: adopt after the vote.")
            return
        self._edit(edits, "Adopt ideas")


def open_window(session: Session, parent: QWidget | None = None) -> IdeasWindow:
    """The ideas window for this workshop (one per session, brought to the front)."""
    existing: Any = getattr(session, "_ideas_window", None)
    if existing is None:
        existing = IdeasWindow(session, parent)
        setattr(session, "_ideas_window", existing)  # noqa: B010 - one window per open workshop
    existing.show()
    existing.activateWindow()
    return existing  # type: ignore[no-any-return]
