"""Step 2: is investment balanced? Each partner's share against an equal share.

The rule, in the one sentence the guide gives: with n partners an equal share is 1/n of all
contributions; a partner is flagged when its share is more than half as large again as that
(over 1.5/n: it carries the partnership) or less than half of it (under 0.5/n: it brings too
little), and the whole partnership's concentration is the normalised Herfindahl–Hirschman index,
0 when every share is equal and 1 when one partner brings everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.domain import RESOURCES

TOLERANCE = 0.5  # a share may differ from the equal share by this fraction of it


@dataclass(frozen=True)
class Balance:
    shares: dict[str, float]  # partner name -> share of the total investment (0..1)
    balanced: bool
    message: str
    equal: float = 0.0  # the equal share, 1/n
    over: list[str] = field(default_factory=list)  # partners above (1 + TOLERANCE) x equal
    under: list[str] = field(default_factory=list)  # partners below (1 - TOLERANCE) x equal
    concentration: float = 0.0  # normalised HHI, 0 (equal) .. 1 (one partner brings all)


def concentration(shares: list[float]) -> float:
    """Normalised Herfindahl–Hirschman index: (sum of squared shares - 1/n) / (1 - 1/n)."""
    n = len(shares)
    if n < 2:
        return 0.0
    hhi = sum(s * s for s in shares)
    return max(0.0, (hhi - 1 / n) / (1 - 1 / n))


def judge(totals: dict[str, float]) -> Balance:
    """The balance of partner name -> total contribution (any unit: levels, money, hours)."""
    grand = sum(totals.values())
    if len(totals) < 2 or grand <= 0:
        return Balance({}, True, "Record what each partner brings to see whether it is balanced.")
    shares = {name: v / grand for name, v in totals.items()}
    equal = 1 / len(shares)
    over = [n for n, s in shares.items() if s > equal * (1 + TOLERANCE) + 1e-12]
    under = [n for n, s in shares.items() if s < equal * (1 - TOLERANCE) - 1e-12]
    hhi = concentration(list(shares.values()))
    rule = (f"an equal share is {equal:.0%}, flagged above {equal * (1 + TOLERANCE):.0%} or below "
            f"{equal * (1 - TOLERANCE):.0%}; concentration {hhi:.2f}")
    if not over and not under:
        return Balance(shares, True, f"Balanced: every partner is near an equal share ({rule}).",
                       equal, over, under, hhi)
    parts = [f"{n} carries {shares[n]:.0%}" for n in over] + [f"{n} brings {_little(shares[n])}" for n in under]
    return Balance(shares, False, f"Unbalanced: {'; '.join(parts)} ({rule}).", equal, over, under, hhi)


def _little(share: float) -> str:
    return "nothing" if share == 0 else f"only {share:.0%}"


def investment_balance(store: Store) -> Balance:
    partners = {p["id"]: p["name"] for p in store.rows("partners")}
    totals = dict.fromkeys(partners, 0)
    for c in store.rows("contributions"):
        if c["partner_id"] in totals and c["resource"] in RESOURCES:
            totals[c["partner_id"]] += int(c["level"] or 0)
    return judge({partners[i]: float(v) for i, v in totals.items()})
