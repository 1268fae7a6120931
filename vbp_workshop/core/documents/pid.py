"""The draft project initiation document (PID): what the partners agreed at the workshop, in the
sections a joint-working PID has, each either filled from the record or saying what was not
agreed. The partners edit it in Word afterwards: it is a first draft, not the agreement."""

from __future__ import annotations

from vbp_workshop import __version__
from vbp_workshop.core.documents.blocks import Block, Document, Facts, Gap, Heading, Items, Para, Table
from vbp_workshop.core.documents.record import LEVELS, Metric, Pilot, Record
from vbp_workshop.core.model.domain import RESOURCES
from vbp_workshop.core.steps.joint_working import MET, STATUS_LABELS

INFO_GOVERNANCE = ("For shared data the partners will also need, where they apply: a data protection impact "
                   "assessment (DPIA), each organisation's role as controller or processor under UK GDPR, "
                   "a data-sharing agreement, and the Caldicott guardian's approval for patient-identifiable "
                   "data.")


# Rule categories with a section of their own in the PID (the rest are "Collaboration rules").
OWN_SECTIONS = ("data", "ig", "exit")


def rules_of(r: Record, *keys: str) -> list[str]:
    """The rules of these categories, each with its consent result."""
    return [f"{area}: {text}" + (f" — consent: {consent}" if consent else " — no consent vote yet")
            for (area, text, consent), key in zip(r.rules, r.rule_keys, strict=True) if key in keys]


def or_gap(text: str, what: str, style: str = "") -> Block:
    return Para(text, style) if text.strip() else Gap(what)


def document_control(r: Record) -> list[Block]:
    w = r.workshop
    return [Facts([
        ("Partnership", r.title),
        ("Care pathway or challenge", str(w.get("pathway") or "") or "Not recorded"),
        ("Workshop", str(w.get("title") or "")),
        ("Date of the workshop", str(w.get("date") or "") or "Not recorded"),
        ("Venue", str(w.get("venue") or "") or "Not recorded"),
        ("Facilitator", str(w.get("facilitator") or "") or "Not recorded"),
        ("Status", "Draft for the partners to review, drawn from the workshop's record"),
        ("Drafted by", f"VBP Workshop {__version__}"),
    ])]


def partners_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Partners and parties to the agreement")]
    if not r.partners:
        return [*out, Gap("who the partners are")]
    out.append(Para("A partner takes part in the partnership; a party also signs the formal written agreement "
                    "(under the ABPI Code, the parties are the organisations that sign it)."))
    party = {True: "Party", False: "Not a party", None: "Not recorded"}
    out.append(Table(["Partner", "Stakeholder type", "Party to the agreement", "Signs up to the ambition"],
                     [[p.name, p.kind, party[p.party],
                       (p.signs_up + (f": {p.signs_up_note}" if p.signs_up_note else "")) or "Not asked"]
                      for p in r.partners], [3, 2.2, 1.4, 2.4]))
    if not r.parties_recorded:
        out.append(Gap("which partners are parties to the written agreement"))
    return out


def ambition_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Shared ambition and each partner's goals"), Heading("The shared ambition", 2)]
    out.append(or_gap(r.ambition, "the shared ambition (no statement was chosen)", "lead"))
    if r.ambition and r.ambition_wins:
        out.append(Para("It serves the triple win: " + "; ".join(r.ambition_wins) + "."))
    if r.candidates and not r.ambition:
        out += [Para("Statements the room considered:"), Items(r.candidates, numbered=True)]
    out.append(Heading("Each partner's goals (the triple win)", 2))
    goals = [[p.name, p.goals, ", ".join(p.wins)] for p in r.partners if p.goals or p.wins]
    if goals:
        out.append(Table(["Partner", "Its own goals", "Serves"], goals, [2.4, 5, 2.2]))
    else:
        out.append(Gap("each partner's own goals"))
    out += [Heading("Fit with NHS priorities", 2), or_gap(r.nhs_priorities, "how the work fits NHS priorities")]
    return out


def scope_section(r: Record) -> list[Block]:
    return [Heading("Scope and boundaries"),
            Heading("In scope", 2), or_gap(r.scope, "what is in scope"),
            Heading("Out of scope", 2), or_gap(r.boundaries, "what is out of scope")]


def contribution_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Each partner's contribution")]
    rated = [p for p in r.partners if any(p.contribution.values()) or p.contribution_notes]
    if not rated:
        return [*out, Gap("what each partner contributes (time, money, data, skills)")]
    out.append(Table(["Partner", *[x.capitalize() for x in RESOURCES], "What exactly"],
                     [[p.name, *[LEVELS.get(p.contribution.get(x, 0), "") for x in RESOURCES],
                       "; ".join(f"{res}: {what}" for res, what in p.contribution_notes)]
                      for p in r.partners], [3, 1.2, 1.2, 1.2, 1.2, 3.4]))
    if r.balance:
        out.append(Para(r.balance, "note"))
    return out


