"""Each poll kind's block of the workbook's results sheet, registered here by the kind's name.

The kinds (`polls.kinds`) know ballots and tallies, not the Excel writer: their result tables
and native charts are written here, the way the UI's charts register per kind
(`ui.polls.charts.CHARTS`). A block writes the round's result tables to the sheet (table names
start with `name`) and returns its native chart (titled `title`), or None; the sheet adds the
heading and the group split (`workbook.poll_sheets`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from vbp_workshop.core.model.poll import AGREEMENT_COLOURS, AGREEMENT_LABELS, Poll, kind_of
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.kinds.matrix import Matrix
from vbp_workshop.core.polls.kinds.scale import Scale
from vbp_workshop.core.workbook.xlsx import Chart, Series, Sheet

Block = Callable[[Sheet, Poll, Tally, str, str], Chart | None]


def option_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str, value: str) -> Chart:
    """The result table of a kind that counts per option (`value`: what is counted), with a bar chart."""
    if t.percents:
        rows = [[o, c, p / 100] for o, c, p in zip(poll.options, t.counts, t.percents, strict=True)]
        first, last = sh.table(name, ["Option", value, "Share"], rows, formats={3: "0%"}, wrap=(1,))
    else:  # a ranking has scores, not shares: no empty column
        first, last = sh.table(name, ["Option", value], [list(r) for r in zip(poll.options, t.counts,
                                                                            strict=True)], wrap=(1,))
    return Chart("bar", title, [Series(value, (first + 1, last, 1), (first + 1, last, 2))],
                 axis="count", max_value=max(t.counts, default=0), y_title=value.lower())


def _counted(value: str) -> Block:
    def block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
        return option_block(sh, poll, t, name, title, value)

    return block


def agreement_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
    rows = [[o, *row, m, (s or 0) / 100] for o, row, m, s in
            zip(poll.options, t.distribution, t.means, t.share_agreeing, strict=True)]
    first, last = sh.table(name, ["Statement", *AGREEMENT_LABELS, "Mean", "Agreeing"], rows,
                           formats={7: "0.00", 8: "0%"}, wrap=(1,))
    return Chart("percent_bar", title,
                 [Series((first, c), (first + 1, last, 1), (first + 1, last, c), AGREEMENT_COLOURS[c - 2])
                  for c in range(2, 7)], axis="share", legend=True, y_title="share of answers")


def scale_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
    """A scale, and fist-to-five (a scale whose summary also counts the blockers)."""
    kind = cast(Scale, kind_of(poll.kind))
    first, last = sh.table(name, ["Answer", "Count", "Share"],
                           [[lv, c, p / 100] for lv, c, p in zip(t.levels, t.counts, t.percents, strict=True)],
                           formats={3: "0%"})
    sh.add(["Mean", round(t.mean, 2) if t.mean is not None else None])
    sh.add(["Median", t.median])
    for row in kind.summary_rows(t):
        sh.add(row)
    return Chart("column", title, [Series("Count", (first + 1, last, 1), (first + 1, last, 2))],
                 axis="count", max_value=max(t.counts, default=0), y_title="answers")


def number_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
    unit = f" ({t.unit})" if t.unit else ""
    s = t.stats
    figures: list[list[Any]] = [["Respondents", t.respondents], ["Median", t.median],
                                ["Lower quartile (Q1)", s.get("q1")], ["Upper quartile (Q3)", s.get("q3")],
                                ["Mean", round(t.mean, 2) if t.mean is not None else None],
                                ["Lowest", s.get("low")], ["Highest", s.get("high")]]
    sh.table(name, ["Figure", f"Value{unit}"], figures)
    sh.blank()
    first, last = sh.table(name + "Histogram", ["From", "To", "Range", "Count", "Share"],
                           [[a, b, lbl, c, p / 100] for (a, b), lbl, c, p in
                            zip(t.bins, t.labels, t.counts, t.percents, strict=True)], formats={5: "0%"})
    return Chart("column", title, [Series("Count", (first + 1, last, 3), (first + 1, last, 4))],
                 axis="count", max_value=max(t.counts, default=0), x_title=t.unit, y_title="answers")


def matrix_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
    """A 2×2 matrix, and importance–satisfaction (a matrix with a gap column)."""
    kind = cast(Matrix, kind_of(poll.kind))
    xl, yl = kind.axes(poll)
    rows = [[o, p[0] if p else None, p[1] if p else None, sp] for o, p, sp in
            zip(poll.options, t.points, t.spreads, strict=True)]
    if kind.gap_column:
        rows = [[*r, g] for r, g in zip(rows, t.means, strict=True)]
    first, last = sh.table(name, ["Item", f"{xl} (mean)", f"{yl} (mean)", "Spread (SD)",
                                  *(["Gap"] if kind.gap_column else [])], rows,
                           formats={2: "0.00", 3: "0.00", 4: "0.00", 5: "0.00"}, wrap=(1,))
    lo, hi = poll.scale_range
    return Chart("scatter", title, [Series((r, 1), (r, r, 2), (r, r, 3)) for r in range(first + 1, last + 1)],
                 axis="scale", scale=(lo, hi), x_title=xl, y_title=yl, legend=True)


def text_block(sh: Sheet, poll: Poll, t: Tally, name: str, title: str) -> Chart | None:
    sh.table(name, ["Answer"], [[a] for _, a in t.answers], wrap=(1,))
    if not t.words:
        return None
    sh.blank()
    first, last = sh.table(name + "Words", ["Word", "Mentions"], [list(w) for w in t.words[:15]])
    # A bar per word with room for its name: the chart grows with the words (15 words were
    # crammed into 265 px).
    words = len(t.words[:15])
    return Chart("bar", title, [Series("Mentions", (first + 1, last, 1), (first + 1, last, 2))],
                 axis="count", max_value=max((w[1] for w in t.words[:15]), default=0), y_title="mentions",
                 size=(420, max(210, 90 + 22 * words)))


# kind -> its block. A kind with none gets the heading and the group split only
# (tests/core/test_kind_sheets.py checks that every registered kind is here).
BLOCKS: dict[str, Block] = {
    "single": _counted("Answers"), "multiple": _counted("Answers"), "points": _counted("Points"),
    "ranking": _counted("Borda score"), "agreement": agreement_block, "scale": scale_block, "fist": scale_block,
    "number": number_block, "matrix": matrix_block, "importance": matrix_block, "text": text_block,
}


def block_for(poll: Poll) -> Block | None:
    return BLOCKS.get(poll.kind)
