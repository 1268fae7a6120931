"""The planning tabs of steps 1, 4 and 5 write to the file and follow undo."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit

from vbp_workshop.core.steps import planning
from vbp_workshop.ui.main_window import MainWindow


def test_consent_to_publish_and_a_pilot_decision(demo_window: MainWindow) -> None:
    session = demo_window.session
    page = demo_window.view.show_page("step5")
    tab = page.seeds
    assert page.tabs.indexOf(tab) >= 0 or any(page.tabs.tabText(i) == "Decisions and sharing"
                                              for i in range(page.tabs.count()))
    assert tab.status.text().startswith("⚠ Not yet")  # the demo's patient network has not consented
    missing = next(i for i, ok in planning.consents(session.store).items() if not ok)
    box = tab.findChild(QCheckBox, f"consent_{missing}")
    box.setChecked(True)
    assert planning.publish_status(session.store)[0] and tab.status.text().startswith("✔")
    session.undo_stack.undo()
    assert not planning.publish_status(session.store)[0]
    assert not tab.findChild(QCheckBox, f"consent_{missing}").isChecked()  # the tab follows undo

    pilot = session.store.rows("pilots")[2]
    combo = tab.findChild(QComboBox, f"decision_{pilot['id']}")
    combo.setCurrentIndex(combo.findData("stop"))
    assert planning.pilot_decisions(session.store)[str(pilot["id"])]["decision"] == "stop"
    date = tab.findChild(QLineEdit, f"date_{pilot['id']}")
    date.setText("31/02/2027")  # no such day
    date.editingFinished.emit()
    assert "not a date" in tab.problem.text() and tab.problem.isVisibleTo(tab)
    assert planning.pilot_decisions(session.store)[str(pilot["id"])]["date"] == ""  # nothing wrong is saved


def test_triple_win_and_metric_tiers(demo_window: MainWindow) -> None:
    session = demo_window.session
    page = demo_window.view.show_page("step1")
    box = page.seeds.findChild(QCheckBox, "win_partner:2_industry")
    assert not box.isChecked()
    box.setChecked(True)
    assert "industry" in planning.triple_win(session.store)["partner:2"]
    page4 = demo_window.view.show_page("step4")
    metric = session.store.rows("metrics")[2]
    tier = page4.seeds.findChild(QComboBox, f"tier_{metric['id']}")
    tier.setCurrentIndex(tier.findData("recovery"))
    assert planning.metric_plans(session.store)[str(metric["id"])]["tier"] == "recovery"
    names = [w.text() for w in page4.seeds.findChildren(QLabel)]
    assert metric["name"] in names
