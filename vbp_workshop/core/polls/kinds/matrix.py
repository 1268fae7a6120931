"""2×2 matrix: each person places each item on two scales (effort across, impact up, by default)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from vbp_workshop.core.model.poll import BallotError, Poll, PollKind
from vbp_workshop.core.model.tally import Ballot, Tally
from vbp_workshop.core.polls.kinds.base import answer_of, keyed, level, option_name, value_pairs, weight, wmean, wstdev


class Matrix(PollKind):
    name = "matrix"
    label = "2×2 matrix"
    fewest_options = 1
    editor_fields = frozenset({"x_label", "y_label"})
    hand_form = "placing"
    hand_hint = "Place each item where the group agreed, and say how many people that was."
    group_measure = "mean impact (y)"
    # How the raw-votes sheet names the two values of an answer, and whether the results table
    # adds the gap between them.
    readable_axes: ClassVar[tuple[str, str]] = ("x", "y")
    gap_column: ClassVar[bool] = False

    def axes(self, poll: Poll) -> tuple[str, str]:
        return (str(poll.settings.get("x_label", "Effort")), str(poll.settings.get("y_label", "Impact")))

    def scale_range(self, poll: Poll) -> tuple[int, int]:
        return (int(poll.settings.get("min", 1)), int(poll.settings.get("max", 5)))

    def validate(self, poll: Poll, answer: Any, hand: bool) -> Any:
        lo, hi = self.scale_range(poll)
        out = {}
        for k, v in sorted(keyed(answer, len(poll.options)).items()):
            if not isinstance(v, list) or len(v) != 2:
                raise BallotError("Each item needs two values.")
            out[str(k)] = [level(v[0], lo, hi), level(v[1], lo, hi)]
        return out

    def tally(self, poll: Poll, ballots: Sequence[Ballot], t: Tally) -> None:
        n = len(poll.options)
        xs: list[list[tuple[float, float]]] = [[] for _ in range(n)]
        ys: list[list[tuple[float, float]]] = [[] for _ in range(n)]
        for b in ballots:
            w = weight(b)
            for k, (x, y) in answer_of(b).items():
                xs[int(k)].append((float(x), w))
                ys[int(k)].append((float(y), w))
        pts: list[tuple[float, float] | None] = []
        spreads: list[float | None] = []
        for i in range(n):
            mx, my = wmean(xs[i]), wmean(ys[i])
            pts.append((mx, my) if mx is not None and my is not None else None)
            sx, sy = wstdev(xs[i]), wstdev(ys[i])
            spreads.append(max(sx or 0.0, sy or 0.0) if xs[i] else None)
        t.points = pts
        t.spreads = spreads

    def headline(self, t: Tally) -> str:
        placed = [(p[1] - p[0], i) for i, p in enumerate(t.points) if p]
        if not placed:
            return ""
        _, i = max(placed)  # most impact for least effort
        return f"Best impact for effort: {t.labels[i]}"

    def profile(self, t: Tally, poll: Poll) -> list[float]:
        lo, hi = self.scale_range(poll)
        span = (hi - lo) or 1
        out: list[float] = []
        for p in t.points:
            out.extend([(p[0] - lo) / span, (p[1] - lo) / span] if p else [0.5, 0.5])
        return out

    def public(self, poll: Poll) -> dict[str, Any]:
        x, y = self.axes(poll)
        return {"x_label": x, "y_label": y}

    def result(self, poll: Poll, t: Tally) -> dict[str, Any]:
        return {"points": [[lbl, p] for lbl, p in zip(t.labels, t.points, strict=False)]}

    def readable(self, poll: Poll, answer: Any) -> str:
        a, b = self.readable_axes
        return "; ".join(f"{option_name(poll, i)}: {a}={v[0]}, {b}={v[1]}" for i, v in answer.items())

    def item_labels(self, poll: Poll) -> list[str]:
        x_label, y_label = self.axes(poll)
        return [f"{o} ({a.lower()})" for o in poll.options for a in (x_label, y_label)]

    def item_values(self, poll: Poll, t: Tally) -> list[float | None]:
        return [v for p in t.points for v in (p if p else (None, None))]

    def sector_measure(self, poll: Poll) -> str:
        lo, hi = self.scale_range(poll)
        return f"mean {lo}–{hi}"

    def rated(self, poll: Poll, ballots: Sequence[Ballot]) -> list[list[tuple[float, float]]]:
        xs: list[list[tuple[float, float]]] = [[] for _ in poll.options]
        ys: list[list[tuple[float, float]]] = [[] for _ in poll.options]
        for b in ballots:
            w = weight(b)
            for k, (x, y) in answer_of(b).items():
                xs[int(k)].append((float(x), w))
                ys[int(k)].append((float(y), w))
        return [value_pairs(v) for px, py in zip(xs, ys, strict=True) for v in (px, py)]

    def scores(self, poll: Poll, t: Tally) -> list[float]:
        n = len(poll.options) or 1  # impact high and effort low: y minus x
        return [(p[1] - p[0]) if p else float("-inf") for p in (t.points + [None] * n)[:n]]

    def group_values(self, t: Tally, poll: Poll) -> list[float | None]:
        return [p[1] if p else None for p in t.points]

    def group_axis_title(self, poll: Poll) -> str:
        return f"mean {str(poll.settings.get('y_label', 'impact')).lower()}"


KIND = Matrix()
