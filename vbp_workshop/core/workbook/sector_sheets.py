"""The workbook's sector and planning sheets: results by sector (NHS vs industry), where the room
disagrees per statement, the readiness results, and the later steps' plans and decisions.

Every result from fewer than `SMALL_N` people is flagged in its own column, as on screen."""

from __future__ import annotations

from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import GROUP_LABELS, SECTOR_LABELS, SECTOR_OF, STAKEHOLDER_LABELS, Stakeholder
from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.divergence import (
    CLEAR_RULE,
    QUADRANT_RULE,
    WHOLE_ROOM,
    by_gap,
    centre,
    importance_gaps,
    item_ranking,
    pair_text,
    widest_gap_by_sector,
)
from vbp_workshop.core.polls.sectors import SPLIT_LABELS
from vbp_workshop.core.polls.spreads import POLARISED_RULE, SMALL_N, item_labels, item_spreads, small_n_note
from vbp_workshop.core.steps import planning
from vbp_workshop.core.workbook.xlsx import Sheet

SECTOR_ORDER = [*SECTOR_LABELS, "other"]


def measure(poll: Poll) -> str:
    return poll.plugin.sector_measure(poll)


def item_values(poll: Poll, t: Tally) -> list[float | None]:
    """A tally's value per item, in the order of `item_labels` (on the answers' own scale)."""
    return poll.plugin.item_values(poll, t) if t.respondents else []


def _r(v: float | None, digits: int = 2) -> Any:
    return round(v, digits) if v is not None else ""


def sectors_sheet(store: Store) -> Sheet:
    sh = Sheet("Sectors")
    sh.heading("Results by sector: NHS, industry, patients and the wider system")
    sh.add([f"Each stakeholder group belongs to a sector. Clinicians count as NHS (in a UK partnership "
            "they are almost always NHS-employed). A sector with fewer than "
            f"{queries.min_group(store)} answers merges into “other”; a result from fewer than "
            f"{SMALL_N} people is flagged."], "note")
    sh.blank()
    sh.heading("Which group belongs to which sector", 2)
    sh.table("SectorGroups", ["Stakeholder group", "Sector"],
             [[STAKEHOLDER_LABELS[s], SECTOR_LABELS[SECTOR_OF[s]]] for s in Stakeholder])
    sh.blank()
    sh.heading("Every item by sector (current round)", 2)
    split: list[tuple[Poll, dict[str, Tally]]] = []
    for poll in queries.polls(store):
        if not poll.plugin.splits_by_group or not poll.keeps_groups:
            continue
        tallies = queries.sector_tallies(store, poll)
        if tallies:
            split.append((poll, tallies))
    # Only the sectors some poll shows get a column: a sector too small everywhere (merged into
    # "other") is not named by an empty column either.
    order = [s for s in SECTOR_ORDER if any(s in tallies for _p, tallies in split)]
    rows = []
    for poll, tallies in split:
        values = {s: item_values(poll, t) for s, t in tallies.items()}
        small = ", ".join(SPLIT_LABELS[s] for s, t in tallies.items() if small_n_note(t.respondents))
        for i, label in enumerate(item_labels(poll)):
            per = {s: _r(values[s][i]) if s in values and i < len(values[s]) else "" for s in SECTOR_ORDER}
            nhs, ind = per["nhs"], per["industry"]
            diff = round(nhs - ind, 2) if isinstance(nhs, float) and isinstance(ind, float) else ""
            rows.append([poll.step, poll.question, label, measure(poll), *[per[s] for s in order], diff,
                         *[tallies[s].respondents if s in tallies else "" for s in order], small])
    headers = ["Step", "Poll", "Item", "Measure", *[SPLIT_LABELS[s] for s in order], "NHS minus industry",
               *[f"n {SPLIT_LABELS[s]}" for s in order], f"Fewer than {SMALL_N} answers in"]
    sh.table("SectorComparison", headers, rows, wrap=(2, 3))
    sh.blank()
    sh.heading("Importance vs satisfaction by sector", 2)
    sh.add([f"Ranked by the whole room's gap, widest first; {QUADRANT_RULE}."], "note")
    gap_rows = []
    for poll in queries.polls(store):
        gaps = importance_gaps(store, poll)
        widest = widest_gap_by_sector(gaps)
        mid = centre(gaps)
        for g in by_gap(gaps):
            gap_rows.append([g.attribute, "Whole room" if g.who == WHOLE_ROOM else SPLIT_LABELS.get(g.who, g.who),
                             g.n, _r(g.importance), _r(g.satisfaction), _r(g.gap), g.quadrant(mid),
                             "yes" if widest.get(g.attribute) is g else "",
                             "yes" if g.n < SMALL_N else ""])
    sh.table("ImportanceGaps", ["Attribute", "Who", "n", "Importance", "Satisfaction", "Gap", "Quadrant",
                                "Widest gap of the sectors", f"Fewer than {SMALL_N}"], gap_rows)
    return sh


