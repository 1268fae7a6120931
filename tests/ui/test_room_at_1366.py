"""At 1366×768, measured in the real window: a sentence column keeps its room in an empty table
(the actions table's "What" column was 51 px), and chart keys (the trust pulse's attributes, the
groups and sectors of a split) are shown whole, wrapped rather than cut with "…"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.steps.template import new_workshop, resource_path
from vbp_workshop.ui.main_window import MainWindow
from vbp_workshop.ui.polls.charts.base import key_text


@pytest.fixture(autouse=True)
def styled() -> Any:
    """The app's own style sheet, as `vbp_workshop.app` sets it: the facilitator's sizes."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(resource_path("style.qss").read_text("utf-8"))
    yield
    app.setStyleSheet("")


def settle(qtbot: Any) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(1)


def test_an_empty_actions_table_gives_what_its_room(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    new_workshop(tmp_path / "new.vbpw", "A new day").close()
    window.resize(1366, 768)
    assert window.open_path(tmp_path / "new.vbpw")
    page = window.view.show_page("actions")
    settle(qtbot)
    table = page.table  # type: ignore[attr-defined]
    widths = {c.key: table.view.columnWidth(i) for i, c in enumerate(table.model.spec.columns)}
    assert widths["what"] >= 300, widths
    metrics = table.view.fontMetrics()
    assert widths["step"] >= metrics.horizontalAdvance("5. Evaluate and scale"), widths  # the longest step
    assert widths["status"] >= 100, widths  # the last column keeps enough
    table.add_row({"what": "Call the ICB"})  # a short first entry does not shrink it
    settle(qtbot)
    assert table.view.columnWidth([c.key for c in table.model.spec.columns].index("what")) >= 300


def panel(window: MainWindow, step: int, kind: str) -> Any:
    page = window.view.show_page(f"step{step}")
    page.show_polls()
    polls = page.polls
    polls.select(next(p.id for p in polls.polls() if p.kind == kind))
    return polls


def keys_of(chart: Any) -> list[tuple[str, str]]:
    """(shown, whole) per key, spacing aside (a wrapped key's lines are joined by one space)."""
    return [(" ".join(key_text(label).split()), " ".join(str(getattr(label, "full", label.text)).split()))
            for _s, label in chart.legend.items]


@pytest.mark.parametrize(("step", "kind", "split"), [
    (2, "importance", ""), (2, "importance", "by_group"), (2, "agreement", "by_group"),
    (2, "agreement", "by_sector"), (1, "points", "by_sector")])
def test_chart_keys_are_whole_at_1366(demo_window: MainWindow, qtbot: Any, step: int, kind: str,
                                      split: str) -> None:
    demo_window.resize(1366, 768)
    polls = panel(demo_window, step, kind)
    if split:
        getattr(polls.result, split).setChecked(True)
    settle(qtbot)
    chart = polls.result.stack.currentWidget()
    assert chart.isVisible() and chart.width() < 700  # the size the facilitator has at 1366 px
    keys = keys_of(chart)
    assert keys, "the chart has a key"
    for shown, full in keys:
        assert "…" not in shown and shown == full, (shown, full)
    # and the key leaves the chart most of its height
    assert chart.legend.height() <= 0.5 * chart.height()
    # the items' names beside the bars (the split view's group rows) are whole too
    for _pos, text in (chart._ticks[0] if chart._ticks else []):
        assert "…" not in text, text
