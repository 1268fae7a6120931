"""The joint-working tab in a real window: parties, owners, and a step 3 that is not ready."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from vbp_workshop.core.steps.joint_working import checklist
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.shared.dialogs import ScriptedDialogs


def test_step_3_cannot_be_done_until_the_must_pass_items_are_met_or_owned(
        demo_window: MainWindow, dialogs: ScriptedDialogs, qtbot) -> None:
    page = demo_window.view.show_page("step3")
    tab = page.joint_working
    store = demo_window.session.store
    assert not checklist(store).ready
    assert tab.findChild(QLabel, "jw_verdict").text().startswith("⚠ Not ready")
    status = page.findChild(QComboBox, "status_3")
    status.setCurrentIndex(status.findData("done"))
    assert store.row("steps", 3)["status"] != "done"
    assert status.currentData() != "done"  # the box goes back to what the file holds
    assert dialogs.shown and "Step 3 is not ready" in dialogs.shown[-1][2]
    # Name an owner for every open must-pass item: the step can be done.
    for item in checklist(store).unmet_must:
        owner = tab.findChild(QLineEdit, f"jw_owner_{item.key}")
        owner.setText("Steering group")
        owner.editingFinished.emit()
    assert checklist(store).ready
    assert tab.findChild(QLabel, "jw_verdict").text().startswith("✔ Ready")
    status.setCurrentIndex(status.findData("done"))
    assert store.row("steps", 3)["status"] == "done"


def test_parties_are_ticked_per_partner_and_saved(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step3")
    store = demo_window.session.store
    partner = store.rows("partners")[0]
    box = page.joint_working.findChild(QCheckBox, f"party_{partner['id']}")
    assert box is not None and box.text() == partner["name"]
    box.setChecked(True)
    assert partner["name"] in checklist(store).parties


def test_the_scope_is_a_pathway_or_a_population(demo_window: MainWindow) -> None:
    from vbp_workshop.core.steps import planning

    page = demo_window.view.show_page("step1")
    box = page.findChild(QComboBox, "scope_kind")
    assert box is not None and box.findData("population") >= 0
    box.setCurrentIndex(box.findData("population"))
    assert planning.scope_kind(demo_window.session.store) == "population"
    demo_window.session.undo_stack.undo()
    assert box.currentData() == planning.scope_kind(demo_window.session.store) != "population"