def divergence_sheet(store: Store) -> Sheet:
    sh = Sheet("Divergence")
    sh.heading("Where the room disagrees, per statement, attribute and option")
    sh.add(["How far apart the stakeholder groups or the sectors answered (0 = the same, 1 = opposite), "
            + CLEAR_RULE + ". Spread is for the whole room: " + POLARISED_RULE
            + ". Blocks (fist-to-five at 0) are counted, never named; 1–2 are concerns to hear."], "note")
    sh.blank()
    rows = []
    for n, r in enumerate(item_ranking(store), 1):
        s = r.spread
        rows.append([n, r.poll.step, r.poll.question, r.label, _r(min(r.score, 99.0)),
                     "clear" if r.clear else "could be chance", r.group_gap, pair_text(r.group_pair, GROUP_LABELS),
                     r.sector_gap, pair_text(r.sector_pair, SPLIT_LABELS),
                     _r(s.mean) if s else "", _r(s.sd) if s else "", _r(s.extremes) if s and s.n else "",
                     "yes" if s and s.polarised else "", s.blockers if s and s.blockers is not None else "",
                     s.n if s else "", "yes" if s and s.small else ""])
    sh.table("DivergenceRanking", ["Rank", "Step", "Poll", "Item", "How clear (gap ÷ its standard error)",
                                   "Reading", "Groups apart", "Furthest apart (groups)",
                                   "Sectors apart", "Furthest apart (sectors)", "Mean", "SD", "Share at the end values",
                                   "Polarised", "Blocks (fist-to-five at 0)", "n", f"Fewer than {SMALL_N}"],
             rows, formats={5: "0.0", 7: "0.00", 9: "0.00", 13: "0%"}, wrap=(3, 4))
    return sh


def readiness_sheet(store: Store) -> Sheet:
    sh = Sheet("Readiness")
    sh.heading("Readiness: the conditions for collaboration, the set-up timeline, scale (NASSS)")
    sh.blank()
    for poll in queries.polls(store):
        if poll.target == "readiness" and poll.kind == "agreement":
            sh.heading(poll.question, 2)
            t = queries.round_tally(store, poll)
            sectors = queries.sector_tallies(store, poll)
            spreads = item_spreads(poll, queries.ballots(store, poll.id, poll.round))
            rows = []
            for i, label in enumerate(poll.options):
                s = spreads[i]
                rows.append([label, _r(t.means[i] if t.means else None), _r(t.share_agreeing[i] if t.share_agreeing
                                                                             else None, 0),
                             _r(s.sd), "yes" if s.polarised else "",
                             *[_r(sectors[k].means[i]) if k in sectors else "" for k in ("nhs", "industry")],
                             s.n, "yes" if s.small else ""])
            sh.table(f"Readiness{poll.id}", ["Condition", "Mean 1–5", "% agreeing", "SD", "Polarised",
                                              "NHS mean", "Industry mean", "n", f"Fewer than {SMALL_N}"], rows,
                     wrap=(1,))
            sh.blank()
        elif poll.target == "timeline":
            sh.heading(poll.question, 2)
            sectors = {"all": queries.round_tally(store, poll), **queries.sector_tallies(store, poll)}
            keys = ["all", *[k for k in SECTOR_ORDER if k in sectors]]  # a sector too small is not named
            rows = [[opt, *[_r(sectors[k].percents[i], 0) if sectors[k].respondents else "" for k in keys]]
                    for i, opt in enumerate(poll.options)]
            rows.append(["n", *[sectors[k].respondents for k in keys]])
            sh.table(f"Timeline{poll.id}", ["Answer (% of each)", "Whole room",
                                            *[SPLIT_LABELS[k] for k in keys[1:]]], rows)
            if poll.settings.get("reference"):
                sh.add([str(poll.settings["reference"])], "note")
            sh.blank()
    nasss = [p for p in queries.polls(store) if p.target.startswith("nasss:")]
    if nasss:
        sh.heading("Scale readiness (NASSS): each domain simple, complicated or complex", 2)
        rows = []
        for poll in nasss:
            t = queries.round_tally(store, poll)
            top = max(range(len(t.counts)), key=lambda i: t.counts[i]) if t.respondents else None
            rows.append([poll.question, *[_r(p, 0) if t.respondents else "" for p in t.percents],
                         poll.options[top] if top is not None else "not rated yet", t.respondents,
                         "yes" if small_n_note(t.respondents) else ""])
        sh.table("Nasss", ["Domain", "% simple", "% complicated", "% complex", "Most said", "n",
                           f"Fewer than {SMALL_N}"], rows, wrap=(1,))
    return sh


