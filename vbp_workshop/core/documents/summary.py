"""The executive summary: the one-to-two-page public account of the agreement, made public
before the work starts. It says DRAFT on every page until every party's consent to publish is
recorded (and while the parties themselves are not)."""

from __future__ import annotations

from vbp_workshop.core.documents.blocks import Block, Document, Facts, Gap, Heading, Items, Para
from vbp_workshop.core.documents.record import Record


def summary_document(r: Record) -> Document:
    ready, why = r.publish_ready()
    blocks: list[Block] = []
    if not ready:
        blocks.append(Para(f"DRAFT — not for publication: {why}.", "draft"))
    w = r.workshop
    pathway = str(w.get("pathway") or "")
    blocks += [Heading("Purpose")]
    if r.ambition:
        blocks.append(Para(r.ambition, "lead"))
        if pathway:
            blocks.append(Para(f"The partnership works on: {pathway}."))
    else:
        blocks.append(Gap("the shared ambition"))
    blocks.append(Heading("The partners"))
    if r.parties:
        blocks.append(Para("Parties to the written agreement:"))
        blocks.append(Items([f"{p.name} ({p.kind})" for p in r.parties]))
        others = [p for p in r.partners if not p.party]
        if others:
            blocks += [Para("Also working with the partnership:"), Items([f"{p.name} ({p.kind})" for p in others])]
    elif r.partners:
        blocks.append(Items([f"{p.name} ({p.kind})" for p in r.partners]))
        blocks.append(Gap("which of these partners are parties to the written agreement"))
    else:
        blocks.append(Gap("who the partners are"))
    brings = [f"{p.name}: " + ", ".join(k for k, v in p.contribution.items() if v) for p in r.partners
              if any(p.contribution.values())]
    blocks.append(Heading("What each partner brings"))
    blocks.append(Items(brings) if brings else Gap("what each partner contributes"))
    blocks.append(Heading("What the partnership will do"))
    chosen = [p for p in r.pilots if p.chosen]
    if chosen:
        blocks.append(Items([p.name + (f". Success means: {p.success}" if p.success else "") for p in chosen],
                            numbered=True))
    else:
        blocks.append(Gap("which pilots to run"))
    if r.scope or r.boundaries:
        blocks.append(Facts([("In scope", r.scope or "Not agreed at the workshop"),
                             ("Out of scope", r.boundaries or "Not agreed at the workshop")]))
    blocks.append(Heading("How success is measured"))
    metrics = [m for p in chosen for m in p.metrics]
    blocks.append(Items([m.name + (f": from {m.baseline} to {m.target}" if m.baseline and m.target else "")
                         for m in metrics]) if metrics else Gap("the measures of success"))
    blocks.append(Heading("How the partnership is run"))
    governance = []
    if r.decision_rules:
        governance.append(("Decisions", r.decision_rules))
    for (area, text, _consent), key in zip(r.rules, r.rule_keys, strict=True):
        if key in ("data", "ig", "publication", "funding", "coi", "exit"):
            governance.append((area, text))
    blocks.append(Facts(governance) if governance else Gap("how the partnership makes decisions and handles data"))
    blocks.append(Heading("Timeline"))
    blocks.append(Facts([(d or "No date", what) for what, d in r.milestones]) if r.milestones
                  else Gap("the timeline"))
    blocks.append(Para("Joint working between the NHS and industry is open, transparent and prospective: this "
                       "summary is published before the work starts. It endorses no product.", "note"))
    subtitle = f"From the workshop of {w['date']}" if w.get("date") else "From the workshop"
    return Document(title=f"{r.title}: executive summary", subtitle=subtitle, blocks=blocks,
                    draft="" if ready else "DRAFT — not for publication", subject="Executive summary",
                    keywords="value-based partnership; joint working; executive summary")