def governance_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Governance and rules"), Heading("Roles (RACI)", 2)]
    if r.raci:
        out.append(Para("Per activity: who is responsible, who is accountable (exactly one), who is consulted "
                        "and who is kept informed."))
        rows = []
        for activity, roles, problem in r.raci:
            who = {x: ", ".join(p for p, role in zip(r.raci_partners, roles, strict=True) if role == x)
                   for x in "RACI"}
            rows.append([activity, who["R"] or "—", who["A"] or problem or "—", who["C"] or "—", who["I"] or "—"])
        out.append(Table(["Activity", "Responsible", "Accountable", "Consulted", "Informed"], rows,
                         [2.6, 2, 2, 2, 2]))
        out += [Gap(f"{problem.lower()} for “{activity}”") for activity, _roles, problem in r.raci if problem]
    else:
        out.append(Gap("who is responsible and accountable for each activity (RACI)"))
    out += [Heading("Decision rights", 2), or_gap(r.decision_rules, "how decisions are made and disputes settled")]
    rules = [(area, text, consent) for (area, text, consent), key in zip(r.rules, r.rule_keys, strict=True)
             if key not in OWN_SECTIONS]
    out.append(Heading("Collaboration rules", 2))
    if rules:
        out.append(Items([f"{area}: {text} — consent: {consent or 'no consent vote yet'}"
                          for area, text, consent in rules], numbered=True))
    else:
        out.append(Gap("the rules the partners work by"))
    out.append(Heading("Consent to publish", 2))
    out.append(Table(["Partner", "Consent to publish"],
                     [[p.name, "Recorded" if p.consents else "Not yet recorded"] for p in r.partners], [3, 1.4])
               if r.partners else Gap("who consents to publish"))
    out.append(Para(r.publish_sentence))
    plan = [(label, r.share_plan.get(key, "")) for key, label in
            (("what", "What is published"), ("where", "Where"), ("when", "When"))]
    if any(v for _k, v in plan):
        out.append(Facts([(k, v or "Not recorded") for k, v in plan]))
    else:
        out.append(Gap("what is published about the work, where and when"))
    out.append(Heading("Data and information governance", 2))
    data = rules_of(r, "data", "ig")
    out.append(Items(data, numbered=True) if data else Gap("how data are shared and protected"))
    out.append(Para(INFO_GOVERNANCE, "note"))
    out.append(Heading("Exit strategy", 2))
    exits = rules_of(r, "exit")
    if r.exit_strategy.strip():
        out.append(Para(r.exit_strategy))
    if exits:
        out.append(Items(exits, numbered=True))
    if not exits and not r.exit_strategy.strip():
        out.append(Gap("the exit strategy: how a partner leaves or the work ends, and each party's "
                       "responsibilities then"))
    return out


def metric_table(metrics: list[Metric]) -> Table:
    """Five columns, so that A4 portrait keeps every word whole: the rate's numerator and
    denominator go with its definition, the baseline with the target."""

    def definition(m: Metric) -> str:
        parts = [m.definition or "Not defined"]
        if m.numerator or m.denominator:
            parts.append(f"Numerator: {m.numerator or 'not defined'}. Denominator: {m.denominator or 'not defined'}.")
        return "\n".join(parts)

    return Table(["Metric", "Definition", "Baseline → target", "Time points", "Owner"],
                 [[m.name + (f" ({m.kind})" if m.kind else ""), definition(m),
                   f"{m.baseline or 'Baseline not recorded'} → {m.target or 'target not recorded'}",
                   m.time_points or m.frequency or "Not recorded", m.owner or "Not named"] for m in metrics],
                 [2.2, 3.4, 2, 1.6, 1.5])


def pilot_blocks(p: Pilot) -> list[Block]:
    out: list[Block] = [Heading(p.name or "Unnamed pilot", 3)]
    if p.description:
        out.append(Para(p.description))
    out.append(Facts([("Success means", p.success or "Not agreed at the workshop"),
                      ("Designed to scale by", p.scale or "Not agreed at the workshop")]))
    if p.metrics:
        out.append(metric_table(p.metrics))
    else:
        out.append(Gap(f"the metrics for “{p.name}”"))
    return out


def pilots_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Pilots and their metrics")]
    chosen = [p for p in r.pilots if p.chosen]
    if not chosen:
        out.append(Gap("which pilots to run"))
    for p in chosen:
        out += pilot_blocks(p)
    others = [p for p in r.pilots if not p.chosen]
    if others:
        out += [Heading("Pilots considered but not chosen", 2),
                Items([p.name + (f": {p.description}" if p.description else "") for p in others])]
    if r.unlinked_metrics:
        out += [Heading("Metrics not linked to a pilot", 2), metric_table(r.unlinked_metrics)]
    return out