def plans_sheet(store: Store) -> Sheet:
    sh = Sheet("Plans and decisions")
    sh.heading("Triple win, scope, metric tiers, design for scale, decisions and sharing")
    sh.blank()
    partners = {p["id"]: p["name"] for p in store.rows("partners")}
    tags = planning.triple_win(store)
    sh.heading("Step 1 · The triple win each goal serves", 2)
    who = planning.triple_win_owners(store)
    sh.table("TripleWin", ["Whose goals", *planning.TRIPLE_WIN.values()],
             [[label, *["yes" if w in tags.get(key, []) else "" for w in planning.TRIPLE_WIN]] for key, label in who])
    fields1 = store.step_fields(1)
    for key, label in planning.STEP1_TEXTS.items():
        sh.kv(label, str(fields1.get(key) or ""))
    sh.blank()
    sh.heading("Step 4 · Metrics: Porter tier, case mix and time points", 2)
    plans = planning.metric_plans(store)
    sh.table("MetricPlans", ["Metric", "Tier or kind", "Case-mix variables", "Time points"],
             [[m["name"], planning.PORTER_TIERS.get(plans.get(str(m["id"]), {}).get("tier", ""), ""),
               plans.get(str(m["id"]), {}).get("case_mix", ""), plans.get(str(m["id"]), {}).get("time_points", "")]
              for m in store.rows("metrics")], wrap=(3, 4))
    scale = planning.pilot_scale(store)
    decisions = planning.pilot_decisions(store)
    sh.blank()
    sh.heading("Steps 4 and 5 · Each pilot: designed for scale, and the decision", 2)
    rows = []
    for p in store.rows("pilots"):
        d = decisions.get(str(p["id"]), {})
        rows.append([p["name"], scale.get(str(p["id"]), ""), planning.PILOT_DECISIONS.get(d.get("decision", ""), ""),
                     d.get("reasons", ""), d.get("date", ""), d.get("who", "")])
    sh.table("PilotDecisions", ["Pilot", "Designed to scale by", "Decision", "Reasons", "Date", "Decided by"],
             rows, wrap=(2, 4))
    sh.blank()
    sh.heading("Step 5 · Share the success", 2)
    plan = planning.share_plan(store)
    for key, label in planning.SHARE_FIELDS.items():
        sh.kv(label, plan[key])
    given = planning.consents(store)
    sh.table("PublishConsent", ["Partner", "Consents to publish"],
             [[partners[i], "yes" if ok else "not yet"] for i, ok in given.items()])
    _ok, sentence = planning.publish_status(store)
    sh.add([sentence], "label")
    return sh


def sector_sheets(store: Store) -> list[Sheet]:
    return [sectors_sheet(store), divergence_sheet(store), readiness_sheet(store), plans_sheet(store)]
