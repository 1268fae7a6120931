"""The poll sheets of the workbook: results with native charts (and the group split), the raw
anonymous votes, and the audit sheet whose checksums let anyone verify the raw votes.

Checksum (documented on the Audit sheet): for one poll round, take its rows on the Raw votes
sheet in order of ballot id; for each row join these seven fields with a TAB:
poll id, round, ballot id, answer (JSON), group, source, count — numbers in plain decimal,
text as is; join the lines with LF; SHA-256 of the UTF-8 bytes, in lower-case hex.

The checksum is over exactly what the sheet shows, so anyone can recompute it from the sheet:
the stored canonical answer (JSON) after `cell_text` (which removes only characters XML forbids,
already removed where answers enter), the group as shown (groups below the minimum size merged,
as on every other sheet), and `null` for an open-text answer the facilitator hid.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Row
from vbp_workshop.core.model.domain import GROUP_LABELS, OTHER_GROUP
from vbp_workshop.core.model.poll import KINDS, PRIVACY, Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.equal_groups import EQUAL_RULE, equal_group_line
from vbp_workshop.core.polls.queries import min_group
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors as group_ballots
from vbp_workshop.core.polls.spreads import small_n_note
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.core.workbook.kind_blocks import block_for
from vbp_workshop.core.workbook.xlsx import Cancelled, Chart, Series, Sheet, cell_text

HIDDEN = "Hidden by the facilitator"
WITHHELD = "Not shown (too few in the group)"


def checksum(lines: Sequence[Sequence[Any]]) -> str:
    """SHA-256 over the canonical form of one poll's raw-vote rows (see the module docstring)."""
    text = "\n".join("\t".join(_canon(v) for v in line) for line in lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canon(v: Any) -> str:
    """A value as the sheet shows it; text is passed in as the sheet shows it (see poll_sheets)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "" if v is None else str(v)


def readable_answer(poll: Poll, answer: Any) -> str:
    """An answer as a person reads it: option names rather than numbers (the kind says how)."""
    return poll.plugin.readable(poll, answer)


# -- the sheets -----------------------------------------------------------------------------------


def utc_time(stamp: str) -> datetime | None:
    """A stored ISO time as a UTC datetime without tzinfo (Excel has no time zones; the column
    header says UTC). Stored times carry +00:00; older naive ones were written in UTC too."""
    if not stamp:
        return None
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t


def shown_groups(ballots: list[Row], min_size: int, grouped: bool) -> dict[int, str]:
    """ballot id -> the group label shown for it: groups below `min_size` merged into
    "other" (or withheld when still too few), exactly as the results are split."""
    if not grouped:
        return {b["id"]: "" for b in ballots}
    out = dict.fromkeys((b["id"] for b in ballots), WITHHELD)
    for g, bs in group_ballots(ballots, min_size).items():
        label = GROUP_LABELS[OTHER_GROUP] if g == OTHER_GROUP else GROUP_LABELS.get(g, g)
        for b in bs:
            out[b["id"]] = label
    return out


@functools.lru_cache(maxsize=64)
def _source(source: str) -> str:
    return cell_text(source)


def _raw_lines(poll: Poll, rnd: int, rb: list[Row], min_size: int) -> Iterator[tuple[list[Any], Row]]:
    """Each ballot's first seven Raw votes cells (what the checksum covers), with the ballot."""
    groups = shown_groups(rb, min_size, poll.keeps_groups)
    for b in rb:
        answer = "null" if b.get("hidden") else cell_text(b["answer"])
        yield [poll.id, rnd, b["id"], answer, groups[b["id"]], _source(b["source"]), b["weight"]], b


def poll_sheets(store: Store, progress: Callable[[float], None],
                cancelled: Callable[[], bool] = lambda: False) -> list[Sheet]:
    min_size = min_group(store)  # the one rule, shared with the tallies
    results = Sheet("Poll results", min_print_width=130)  # two charts side by side
    results.heading("Poll results")
    results.add(["Each poll's latest round, with a chart; groups with fewer than "
                 f"{min_size} respondents merge with the other small groups of their sector, then into “other” "
                 "(left out if still too few)."], "note")
    raw = Sheet("Raw votes", freeze=(1, 0), print_rows=(1, 1), max_width=50, clip=True)
    audit = Sheet("Audit", freeze=(1, 0), print_rows=(1, 1))
    audit_rows: list[list[Any]] = []
    rounds = {(r["poll_id"], r["round"]): r for r in store.rows("poll_rounds")}
    all_polls = [Poll.from_row(p) for p in store.rows("polls", order="step, pos, id")]
    n_polls = max(1, len(all_polls))
    votes = 0
    for i, poll in enumerate(all_polls):
        question = cell_text(poll.question)
        latest_tally = None
        for rnd in range(1, poll.round + 1):
            # Read through the export's memo: the raw votes' rows and the later sheets' tallies
            # read the same parsed rows (queries.ballots_kept), without holding every vote.
            rb = queries.ballots(store, poll.id, rnd)
            lines = [line for line, _b in _raw_lines(poll, rnd, rb, min_size)]
            votes += len(rb)
            info = rounds.get((poll.id, rnd), {})
            # The latest round's tallies are kept for the sector sheets (see queries.ballots_kept).
            t = queries.round_tally(store, poll, rnd) if rnd == poll.round else tally(poll, rb)
            if rnd == poll.round and rb:
                latest_tally = t
            audit_rows.append([poll.id, rnd, poll.step or "", question, KINDS[poll.kind],
                               PRIVACY.get(poll.privacy, poll.privacy), utc_time(info.get("opened_at", "")),
                               utc_time(info.get("closed_at", "")), t.respondents, t.by_source.get("phone", 0),
                               t.by_source.get("hand", 0), len(rb), checksum(lines)])
        if latest_tally is not None:  # the latest round has votes
            _poll_block(results, poll, latest_tally, queries.group_tallies(store, poll),
                        queries.equal_tally(store, poll))
        progress(0.2 + 0.4 * (i + 1) / n_polls)
        if cancelled():
            raise Cancelled

    def raw_rows() -> Iterator[list[Any]]:
        """A row per vote, read again poll by poll as the sheet is written (not held)."""
        for poll in all_polls:
            question = cell_text(poll.question)
            for rnd in range(1, poll.round + 1):
                for line, b in _raw_lines(poll, rnd, queries.ballots(store, poll.id, rnd), min_size):
                    yield [*line, poll.step or "", question,
                           HIDDEN if b.get("hidden") else readable_answer(poll, b["parsed"]),
                           utc_time(b["updated_at"])]

    raw.streamed_table("RawVotes", ["Poll ID", "Round", "Ballot ID", "Answer (JSON)", "Group", "Source", "Count",
                                    "Step", "Question", "Answer", "Time (UTC)"],
                       raw_rows, formats={11: "yyyy-mm-dd hh:mm:ss"}, expected=votes)
    # One page wide: an appendix read on screen; on paper a long text is cut at its cell's edge.
    raw.widths = {1: 7, 2: 7, 3: 8, 4: 24, 5: 22, 6: 8, 7: 7, 8: 6, 9: 34, 10: 34, 11: 18}
    audit.table("Audit", ["Poll ID", "Round", "Step", "Question", "Type", "Privacy mode", "Opened (UTC)",
                          "Closed (UTC)", "Turnout", "Phone", "Hand", "Ballots", "SHA-256 of raw votes"],
                audit_rows, formats={7: "yyyy-mm-dd hh:mm", 8: "yyyy-mm-dd hh:mm"}, wrap=(4,))
    audit.add([])
    audit.add(["How to verify: take the poll round's rows on the Raw votes sheet in order of Ballot ID; "
               "join Poll ID, Round, Ballot ID, Answer (JSON), Group, Source and Count with a TAB, as the "
               "sheet shows them; join the rows with a line feed; the SHA-256 of those UTF-8 bytes, in "
               "lower-case hex, must equal the checksum above. Groups below the minimum size show merged, "
               "and an open-text answer the facilitator hid shows as null, here and in the checksum."], "note")
    if raw.stream is not None and not raw.stream.table:
        audit.add([f"The Raw votes sheet holds {votes:,} votes: it has filters on its header row but is not an "
                   "Excel table (a table that long would need more memory than a laptop can spare)."], "note")
    audit.widths = {4: 40, 6: 22, 7: 17, 8: 17, 13: 66}
    return [results, raw, audit]


def _rounded(v: float | None, digits: int) -> float | None:
    return round(v, digits) if v is not None else None


def _short(text: str, n: int = 80) -> str:
    text = cell_text(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _poll_block(sh: Sheet, poll: Poll, t: Tally, tallies: dict[str, Tally], equal_tally: Tally | None = None) -> None:
    sh.blank()
    top = sh.next_row
    sh.heading(f"Step {poll.step or '–'} · {poll.question}", 2)
    sources = ", ".join(f"{n} {s}" for s, n in sorted(t.by_source.items()))
    small = small_n_note(t.respondents)  # the same words as on screen and on the sector sheets
    sh.add([f"{KINDS[poll.kind]} · round {poll.round} · {t.respondents} "
            f"{'response' if t.respondents == 1 else 'responses'} ({sources}) · "
            f"{PRIVACY.get(poll.privacy, poll.privacy)}" + (f" · {small}" if small else "")], "note")
    kind = poll.plugin
    name = f"Poll{poll.id}"
    block = block_for(poll)
    chart = block(sh, poll, t, name, _short(poll.question)) if block is not None else None
    equal = equal_group_line(poll, t, equal_tally)
    if equal:
        sh.add([f"{equal} — {EQUAL_RULE}"], "note")
    gchart: Chart | None = None
    if len(tallies) >= 2 and kind.splits_by_group:
        measure = kind.group_measure
        sh.blank()
        sh.add([f"By stakeholder group — {measure}"], "label")
        gnames = [f"{GROUP_LABELS.get(g, g)} (n={tallies[g].respondents})" for g in sorted(tallies)]
        shares = kind.group_shares
        values = [kind.group_values(tallies[g], poll) for g in sorted(tallies)]
        rows = [[item, *(_rounded(v[i], 3 if shares else 2) for v in values)]
                for i, item in enumerate(kind.group_items(poll))]
        fmt = dict.fromkeys(range(2, len(gnames) + 2), "0%" if shares else "0.00")
        gfirst, glast = sh.table(f"{name}Groups", ["Item", *gnames], rows, formats=fmt, wrap=(1,))
        gchart = Chart("bar", "By group", [Series((gfirst, c), (gfirst + 1, glast, 1), (gfirst + 1, glast, c),
                                                  GROUP_COLOURS[(c - 2) % len(GROUP_COLOURS)])
                                           for c in range(2, len(gnames) + 2)],
                       axis="share" if shares else "mean", scale=None if shares else kind.group_scale(poll),
                       legend=True, y_title=measure)
    # The charts go under the tables, side by side: the block prints one page wide at a
    # readable size, and a page break before each block keeps its charts on one page.
    # A poll's block prints on one page, with as many polls to a page as fit (xlsx.pack_pages):
    # beside narrow tables its charts stand to their right, side by side (small polls then share
    # a page); beside wide ones they go under the tables.
    charts = [x for x in (chart, gchart) if x is not None]
    columns = max((len(r) for r in sh.rows[top - 1:]), default=1)
    if charts and columns <= BESIDE_COLUMNS:
        for n, c in enumerate(charts):
            c.size = (BESIDE_WIDTH, chart_height(c))
            c.x_offset = 12 + n * (BESIDE_WIDTH + 12)
            sh.charts.append((c, top + 1, columns + 1))
        sh.blank(max(0, top + 1 + max(-(-c.size[1] // 20) for c in charts) - sh.next_row))
    elif charts:
        sh.blank()
        at = sh.next_row
        for n, c in enumerate(charts):
            c.size = (CHART_WIDTH, chart_height(c))
            c.x_offset = n * (CHART_WIDTH + 15)
            sh.charts.append((c, at, 1))
        sh.blank(max(-(-c.size[1] // 20) for c in charts))
    sh.keep_together.append((top, sh.next_row - 1))


CHART_WIDTH, CHART_HEIGHT = 420, 210  # pixels: two side by side print one A4 page wide


def chart_height(c: Chart) -> int:
    """Pixels a chart needs to stay readable in print: its plot, a row per bar, a line per key
    (a six-attribute trust pulse's key left its plot a sliver at 210 px)."""
    if c.size[1] > 265:  # sized by its kind (the word chart)
        return c.size[1]
    if c.kind == "scatter":  # a square-ish plot, and its key two to a line
        return 230 + 18 * (-(-len(c.series) // 2) if c.legend else 0)
    key = 18 * len(c.series) if c.legend and len(c.series) > 1 else 0
    bars = 0
    if c.kind == "bar" and c.series and c.series[0].categories:
        first, last, _col = c.series[0].categories
        bars = 14 * (last - first + 1) * len(c.series)
    return max(CHART_HEIGHT, 70 + bars + key)


BESIDE_WIDTH = 330  # pixels: two charts beside a block's tables
BESIDE_COLUMNS = 4  # a block this many columns wide has its charts to the right of its tables


GROUP_COLOURS = ["#12355B", "#E07A1F", "#2E8B57", "#8E44AD", "#C0262D", "#4C9BD6", "#7F7F7F"]

