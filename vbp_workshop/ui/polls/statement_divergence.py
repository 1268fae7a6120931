"""Live › Where groups disagree: the ranking per statement, attribute and option, and the
importance-vs-satisfaction gap per sector with its quadrant (tabs of the divergence dialog)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtWidgets import QCheckBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from vbp_workshop.core.model.domain import GROUP_LABELS
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.divergence import (
    CLEAR_RULE,
    QUADRANT_RULE,
    WHOLE_ROOM,
    ItemRow,
    by_gap,
    centre,
    importance_gaps,
    item_ranking,
    pair_text,
    widest_gap_by_sector,
)
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.spreads import POLARISED_RULE, SMALL_N, ItemSpread, apart_words, spread_words
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import plain_label

# Plain words first (what the facilitator reads out); the figures behind them are hidden until
# "Show the figures" is ticked (a 12-column table of statistics was the first thing shown).
STATEMENT_COLUMNS = ["Statement / item", "How clear", "Who differs most", "The room", "Poll",
                     "Groups apart", "Furthest apart (groups)", "Sectors apart", "Sectors furthest apart", "Mean",
                     "SD", "At the end values", "Flags", "n", "Step"]
PLAIN_COLUMNS = 5
WIDEST = 340  # pixels: a long statement is cut here (the tooltip holds it whole)
GAP_COLUMNS = ["Attribute", "Who", "n", "Importance", "Satisfaction", "Gap", "Quadrant", "Note"]


def clarity(row: ItemRow) -> str:
    """'clear (3.1)' or 'could be chance (1.2)': the ranking's key in words, the figure beside."""
    z = "∞" if math.isinf(row.score) else f"{row.score:.1f}"
    return f"{'clear' if row.clear else 'could be chance'} ({z})"


def flags(spread: ItemSpread | None) -> str:
    if spread is None:
        return ""
    out = []
    if spread.blockers:
        out.append(f"{spread.blockers} BLOCK{'' if spread.blockers == 1 else 'S'}")
    if spread.concerns:
        out.append(f"{spread.concerns} with concerns")
    if spread.polarised:
        out.append("POLARISED")
    if spread.small:
        out.append(f"fewer than {SMALL_N} answers")
    return " · ".join(out)


def room_words(spread: ItemSpread | None) -> str:
    """The whole room's answers to one item in plain words (the figures are in other columns)."""
    if spread is None or spread.mean is None:
        return ""
    return spread_words(spread).replace(f" · average {spread.mean:.1f}", "")


def who_differs(r: Any) -> str:
    """The furthest-apart groups (or sectors, when they are further apart) and how far, in words."""
    gap, pair, labels = ((r.group_gap, r.group_pair, GROUP_LABELS) if r.group_gap >= r.sector_gap
                         else (r.sector_gap, r.sector_pair, SPLIT_LABELS))
    if not pair:
        return "too few per group to compare"
    return f"{apart_words(gap)}: {pair_text(pair, labels).replace(' vs ', ' and ')}"


def _table(name: str, columns: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(len(columns)):
        table.setColumnWidth(c, min(table.columnWidth(c), WIDEST))
    table.horizontalHeader().setStretchLastSection(True)
    return table


class StatementRanking(QWidget):
    """Every statement, attribute and option, most divergent first, with its spread."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(plain_label(
            "Each statement, attribute and option, where the stakeholder groups or the sectors "
            f"answered most differently first ({CLEAR_RULE}). “The room” says whether the whole room "
            "is split or has blocks and concerns (counted, never named). Tick “Show the figures” "
            f"for the statistics ({POLARISED_RULE}).", cls="hint"))
        self.rows = item_ranking(session.store)
        data = []
        for r in self.rows:
            s = r.spread
            data.append([
                r.label, clarity(r), who_differs(r), room_words(s), r.poll.question,
                f"{r.group_gap:.2f}", pair_text(r.group_pair, GROUP_LABELS), f"{r.sector_gap:.2f}",
                pair_text(r.sector_pair, SPLIT_LABELS),
                f"{s.mean:.1f}" if s and s.mean is not None else "",
                f"{s.sd:.1f}" if s and s.sd is not None else "",
                f"{s.extremes:.0%}" if s and s.mean is not None else "", flags(s),
                f"{s.n:g}" if s else "", str(r.poll.step or ""),
            ])
        self.table = _table("statement_table", STATEMENT_COLUMNS, data)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.figures = QCheckBox("Show the figures")
        self.figures.setObjectName("statement_figures")
        self.figures.toggled.connect(self.show_figures)
        self.show_figures(False)
        lay.addWidget(self.figures)
        lay.addWidget(self.table, 1)
        if not data:
            lay.addWidget(plain_label("No poll has answers yet."))

    def show_figures(self, on: bool) -> None:
        for c in range(PLAIN_COLUMNS, len(STATEMENT_COLUMNS)):
            self.table.setColumnHidden(c, not on)


class ImportanceGaps(QWidget):
    """Importance vs satisfaction per attribute: the whole room and each sector, the gap, its
    quadrant and which sector sees the widest gap."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(plain_label(
            "Gap = importance minus satisfaction; attributes are ranked by the room's gap, widest "
            "first. Quadrant: more important than average and less satisfied than average = fix "
            "first; both above average = keep up; satisfied but less important = possible "
            f"overkill; neither = low priority ({QUADRANT_RULE}).", cls="hint"))
        data = []
        for poll in queries.polls(session.store):
            rows = importance_gaps(session.store, poll)
            widest = widest_gap_by_sector(rows)
            mid = centre(rows)
            for g in by_gap(rows):
                who = "Whole room" if g.who == WHOLE_ROOM else SPLIT_LABELS.get(g.who, g.who)
                note = []
                if widest.get(g.attribute) is g:
                    note.append("widest gap of the sectors")
                if g.n < SMALL_N:
                    note.append(f"fewer than {SMALL_N} answers")
                data.append([g.attribute, who, str(g.n), f"{g.importance:.1f}", f"{g.satisfaction:.1f}",
                             f"{g.gap:+.1f}", g.quadrant(mid), " · ".join(note)])
        self.table = _table("gap_table", GAP_COLUMNS, data)
        lay.addWidget(self.table, 1)
        if not data:
            lay.addWidget(plain_label("No importance-vs-satisfaction poll has answers yet."))
