"""Plain words for the room and the facilitator, the statistics a click away: no "divergence
0.80", "sd 1.3" or "1-2-4-All" on the screens, the figures behind a line in its tooltip and
behind "Figures"; the statement table shows four plain columns until "Show the figures"; the
projector's summary has no heading over nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from vbp_workshop.core.steps.template import new_workshop
from vbp_workshop.ui.main_window import MainWindow

ANALYST = re.compile(r"divergence \d|\bsd \d|1-2-4-All|POLARISED|widest spread", re.IGNORECASE)


def panel(window: MainWindow, step: int, kind: str) -> Any:
    page = window.view.show_page(f"step{step}")
    page.show_polls()
    polls = page.polls
    polls.select(next(p.id for p in polls.polls() if p.kind == kind))
    return polls


@pytest.mark.parametrize(("step", "kind", "split"), [
    (2, "importance", ""), (2, "agreement", ""), (2, "agreement", "by_group"), (2, "agreement", "by_sector"),
    (1, "fist", ""), (2, "scale", ""), (1, "fist", "by_group")])
def test_the_line_above_a_result_is_plain_with_its_figures_a_click_away(
        demo_window: MainWindow, qtbot: Any, step: int, kind: str, split: str) -> None:
    polls = panel(demo_window, step, kind)
    if split:
        getattr(polls.result, split).setChecked(True)
    result = polls.result
    line = result.divergence.text()
    assert line and not ANALYST.search(line), line
    assert result.figures_button.isVisible() and not result.figures.isVisible()
    qtbot.mouseClick(result.figures_button, qtbot_button())
    assert result.figures.isVisible() and result.figures.text() == result.divergence.toolTip()
    assert re.search(r"divergence \d|\bsd \d", result.figures.text()), result.figures.text()


def qtbot_button() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_trust_pulse_tab_speaks_plainly(demo_window: MainWindow) -> None:
    page = demo_window.view.show_page("step2")
    tab = next(w for w in page.findChildren(object) if hasattr(w, "gaps") and hasattr(w, "chart"))
    tab.refresh()
    assert "differently" in tab.gaps.text() and not ANALYST.search(tab.gaps.text())
    assert "divergence" in tab.gaps.toolTip()


def test_the_statement_table_shows_plain_columns_until_asked(demo_window: MainWindow, qtbot: Any) -> None:
    from vbp_workshop.ui.polls.divergence import DivergenceDialog

    dialog = DivergenceDialog(demo_window.session, demo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.statements.table
    shown = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert shown == ["Statement / item", "How clear", "Who differs most", "The room", "Poll"]
    for r in range(table.rowCount()):
        for c in range(5):
            assert not ANALYST.search(table.item(r, c).text())
    assert any(table.item(r, 2).text().split(":")[0] in ("far apart", "clearly apart", "a little apart",
                                                          "much the same") for r in range(table.rowCount()))
    dialog.statements.figures.setChecked(True)
    assert not any(table.isColumnHidden(c) for c in range(table.columnCount()))


def test_the_guides_timings_have_no_method_names(demo_window: MainWindow) -> None:
    from vbp_workshop.core.steps.template import load_template

    timings = [t for step in load_template()["steps"].values() for t, _minutes in step.get("timings", [])]
    assert timings and not any(ANALYST.search(t) for t in timings)
    page = demo_window.view.show_page("step1")
    shown = " ".join(w.text() for w in page.findChildren(QLabel))
    assert "alone, in pairs, in fours, then all together" in shown and "1-2-4" not in shown


def test_the_projector_summary_has_no_empty_headings(window: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    new_workshop(tmp_path / "n.vbpw", "New").close()
    assert window.open_path(tmp_path / "n.vbpw")
    page = window.view.show_page("summary")
    projector = window.view.room.open_projector()
    qtbot.addWidget(projector)
    page.findChild(object, "summary_projector").click()
    html = projector.summary_html
    assert html is not None
    sections = re.split(r"<h2>", html)[1:]
    assert "Open actions" not in html and "Rules" not in html  # nothing yet: no heading
    for section in sections:
        title, _sep, body = section.partition("</h2>")
        text = re.sub(r"<[^>]+>", "", body).strip()
        assert text, f"the heading “{title}” is over nothing"
    assert "None yet" not in html
    assert "None yet" in page.view.toHtml()  # the facilitator's page says what is missing
