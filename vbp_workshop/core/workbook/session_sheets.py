"""The "Sessions compared" sheet: a review day's repeated polls beside the earlier days' answers.

Per repeated poll (the trust pulse, readiness, the set-up time), per item, each day's value on
the kind's sector measure for the whole room, the NHS and industry, merged as every result is
(no sector below the workshop's minimum group size is shown on its own)."""

from __future__ import annotations

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.tally import tally, tally_by_sector
from vbp_workshop.core.steps.partnership import comparable, earlier
from vbp_workshop.core.workbook.sector_sheets import _r, item_values, measure
from vbp_workshop.core.workbook.xlsx import Sheet

WHO = (("all", "Whole room"), ("nhs", "NHS"), ("industry", "Industry"))


def sessions_sheet(store: Store) -> Sheet | None:
    """None when the workshop has no earlier day to compare with."""
    if not store.scalar("SELECT COUNT(*) FROM earlier_sessions"):
        return None
    sh = Sheet("Sessions compared")
    sh.heading("The partnership over time: the repeated polls, day by day")
    smallest = queries.min_group(store)
    sh.add([f"Each day's answers, for the whole room and per sector (a sector with fewer than {smallest} "
            "people is left out, as in every result). The earlier days' anonymous ballots were kept when "
            "this day was started from them."], "note")
    rows = []
    for poll in queries.polls(store):
        days: list[tuple[str, Tally, dict[str, Tally]]] = []
        for e in earlier(store, poll.target):
            if comparable(e.poll, poll):
                days.append((e.label, tally(e.poll, e.ballots), tally_by_sector(e.poll, e.ballots, smallest)))
        if not days:
            continue
        days.append(("Today", queries.round_tally(store, poll), queries.sector_tallies(store, poll)))
        labels = poll.plugin.item_labels(poll)
        for label, whole, sectors in days:
            values = {"all": item_values(poll, whole),
                      **{k: item_values(poll, sectors[k]) for k, _ in WHO[1:] if k in sectors}}
            for i, item in enumerate(labels):
                rows.append([poll.question, item, label, measure(poll),
                             *[_r(values[k][i]) if k in values and i < len(values[k]) else "" for k, _ in WHO],
                             whole.respondents])
    sh.table("SessionsCompared", ["Poll", "Item", "Day", "Measure", *[w for _, w in WHO], "n (whole room)"],
             rows, wrap=(1, 2))
    sh.widths = {1: 40, 2: 40, 3: 24, 4: 22}
    return sh
