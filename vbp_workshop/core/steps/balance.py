"""Step 2: is what the partners bring balanced? Judged per resource and per partner's role.

A partnership is not balanced when every partner brings the same amount: a patient
organisation brings time and lived experience, not money; a company can fund and analyse; an
NHS body brings its data, clinicians' time and the pathway. Comparing each partner's share with
1/n shamed a small partner for its size (the demo once read "the patient network brings only
7 %" while the shares were near equal). So the levels recorded at the workshop (0 none to
3 major, per partner and resource: what each partner commits) are judged per resource:

- a resource nobody brings is a gap for the room to close;
- a resource that rests on one partner alone is a dependency to plan for (it leaves when they do);
- a partner with nothing recorded for a resource its role usually brings (`EXPECTED`) is a
  question to ask, never a verdict on its size.

The partnership is *balanced* when no resource is missing and every partner brings at least one
of the resources its role usually brings. Each partner's share of all that is brought and the
concentration index (normalised Herfindahl–Hirschman, 0 = equal, 1 = one partner brings all)
stay as information, not as a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import RESOURCES, SECTOR_OF

# What a partner of each sector usually brings (the guide's examples: patients' time and lived
# experience; industry's funding and analytical skills; the NHS's data, time and pathway).
EXPECTED: dict[str, tuple[str, ...]] = {
    "nhs": ("time", "data", "skills"),
    "industry": ("time", "money", "skills"),
    "patients": ("time", "skills"),
    "wider": ("time", "skills"),
}
ROLE_WORDS: dict[str, str] = {"nhs": "an NHS body", "industry": "a company", "patients": "a patient organisation",
                              "wider": "an academic, policy or voluntary partner"}


@dataclass(frozen=True)
class Balance:
    shares: dict[str, float]  # partner name -> share of all that is brought (0..1): information
    balanced: bool
    message: str
    missing: list[str] = field(default_factory=list)  # resources no partner brings
    single: dict[str, str] = field(default_factory=dict)  # resource -> the one partner that brings it
    to_ask: list[tuple[str, str]] = field(default_factory=list)  # (partner, resource its role usually brings)
    idle: list[str] = field(default_factory=list)  # partners bringing none of what their role usually brings
    concentration: float = 0.0  # normalised HHI of the shares, 0 (equal) .. 1 (one partner brings all)


def concentration(shares: list[float]) -> float:
    """Normalised Herfindahl–Hirschman index: (sum of squared shares - 1/n) / (1 - 1/n)."""
    n = len(shares)
    if n < 2:
        return 0.0
    hhi = sum(s * s for s in shares)
    return max(0.0, (hhi - 1 / n) / (1 - 1 / n))


def judge(levels: dict[str, dict[str, int]], sectors: dict[str, str] | None = None) -> Balance:
    """The balance of partner name -> {resource: level 0..3}; `sectors` gives each partner's
    sector (nhs, industry, patients, wider; a partner not given is read as "wider")."""
    sectors = sectors or {}
    totals = {name: float(sum(v.get(r, 0) for r in RESOURCES)) for name, v in levels.items()}
    grand = sum(totals.values())
    if len(levels) < 2 or grand <= 0:
        return Balance({}, True, "Record what each partner brings to see whether it is balanced.")
    shares = {name: v / grand for name, v in totals.items()}
    missing = [r for r in RESOURCES if not any(v.get(r, 0) for v in levels.values())]
    single = {}
    for r in RESOURCES:
        carriers = [name for name, v in levels.items() if v.get(r, 0)]
        if len(carriers) == 1:
            single[r] = carriers[0]
    to_ask, idle = [], []
    for name, v in levels.items():
        expected = EXPECTED.get(sectors.get(name, "wider"), EXPECTED["wider"])
        gaps = [r for r in expected if not v.get(r, 0)]
        to_ask += [(name, r) for r in gaps if r not in missing]
        if len(gaps) == len(expected):
            idle.append(name)
    hhi = concentration(list(shares.values()))
    parts = []
    if missing:
        parts.append(f"nobody brings {_join(missing)} yet")
    parts += [f"{r} rests on {name} alone" for r, name in single.items()]
    for name in idle:
        parts.append(f"nothing is recorded yet for {name} in what {ROLE_WORDS[sectors.get(name, 'wider')]} "
                     f"usually brings ({_join(list(EXPECTED[sectors.get(name, 'wider')]))})")
    if not parts:
        return Balance(shares, True, "Balanced: every resource is brought, and every partner brings some of what "
                       "its role usually brings.", missing, single, to_ask, idle, hhi)
    balanced = not missing and not idle
    lead = "Balanced, with a dependency to plan for" if balanced else "To discuss"
    return Balance(shares, balanced, f"{lead}: {'; '.join(parts)}.", missing, single, to_ask, idle, hhi)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def investment_balance(store: Store) -> Balance:
    partners = {p["id"]: p for p in store.rows("partners")}
    levels: dict[str, dict[str, int]] = {p["name"]: {} for p in partners.values()}
    for c in store.rows("contributions"):
        p = partners.get(c["partner_id"])
        if p is not None and c["resource"] in RESOURCES:
            levels[p["name"]][c["resource"]] = int(c["level"] or 0)
    sectors = {p["name"]: SECTOR_OF.get(p["stakeholder"], "wider") for p in partners.values()}
    return judge(levels, sectors)
