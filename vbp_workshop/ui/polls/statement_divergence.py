"""Live › Where groups disagree: the ranking per statement, attribute and option, and the
importance-vs-satisfaction gap per sector with its quadrant (tabs of the divergence dialog)."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

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
from vbp_workshop.core.polls.spreads import POLARISED_RULE, SMALL_N, ItemSpread
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.shared.labels import plain_label

# The item and its figures first; the poll's question last (it is long, and stretches).
STATEMENT_COLUMNS = ["Statement / item", "How clear", "Groups apart", "Furthest apart", "Sectors apart", "Sectors",
                     "Mean", "SD", "At the ends", "Flags", "n", "Step", "Poll"]
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
            "Each statement, attribute and option, ranked by how far apart the stakeholder groups "
            f"or the sectors answered (0 = the same, 1 = opposite), {CLEAR_RULE}. Beside it, the whole room's "
            f"spread ({POLARISED_RULE}); "
            "fist-to-five blocks (0) and concerns (1–2) are counted, never named.", cls="hint"))
        self.rows = item_ranking(session.store)
        data = []
        for r in self.rows:
            s = r.spread
            data.append([
                r.label, clarity(r), f"{r.group_gap:.2f}", pair_text(r.group_pair, GROUP_LABELS), f"{r.sector_gap:.2f}",
                pair_text(r.sector_pair, SPLIT_LABELS),
                f"{s.mean:.1f}" if s and s.mean is not None else "",
                f"{s.sd:.1f}" if s and s.sd is not None else "",
                f"{s.extremes:.0%}" if s and s.mean is not None else "", flags(s),
                f"{s.n:g}" if s else "", str(r.poll.step or ""), r.poll.question,
            ])
        self.table = _table("statement_table", STATEMENT_COLUMNS, data)
        lay.addWidget(self.table, 1)
        if not data:
            lay.addWidget(plain_label("No poll has answers yet."))


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
