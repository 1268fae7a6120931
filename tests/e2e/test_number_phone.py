"""A number poll on a real phone page (Debian's Chromium) through the real vote server: the
estimate typed with its unit and range shown, bad numbers explained before and after sending,
the vote stored in its canonical form, and the revealed median on the phone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vbp_workshop.core.operations.live import close_poll, reveal
from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds.number import number_text

from .conftest import Room
from .phone_steps import join, my_ballots, open_kind

pytestmark = pytest.mark.browser


def test_a_phone_votes_on_a_number_poll(room: Room, phone: Any) -> None:
    join(phone, room)
    poll = open_kind(phone, room, "number")
    lo, hi = poll.scale_range
    unit = poll.settings["unit"]
    before = queries.round_tally(room.store, poll).respondents
    field = phone.get_by_label(f"Your estimate ({unit})")  # labelled, with its unit
    assert field.get_attribute("inputmode") == "decimal"
    assert phone.inner_text("#number-help") == f"A number from {lo} to {hi} {unit}, with at most one decimal place."
    # Typing: each mistake is named at once, and the field says it is invalid.
    off_range = f"Enter a number from {lo} to {hi}."
    for typed, message in (("12.34", "Use at most one decimal place."), (str(hi + 1), off_range),
                           ("lots", "Enter a number, like 12 or 12.5."), ("-1", off_range)):
        field.fill(typed)
        assert phone.inner_text("#number-error") == message, typed
        assert field.get_attribute("aria-invalid") == "true"
        phone.click("#send")
        assert phone.inner_text("#status") == message  # sending says why not, and sends nothing
    assert my_ballots(room, poll) == []

    # A page that sends what no honest page sends (NaN) gets the laptop's own words back.
    def tamper(route: Any) -> None:
        body = (route.request.post_data or "{}").replace('"answer":12', '"answer":NaN')
        route.continue_(post_data=body)

    phone.route("**/api/vote", tamper)
    field.fill("12")
    assert field.get_attribute("aria-invalid") == "false" and phone.inner_text("#number-error") == ""
    phone.click("#send")
    phone.wait_for_selector("#status.bad")
    assert phone.inner_text("#status") == "Enter a number."
    assert my_ballots(room, poll) == []
    phone.unroute("**/api/vote")

    field.fill("12,5")  # a decimal comma is read as a point
    field.press("Enter")  # Enter sends (the page does not reload)
    phone.wait_for_selector("#status.ok")
    assert [b["answer"] for b in my_ballots(room, poll)] == ["12.5"]
    assert json.loads(my_ballots(room, poll)[0]["answer"]) == 12.5
    t = queries.round_tally(room.store, poll)
    assert t.respondents == before + 1

    close_poll(room.store, room.live, poll.id)
    reveal(room.store, room.live, poll.id, True)
    phone.wait_for_selector("#result:not([hidden])")
    shown = phone.inner_text("#result")
    assert f"Median {number_text(t.median)} {unit}" in shown
    for lo_hi, _pct in queries.public_result(poll, t)["bars"]:
        assert lo_hi in shown  # the histogram's ranges