def evaluation_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Evaluation plan and review dates"), Heading("Review dates and milestones", 2)]
    out.append(Table(["Milestone", "Date"], [[w, d or "Not set"] for w, d in r.milestones], [5, 1.6])
               if r.milestones else Gap("the review dates and milestones"))
    out.append(Heading("How each metric is collected", 2))
    metrics = [m for p in r.pilots for m in p.metrics] + r.unlinked_metrics
    if metrics:
        out.append(Table(["Metric", "Outcome tier or kind", "Data source", "How often", "Direction"],
                         [[m.name, m.tier or m.kind, m.source or "Not recorded", m.frequency or "Not recorded",
                           m.direction] for m in metrics], [3, 2, 2.4, 1.4, 1.6]))
    else:
        out.append(Gap("how success will be measured"))
    out.append(Heading("Decisions on the pilots", 2))
    decided = [p for p in r.pilots if p.decision]
    if decided:
        out.append(Table(["Pilot", "Decision", "Reasons", "Date", "Decided by"],
                         [[p.name, p.decision, p.decision_reasons, p.decision_date, p.decided_by] for p in decided],
                         [2.6, 1.2, 3, 1.3, 1.5]))
    else:
        out.append(Gap("a go, adapt or stop decision for any pilot"))
    if r.decision:
        out.append(Facts([("Overall decision", r.decision), ("Why", r.rationale or "Not recorded")]))
    if r.lessons:
        out += [Heading("Lessons so far", 2), Items(r.lessons)]
    return out


def risks_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Risks")]
    if r.barriers:
        out.append(Table(["Kind", "Risk or barrier", "What would help"],
                         [[k, t, n or "Not agreed"] for k, t, n in r.barriers], [1, 4, 4]))
    else:
        out.append(Gap("the risks and barriers the partnership faces"))
    out += [Heading("Risk appetite", 2), or_gap(r.risk_appetite, "how much risk the partners will take")]
    return out


def checklist_section(r: Record) -> list[Block]:
    jw = r.checklist
    out: list[Block] = [Heading("Joint-working checklist"), Para(r.disclaimer, "note")]
    out.append(Para(f"Guidance for {r.nation}: " + "; ".join(r.nation_sources) + "."))
    out.append(Para(jw.verdict(), "label"))
    out.append(Table(["Item", "Must pass", "Status", "Owner"],
                     [[i.text + (f" ({i.why_not})" if i.why_not else "") + f"\nSource: {i.source}",
                       "Must pass" if i.must else "Advisory", STATUS_LABELS[i.status],
                       "" if i.status == MET else i.owner or "Not agreed at the workshop"]
                      for i in jw.items], [5, 1.3, 1.4, 2]))
    unmet = [f"{i.text} — owner: {i.owner or 'not agreed at the workshop'}" for i in jw.items if i.status != MET]
    if unmet:
        out += [Heading("Still to do before the work starts", 2), Items(unmet, numbered=True)]
    return out


def decisions_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Decisions and actions"), Heading("Decisions", 2)]
    out.append(Items([d + (f" ({owner})" if owner else "") for d, owner, _s in r.decisions], numbered=True)
               if r.decisions else Gap("any decision recorded as such"))
    out.append(Heading("Actions", 2))
    out.append(Table(["Action", "Owner", "Due", "Status"],
                     [[w, o or "Not named", d or "No date", s] for w, o, d, s in r.actions], [5, 2, 1.4, 1])
               if r.actions else Gap("actions with owners and dates"))
    return out


def glossary_section(r: Record) -> list[Block]:
    out: list[Block] = [Heading("Common language")]
    out.append(Table(["Term", "What the partners mean by it"], [[t, m] for t, m in r.glossary], [2, 6])
               if r.glossary else Gap("shared definitions of the words the partners use"))
    return out


def pid_document(r: Record) -> Document:
    blocks: list[Block] = [
        Para("This draft was written from what the partners recorded at the workshop. Review every section, "
             "fill in what says “Not agreed at the workshop”, and agree the final text before it is signed.",
             "note"),
        Heading("Document control"), *document_control(r),
        *partners_section(r), *ambition_section(r), *scope_section(r), *contribution_section(r),
        *governance_section(r), *pilots_section(r), *evaluation_section(r), *risks_section(r),
        *checklist_section(r), *decisions_section(r), *glossary_section(r),
    ]
    return Document(title=f"{r.title}: project initiation document", subtitle="Draft from the workshop",
                    blocks=blocks, draft="DRAFT — for the partners to review",
                    subject="Project initiation document (draft)",
                    keywords="value-based partnership; joint working; PID")
