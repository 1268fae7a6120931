"""Step 3's joint-working tab: the parties to the agreement, the nation whose guidance applies,
and the checklist as must-pass and advisory items, each met, given an owner, or open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vbp_workshop.core.operations import step_field_edit
from vbp_workshop.core.steps.joint_working import MET, STATUS_LABELS, checklist, nation_sources
from vbp_workshop.core.steps.template import load_template
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import CheckText, info_note, plain_label
from vbp_workshop.ui.shared.scrolling import scrolling


class JointWorkingTab(QWidget):
    """The checklist a joint-working project is held to, and whether step 3 is ready."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.addWidget(plain_label("Joint working: the conditions the partners sign up to", cls="section"))
        lay.addWidget(info_note(load_template()["disclaimer"], "legal_note"))
        self.verdict = plain_label(cls="verdict")
        self.verdict.setObjectName("jw_verdict")
        lay.addWidget(self.verdict)

        row = QHBoxLayout()
        row.addWidget(plain_label("Guidance for"))
        self.nation = QComboBox()
        self.nation.setObjectName("jw_nation")
        for key, entry in load_template()["joint_working_nations"].items():
            self.nation.addItem(entry["label"], key)
        self.nation.currentIndexChanged.connect(self._set_nation)
        row.addWidget(self.nation)
        row.addStretch(1)
        lay.addLayout(row)
        self.sources = plain_label(cls="hint")
        self.sources.setObjectName("jw_sources")
        lay.addWidget(self.sources)

        lay.addWidget(plain_label("Parties to the written agreement", cls="section"))
        lay.addWidget(plain_label("The Code's parties are the organisations that sign the agreement; not every "
                                  "partner in the wider partnership is one.", cls="hint"))
        self.party_box = QWidget()
        self.party_lay = QVBoxLayout(self.party_box)
        self.party_lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.party_box)
        self.parties: dict[int, QCheckBox] = {}

        self.boxes: dict[str, QCheckBox] = {}
        self.owners: dict[str, QLineEdit] = {}
        self.states: dict[str, QLabel] = {}
        for must, title in ((True, "Must pass"), (False, "Advisory")):
            lay.addWidget(plain_label(title, cls="section"))
            grid = QGridLayout()
            grid.setColumnStretch(1, 1)
            n = 0
            for item in load_template()["joint_working"]:
                if (item.get("level") == "must") != must:
                    continue
                box = QCheckBox()
                box.setObjectName(f"jw_{item['key']}")
                box.setAccessibleName(item["text"])
                box.toggled.connect(lambda on, k=item["key"]: self._tick(k, on))
                owner = QLineEdit()
                owner.setObjectName(f"jw_owner_{item['key']}")
                owner.setPlaceholderText("Owner, if not met yet")
                owner.setMaximumWidth(220)
                owner.editingFinished.connect(lambda k=item["key"], e=owner: self._set_owner(k, e.text()))
                state = plain_label(cls="hint")
                state.setObjectName(f"jw_state_{item['key']}")
                grid.addWidget(box, n, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(CheckText(f"{item['text']}  —  {item['source']}", box), n, 1)
                grid.addWidget(owner, n, 2, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(state, n, 3, Qt.AlignmentFlag.AlignTop)
                self.boxes[item["key"]], self.owners[item["key"]], self.states[item["key"]] = box, owner, state
                n += 1
            lay.addLayout(grid)
        lay.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(page))
        self.load()
        session.changed.connect(lambda c: self.load() if c.touches("steps", "partners", "rules") else None)

    def load(self) -> None:
        store = self.session.store
        jw = checklist(store)
        fields = store.step_fields(3)
        ticked = fields.get("joint_working") or {}
        by_key = {i.key: i for i in jw.items}
        for key, box in self.boxes.items():
            item = by_key.get(key)
            applies = item is not None
            for w in (box, self.owners[key], self.states[key]):
                w.setEnabled(applies)
            box.blockSignals(True)
            box.setChecked(bool(ticked.get(key)))
            box.blockSignals(False)
            if not self.owners[key].hasFocus():
                self.owners[key].setText(item.owner if item else "")
            text = "Does not apply here" if item is None else (
                f"Not met: {item.why_not}" if item.why_not else STATUS_LABELS[item.status])
            self.states[key].setText(text)
            self.owners[key].setVisible(item is None or item.status != MET)
        self.verdict.setText(("✔ " if jw.ready else "⚠ ") + jw.verdict())
        self.verdict.setProperty("ok", jw.ready)
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)
        self.nation.blockSignals(True)
        self.nation.setCurrentIndex(max(0, self.nation.findData(jw.nation)))
        self.nation.blockSignals(False)
        label, sources = nation_sources(jw.nation)
        self.sources.setText(f"{label}: " + "; ".join(sources) + ". Sources change: check the current edition.")
        self._load_parties()

    def _load_parties(self) -> None:
        store = self.session.store
        given = store.step_fields(3).get("parties") or {}
        partners = store.rows("partners")
        if [p["id"] for p in partners] != list(self.parties) or any(
                self.parties[p["id"]].text() != p["name"] for p in partners):
            for box in self.parties.values():
                box.deleteLater()
            self.parties = {}
            for p in partners:
                box = QCheckBox(p["name"])
                box.setObjectName(f"party_{p['id']}")
                box.toggled.connect(lambda on, i=p["id"]: self._set_party(i, on))
                self.party_lay.addWidget(box)
                self.parties[p["id"]] = box
        for pid, box in self.parties.items():
            box.blockSignals(True)
            box.setChecked(bool(given.get(str(pid))))
            box.blockSignals(False)

    def _edit(self, key: str, value: object, text: str) -> None:
        self.session.edit([step_field_edit(self.session.store, 3, key, value)], text)

    def _tick(self, key: str, on: bool) -> None:
        ticked = {**(self.session.store.step_fields(3).get("joint_working") or {}), key: on}
        self._edit("joint_working", ticked, "Tick joint-working item")

    def _set_owner(self, key: str, owner: str) -> None:
        owners = dict(self.session.store.step_fields(3).get("joint_working_owners") or {})
        if owners.get(key, "") == owner.strip():
            return
        owners[key] = owner.strip()
        self._edit("joint_working_owners", {k: v for k, v in owners.items() if v}, "Name an owner")

    def _set_party(self, partner_id: int, on: bool) -> None:
        given = {**(self.session.store.step_fields(3).get("parties") or {}), str(partner_id): on}
        self._edit("parties", given, "Party to the agreement")

    def _set_nation(self) -> None:
        self._edit("nation", self.nation.currentData(), "Guidance for a nation")
