"""The poll sheets of the workbook: results with native charts (and the group split), the raw
anonymous votes, and the audit sheet whose checksums let anyone verify the raw votes.

Checksum (documented on the Audit sheet): for one poll, take its rows on the Raw votes sheet
in order of (round, ballot id); for each row join these seven fields with a TAB:
poll id, round, ballot id, answer (JSON), group, source, count — numbers in plain decimal,
text as is; join the lines with LF; SHA-256 of the UTF-8 bytes, in lower-case hex.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from vbp_workshop.core.domain import GROUP_LABELS
from vbp_workshop.core.polls import AGREEMENT_LABELS, KINDS, PRIVACY, Poll
from vbp_workshop.core.store import Row, Store
from vbp_workshop.core.tally import Tally, group_ballots, profile, tally
from vbp_workshop.core.xlsx import Sheet, bulk_table


def checksum(lines: Sequence[Sequence[Any]]) -> str:
    """SHA-256 over the canonical form of one poll's raw-vote rows (see the module docstring)."""
    text = "\n".join("\t".join(_canon(v) for v in line) for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def readable_answer(poll: Poll, answer: Any) -> str:
    """An answer as a person reads it: option names rather than numbers."""
    o = poll.options

    def name(i: Any) -> str:
        i = int(i)
        return o[i] if 0 <= i < len(o) else f"#{i}"

    k = poll.kind
    if k == "single":
        return name(answer)
    if k == "multiple":
        return "; ".join(name(i) for i in answer)
    if k == "ranking":
        return "; ".join(f"{n}. {name(i)}" for n, i in enumerate(answer, 1))
    if k == "points":
        return "; ".join(f"{name(i)}: {v}" for i, v in answer.items())
    if k == "agreement":
        return "; ".join(f"{name(i)}: {AGREEMENT_LABELS[int(v) - 1]}" for i, v in answer.items())
    if k in ("matrix", "importance"):
        a, b = ("importance", "satisfaction") if k == "importance" else ("x", "y")
        return "; ".join(f"{name(i)}: {a}={v[0]}, {b}={v[1]}" for i, v in answer.items())
    return str(answer)


# -- a buffered write-only sheet ---------------------------------------------------------------


def poll_sheets(store: Store, progress: Callable[[float], None]) -> list[Sheet]:
    from openpyxl.chart import BarChart, Reference, ScatterChart, Series

    min_size = int(store.workshop().get("min_group_size") or 3)
    results = Sheet("Poll results", landscape=True)
    results.heading("Poll results")
    results.add(["Each poll's latest round, with a chart; groups with fewer than "
                 f"{min_size} respondents are merged into “other” (or left out if still too few)."], "note")
    raw = Sheet("Raw votes", freeze="A2", print_rows="1:1", max_width=50)
    raw_headers = ["Poll ID", "Round", "Ballot ID", "Answer (JSON)", "Group", "Source", "Count",
                   "Step", "Question", "Answer", "Time"]
    raw_rows: list[list[Any]] = []
    audit = Sheet("Audit", freeze="A2", print_rows="1:1")
    audit_rows: list[list[Any]] = []
    rounds = {(r["poll_id"], r["round"]): r for r in store.rows("poll_rounds")}
    all_polls = store.rows("polls", order="step, pos, id")
    by_poll: dict[int, list[Row]] = {}
    for b in store.conn.execute("SELECT * FROM ballots ORDER BY poll_id, round, id"):
        row = dict(b)
        row["parsed"] = json.loads(row["answer"])  # parsed once; the tallies use it as it is
        by_poll.setdefault(b["poll_id"], []).append(row)
    n_polls = max(1, len(all_polls))
    for i, prow in enumerate(all_polls):
        poll = Poll.from_row(prow)
        ballots = by_poll.get(poll.id, [])
        lines = []
        for b in ballots:
            group = GROUP_LABELS.get(b["grp"], b["grp"])
            raw_rows.append([poll.id, b["round"], b["id"], b["answer"], group, b["source"], b["weight"],
                             poll.step or "", poll.question, readable_answer(poll, b["parsed"]), b["updated_at"]])
            lines.append([poll.id, b["round"], b["id"], b["answer"], group, b["source"], b["weight"]])
        latest_tally = None
        for rnd in range(1, poll.round + 1):
            rb = [b for b in ballots if b["round"] == rnd]
            info = rounds.get((poll.id, rnd), {})
            t = tally(poll, rb)
            if rnd == poll.round:
                latest_tally = t
            audit_rows.append([poll.id, rnd, poll.step or "", poll.question, KINDS[poll.kind],
                               PRIVACY.get(poll.privacy, poll.privacy), info.get("opened_at", ""),
                               info.get("closed_at", ""), t.respondents, t.by_source.get("phone", 0),
                               t.by_source.get("hand", 0), len(rb),
                               checksum([x for x in lines if x[1] == rnd])])
        latest = [b for b in ballots if b["round"] == poll.round]
        if latest and latest_tally is not None:
            _poll_block(results, poll, latest_tally, group_ballots(latest, min_size)
                        if poll.privacy != "anonymous_nogroup" else {}, BarChart, ScatterChart, Reference, Series)
        progress(0.2 + 0.5 * (i + 1) / n_polls)
    bulk_table(raw, "RawVotes", raw_headers, raw_rows)
    raw.widths = {1: 8, 2: 7, 3: 10, 4: 30, 5: 22, 6: 8, 7: 7, 8: 6, 9: 40, 10: 40, 11: 24}
    audit.table("Audit", ["Poll ID", "Round", "Step", "Question", "Type", "Privacy mode", "Opened",
                          "Closed", "Turnout", "Phone", "Hand", "Ballots", "SHA-256 of raw votes"], audit_rows)
    audit.add([])
    audit.add(["How to verify: take the poll's rows on the Raw votes sheet in order of Round, then "
               "Ballot ID; join Poll ID, Round, Ballot ID, Answer (JSON), Group, Source and Count with "
               "a TAB; join the rows with a line feed; the SHA-256 of those UTF-8 bytes, in lower-case "
               "hex, must equal the checksum above."], "note")
    audit.widths = {4: 50, 7: 24, 8: 24, 13: 66}
    return [results, raw, audit]


def _poll_block(sh: Sheet, poll: Poll, t: Tally, groups: dict[str, list[Row]],
                BarChart: Any, ScatterChart: Any, Reference: Any, Series: Any) -> None:  # noqa: N803
    sh.blank()
    top = sh.next_row
    sh.heading(f"Step {poll.step or '–'} · {poll.question}", 2)
    sources = ", ".join(f"{n} {s}" for s, n in sorted(t.by_source.items()))
    sh.add([f"{KINDS[poll.kind]} · round {poll.round} · {t.respondents} responses ({sources}) · "
            f"{PRIVACY.get(poll.privacy, poll.privacy)}"], "note")
    chart: Any = None
    name = f"Poll{poll.id}"
    k = poll.kind
    if k in ("single", "multiple", "points", "ranking"):
        value = {"points": "Points", "ranking": "Borda score"}.get(k, "Answers")
        first, last = sh.table(name, ["Option", value, "Share"],
                               [[o, c, (p / 100 if t.percents else None)] for o, c, p in
                                zip(poll.options, t.counts, t.percents or [0] * len(t.counts), strict=True)],
                               formats={3: "0%"})
        chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=True)
    elif k in ("scale", "fist"):
        first, last = sh.table(name, ["Answer", "Count", "Share"],
                               [[lv, c, p / 100] for lv, c, p in zip(t.levels, t.counts, t.percents, strict=True)],
                               formats={3: "0%"})
        sh.add(["Mean", round(t.mean, 2) if t.mean is not None else None])
        sh.add(["Median", t.median])
        if k == "fist":
            sh.add(["Consensus (all ≥ 3)", "Yes" if t.consensus else "No", f"{t.below_three} below 3"])
        chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=False)
    elif k == "agreement":
        rows = [[o, *row, m, (s or 0) / 100] for o, row, m, s in
                zip(poll.options, t.distribution, t.means, t.share_agreeing, strict=True)]
        first, last = sh.table(name, ["Statement", *AGREEMENT_LABELS, "Mean", "Agreeing"], rows,
                               formats={7: "0.00", 8: "0%"})
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
        chart.add_data(Reference(sh, min_col=2, max_col=6, min_row=first, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sh, min_col=1, min_row=first + 1, max_row=last))
        chart.y_axis.title = "share of answers"
        for s, colour in zip(chart.series, ["B2182B", "EF8A62", "BDBDBD", "67A9CF", "2166AC"], strict=False):
            s.graphicalProperties.solidFill = colour
    elif k in ("matrix", "importance"):
        xl, yl = ("Importance", "Satisfaction") if k == "importance" else (
            poll.settings.get("x_label", "Effort"), poll.settings.get("y_label", "Impact"))
        rows = [[o, p[0] if p else None, p[1] if p else None, sp] for o, p, sp in
                zip(poll.options, t.points, t.spreads, strict=True)]
        if k == "importance":
            rows = [[*r, g] for r, g in zip(rows, t.means, strict=True)]
        first, last = sh.table(name, ["Item", f"{xl} (mean)", f"{yl} (mean)", "Spread (SD)",
                                      *(["Gap"] if k == "importance" else [])], rows,
                               formats={2: "0.00", 3: "0.00", 4: "0.00", 5: "0.00"})
        chart = ScatterChart()
        chart.style = 13
        chart.x_axis.title, chart.y_axis.title = xl, yl
        lo, hi = poll.scale_range
        for ax in (chart.x_axis, chart.y_axis):
            ax.scaling.min, ax.scaling.max = lo, hi
            ax.delete = False
        for r in range(first + 1, last + 1):
            series = Series(Reference(sh, min_col=3, min_row=r), Reference(sh, min_col=2, min_row=r),
                            title_from_data=False)
            from openpyxl.chart.data_source import StrRef
            from openpyxl.chart.series import SeriesLabel

            series.tx = SeriesLabel(strRef=StrRef(f"'{sh.title}'!$A${r}"))
            series.marker.symbol = "circle"
            series.marker.size = 9
            series.graphicalProperties.line.noFill = True
            chart.series.append(series)
    elif k == "text":
        sh.table(name, ["Answer"], [[a] for _, a in t.answers], wrap=(1,))
        if t.words:
            sh.blank()
            first, last = sh.table(name + "Words", ["Word", "Mentions"], [list(w) for w in t.words[:15]])
            chart = _bar(BarChart, Reference, sh, first, last, 2, horizontal=True)
    chart_col = 0
    if len(groups) >= 2 and k != "text":
        tallies = {g: tally(poll, bs) for g, bs in groups.items()}
        items = list(poll.options) if k not in ("scale", "fist") else ["Mean"]
        measure = _group_measure_name(k)
        sh.blank()
        sh.add([f"By stakeholder group — {measure}"], "label")
        gnames = [f"{GROUP_LABELS.get(g, g)} (n={tallies[g].respondents})" for g in sorted(tallies)]
        rows = []
        for i, item in enumerate(items):
            row: list[Any] = [item]
            for g in sorted(tallies):
                tt = tallies[g]
                if k in ("scale", "fist"):
                    row.append(round(tt.mean, 2) if tt.mean is not None else None)
                elif k in {"agreement", "importance"}:
                    m = tt.means[i]
                    row.append(round(m, 2) if m is not None else None)
                elif k == "matrix":
                    p = tt.points[i]
                    row.append(round(p[1], 2) if p else None)
                else:
                    row.append(round(profile(tt, poll)[i], 3))
            rows.append(row)
        fmt = dict.fromkeys(range(2, len(gnames) + 2), "0%") if k in ("single", "multiple", "points", "ranking") else {}
        gfirst, glast = sh.table(f"{name}Groups", ["Item", *gnames], rows, formats=fmt)
        gchart = BarChart()
        gchart.type = "bar"
        gchart.add_data(Reference(sh, min_col=2, max_col=len(gnames) + 1, min_row=gfirst, max_row=glast),
                        titles_from_data=True)
        gchart.set_categories(Reference(sh, min_col=1, min_row=gfirst + 1, max_row=glast))
        gchart.title = "By group"
        gchart.height, gchart.width = 7, 14
        chart_col = 1
    from openpyxl.utils import get_column_letter

    widest = max((len(r) for r in sh.rows[top - 1:]), default=1)
    first_col = max(widest, 4) + 2  # charts start two columns right of the block's tables
    if chart is not None:
        chart.title = poll.question[:80]
        chart.height, chart.width = 7, 14
        chart.legend = chart.legend if k in ("agreement", "matrix", "importance") else None
        sh.charts.append((chart, f"{get_column_letter(first_col)}{top}"))
    if chart_col:
        sh.charts.append((gchart, f"{get_column_letter(first_col + (8 if chart is not None else 0))}{top}"))
    while sh.next_row - top < 16:  # leave room for the charts beside the tables
        sh.blank()


def _group_measure_name(kind: str) -> str:
    return {"single": "share choosing each option", "multiple": "share choosing each option",
            "points": "share of points", "ranking": "Borda score relative to the top option",
            "agreement": "mean agreement (1–5)", "scale": "mean", "fist": "mean support (0–5)",
            "importance": "gap: importance − satisfaction", "matrix": "mean impact (y)"}[kind]


def _bar(BarChart: Any, Reference: Any, sh: Sheet, first: int, last: int, col: int, horizontal: bool) -> Any:  # noqa: N803
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.add_data(Reference(sh, min_col=col, min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sh, min_col=1, min_row=first + 1, max_row=last))
    chart.varyColors = False
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first option on top, as on screen
    return chart


# -- writing ---------------------------------------------------------------------------------------


