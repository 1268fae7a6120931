"""A phone that is connected sends what it holds at once (issue 24, item 4), in real Chromium.

In the room: voting was stopped, three phones pressed Send, voting started again about 10 s
later, and two phones showed "Connected" beside "Not sent yet… goes as soon as the connection is
back" for over a minute; their answers arrived only when Reveal was pressed. The page's resend
trigger did nothing while a delivery was on its way, so a phone whose event stream came back
during the delivery's last wait never sent again until the next state change.

The page's random spread is pinned to its longest waits here, so the timeline is the same on
every run: the delivery's five attempts fail while the laptop is away, voting starts again during
the last wait, and the stream reconnects before that wait ends. Nothing else happens: no new
question, no reveal, no touch on the phone.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from vbp_workshop.core.polls import queries
from vbp_workshop.server.runner import VoteServer

from .conftest import Room
from .phone_steps import join, my_ballots, open_kind

pytestmark = pytest.mark.browser

# The longest wait each time, and a count of the ballots the page tries to send.
LONGEST_WAITS = """
Math.random = () => 0.999;
window.__voteTries = 0;
const realFetch = window.fetch;
window.fetch = function (url, options) {
  if (String(url).endsWith("/api/vote")) window.__voteTries++;
  return realFetch.apply(this, arguments);
};
"""


def restart(room: Room, port: int) -> None:
    """Start voting again, on the same address (the phones keep the page they have)."""
    server = VoteServer(room.live, room.writer, room.store.path, host="127.0.0.1", port=port)
    server.start()
    assert server.port == port
    room.server = server


def test_a_held_answer_goes_within_seconds_of_voting_starting_again(room: Room, phone: Any) -> None:
    phone.add_init_script(LONGEST_WAITS)
    join(phone, room)
    poll = open_kind(phone, room, "single")
    phone.wait_for_function("() => document.getElementById('conn').textContent === 'Connected'")
    port = room.server.port
    room.server.stop()  # the facilitator stops voting ...
    phone.wait_for_function("() => document.getElementById('conn').textContent.startsWith('Reconnecting')")
    phone.locator("label.choice").nth(1).click()
    phone.click("#send")  # ... as the participant taps Send
    # Every attempt fails while the laptop is away; the fifth is followed by the last wait (8.4 s).
    phone.wait_for_function("() => window.__voteTries >= 5", timeout=30000)
    assert phone.evaluate("() => window.__voteTries") == 5
    assert not my_ballots(room, poll)
    restart(room, port)  # voting starts again
    started = time.monotonic()
    phone.wait_for_function("() => document.getElementById('status').textContent.includes('recorded')",
                            timeout=12000)
    took = time.monotonic() - started
    assert [b["answer"] for b in my_ballots(room, poll)] == ["1"]
    assert phone.inner_text("#conn") == "Connected"
    assert took < 10, f"the held answer went {took:.1f} s after voting started again"
    assert queries.get_poll(room.store, poll.id).is_open  # it went with the poll as it was: no reveal, no close
