"""Result figures never wrap (issue 20, item 5), for every result kind, at 320 and 390 px.

The page's body lets long words break anywhere (overflow-wrap:anywhere), which once let a
percentage beside a long label shrink to one character a line ("6 / 7 / %"). Every kind the
registry knows is revealed on a real phone-sized Chromium page with long labels (one a single
long word), and each figure's box is measured: one line, the whole text visible, on the screen.
"""

from __future__ import annotations

import dataclasses
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds import ORDER
from vbp_workshop.core.polls.tally import tally

from .conftest import Room, new_phone
from .phone_steps import join

pytestmark = pytest.mark.browser

LONG = ("Interprofessionalcollaborationagreementsbetweenpartners",  # one word, longer than the screen
        "Every eligible patient in Northbridge is on guideline lipid therapy within 90 days of an event",
        "Shared data", "A fourth option whose words run on and on across the phone's whole width and more")

# Each figure: how many line boxes its text makes, whether any of it is cut off, where it sits.
MEASURE = """() => Array.from(document.querySelectorAll('#result .figure')).map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  const box = el.getBoundingClientRect();
  return { text: el.textContent, lines: lines.size, cut: el.scrollWidth > el.clientWidth + 1,
           left: box.left, right: box.right, height: box.height,
           lineHeight: parseFloat(getComputedStyle(el).lineHeight) || 20, width: window.innerWidth };
})"""


def long_result(room: Room, kind: str) -> tuple[queries.Poll, dict[str, Any]]:
    """The demo's poll of this kind with long option labels, and its result as phones see it."""
    poll = next(p for p in queries.polls(room.store) if p.kind == kind)
    if poll.options:
        labels = (LONG * 10)[:len(poll.options)]
        poll = dataclasses.replace(poll, options=tuple(labels))
    ballots = queries.ballots(room.store, poll.id, poll.round)
    return poll, queries.public_result(poll, tally(poll, ballots))


def js_fixed(x: float) -> str:
    """As the page writes a mean (toFixed(1): halves away from zero)."""
    return str(Decimal(repr(x)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def expected_figures(result: dict[str, Any]) -> list[str]:
    out = [f"{math.floor(pct + 0.5)}%" for _label, pct in result.get("bars", [])]  # Math.round
    out += [f"{js_fixed(pt[0])} / {js_fixed(pt[1])}" for _label, pt in result.get("points", []) if pt]
    out += [f"({n})" for _word, n in result.get("words", [])]
    return out


@pytest.mark.parametrize("width", [320, 390])
def test_every_kinds_result_figures_stay_on_one_line(room: Room, browser: Any, width: int) -> None:
    phone = new_phone(browser, width=width, height=844)
    try:
        join(phone, room)
        seen = set()
        for kind in ORDER:
            poll, result = long_result(room, kind)
            figures = expected_figures(result)
            assert figures, f"the demo's {kind} poll has no result to show"
            room.live.show_result(poll.id, result)
            phone.wait_for_function("n => document.querySelectorAll('#result .figure').length === n "
                                    "&& !document.getElementById('result').hidden", arg=len(figures))
            boxes = phone.evaluate(MEASURE)
            assert [b["text"] for b in boxes] == figures, kind
            for b in boxes:
                where = f"{kind} at {width} px: {b}"
                assert b["lines"] == 1, where
                assert b["height"] < 1.6 * b["lineHeight"], where
                assert not b["cut"], where
                assert b["left"] >= 0 and b["right"] <= b["width"], where
            assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), kind
            seen.add(result.get("kind"))
        assert seen == set(ORDER)
    finally:
        phone.context.close()
