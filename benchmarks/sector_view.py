"""What the sector split and the spread line add to a redraw, against the tally the screen makes anyway.

Per drain of the vote feed, the projector and the poll panel tally the round (baseline); with the
sector split on they also tally per sector, and beside a plain result they compute each item's
spread (polarisation, blockers, small n). Both read the session's parsed ballots, as on screen.
The round result (`polls.round_result`: the tally, each group counted once, the spreads and their
lines; a split is added when first drawn) is what the session computes once per change of the ballots.
Prints milliseconds per call and the ratio to the baseline, measured in the same run.

    python benchmarks/sector_view.py [--voters 500] [--repeat 200]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.polls.round_result import round_result
from vbp_workshop.core.polls.sectors import group_ballots_in_sectors
from vbp_workshop.core.polls.spreads import item_spreads
from vbp_workshop.core.polls.tally import tally, tally_by_sector

GROUPS = ["provider", "payer", "clinician", "pharma", "medtech", "patient", "policy", ""]


def ballots(kind: str, n: int, items: int) -> list[dict[str, Any]]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        if kind == "agreement":
            answer: Any = {str(k): rng.randint(1, 5) for k in range(items)}
        else:
            answer = {str(k): [rng.randint(1, 5), rng.randint(1, 5)] for k in range(items)}
        out.append({"id": i, "parsed": answer, "answer": "", "grp": GROUPS[i % len(GROUPS)], "weight": 1})
    return out


def per_call(f: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        f()
    return 1000 * (time.perf_counter() - start) / repeat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--voters", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    for kind, items in (("agreement", 8), ("importance", 6)):
        poll = Poll(1, kind, "Q", tuple(f"item {k}" for k in range(items)), {}, state="open", revealed=True)
        bs = ballots(kind, args.voters, items)
        base = per_call(lambda p=poll, b=bs: tally(p, b), args.repeat)
        sectors = per_call(lambda p=poll, b=bs: tally_by_sector(p, b, 3), args.repeat)
        groups = per_call(lambda b=bs: group_ballots_in_sectors(b, 3), args.repeat)
        spread = per_call(lambda p=poll, b=bs: item_spreads(p, b), args.repeat)
        whole = per_call(lambda p=poll, b=bs: round_result(p, b, 3), args.repeat)
        print(f"{kind:10} {args.voters} voters, {items} items: tally (baseline) {base:.2f} ms · "
              f"by sector {sectors:.2f} ms ({sectors / base:.1f}x) · group merge {groups:.2f} ms "
              f"({groups / base:.2f}x) · spreads {spread:.2f} ms ({spread / base:.1f}x) · "
              f"whole round result {whole:.2f} ms ({whole / base:.1f}x)")


if __name__ == "__main__":
    main()
