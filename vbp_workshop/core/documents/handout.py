"""The hand-out: the day on a few A4 pages for every participant — the ambition, the rules, the
pilots, the decisions and actions, and the key charts as the projector drew them.

Which charts, and from which polls, is decided here (Qt-free); the ui draws them. The privacy
rules are the workbook's: results by sector merge any group below the smallest group size
(`queries.sector_tallies`), no open-text answer is shown at all (so none the facilitator hid),
and people are named only when the facilitator chose to include names.
"""

from __future__ import annotations

from vbp_workshop.core.documents.blocks import (
    Block,
    Chart,
    Document,
    Facts,
    Gap,
    Heading,
    Items,
    PageBreak,
    Para,
    Table,
)
from vbp_workshop.core.documents.record import Record
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.polls import queries

# The charts, in the order of the day: (key, step, kind, target, title, what it shows).
CHARTS = [
    ("trust", 2, "importance", "trust", "The trust pulse by sector",
     "The gap between how important each partnership attribute is and how satisfied people are with it, "
     "by sector (a bigger gap is where to work)."),
    ("readiness", 2, "agreement", "readiness", "The readiness check",
     "How far the room agreed that each condition for collaboration is in place."),
    ("pilots", 4, "matrix", "pilots", "The pilots on the 2×2",
     "Each pilot at the room's mean effort and impact; the lines mark the middle of the scales."),
]


def chart_polls(store: Store) -> dict[str, Poll]:
    """The poll each chart is drawn from (the first of its kind and target with answers)."""
    found: dict[str, Poll] = {}
    for key, step, kind, target, _title, _about in CHARTS:
        for poll in queries.polls(store, step):
            if poll.kind == kind and poll.target == target and queries.round_tally(store, poll).respondents:
                found[key] = poll
                break
    return found


def handout_document(r: Record, store: Store) -> Document:
    w = r.workshop
    facts = [(k, str(w.get(f) or "")) for k, f in (("Date", "date"), ("Venue", "venue"),
                                                   ("Facilitator", "facilitator")) if w.get(f)]
    blocks: list[Block] = [Facts(facts)] if facts else []
    blocks += [Heading("Our shared ambition")]
    blocks.append(Para(r.ambition, "lead") if r.ambition else Gap("the shared ambition"))
    blocks.append(Heading("The partners"))
    blocks.append(Items([p.name + (" (party to the agreement)" if p.party else "") for p in r.partners])
                  if r.partners else Gap("who the partners are"))
    blocks.append(Heading("Who was in the room"))
    if r.include_names:
        blocks.append(Table(["Name", "Partner", "Role"], [list(x) for x in r.participants], [3, 4, 3])
                      if r.participants else Para("No participants were listed."))
    elif r.attendance:
        blocks.append(Para(f"People are counted, not named: a partner that sent fewer than {r.min_group} is "
                           "counted with the other small ones.", "note"))
        blocks.append(Table(["Partner", "People"], [[name, str(n)] for name, n in r.attendance], [6, 1]))
    else:
        blocks.append(Para("No participants were listed."))
    blocks.append(Heading("The rules we work by"))
    rules = [f"{area}: {text}" + (f" ({consent})" if consent else " (no consent vote yet)")
             for area, text, consent in r.rules]
    if r.decision_rules:
        rules.insert(0, f"Decisions: {r.decision_rules}")
    blocks.append(Items(rules, numbered=True) if rules else Gap("the rules the partners work by"))
    blocks.append(Heading("The pilots"))
    chosen = [p for p in r.pilots if p.chosen]
    blocks.append(Items([p.name + (f". Success means: {p.success}" if p.success else "") for p in chosen],
                        numbered=True) if chosen else Gap("which pilots to run"))
    blocks.append(Heading("Decisions"))
    blocks.append(Items([d + (f" ({o})" if o else "") for d, o, _s in r.decisions], numbered=True)
                  if r.decisions else Gap("any decision recorded as such"))
    blocks.append(Heading("Actions"))
    blocks.append(Table(["Action", "Owner", "Due"], [[a, o or "Not named", d or "No date"]
                                                     for a, o, d, s in r.actions if s == "Open"], [6, 2.4, 1.4])
                  if any(s == "Open" for *_x, s in r.actions) else Gap("actions with owners and dates"))
    blocks += [PageBreak(), Heading("What the room said")]
    found = chart_polls(store)
    for key, _step, _kind, _target, title, about in CHARTS:
        poll = found.get(key)
        if poll is None:
            blocks += [Heading(title, 2), Gap(f"{title[0].lower()}{title[1:]}: the poll has no answers")]
            continue
        n = queries.round_tally(store, poll).respondents
        blocks.append(Chart(key, poll.id, title, f"{about} “{poll.question}” — {n} answers."))
    blocks.append(Para(f"Results by sector show only sectors with at least {r.min_group} answers; smaller ones "
                       "are merged, or left out if still too few. Open-text answers are not shown.", "note"))
    return Document(title=r.title, subtitle="The day on a page: hand-out", blocks=blocks,
                    subject="Workshop hand-out", keywords="value-based partnership; hand-out")
