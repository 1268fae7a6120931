"""The phone page shows the statement a consent (fist-to-five) poll asks consent to (issue 24
item 7): Chromium on the real vote server, the demo's step 1 poll ("How strongly can you support
the chosen ambition statement?") with the chosen ambition under it."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.phone_steps import join, shot
from tests.server.conftest import Room
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries


def test_the_phone_shows_the_statement_under_the_question(room: Room, phone, tmp_path: Path) -> None:
    pid = next(p.id for p in queries.polls(room.store) if p.kind == "fist" and p.step == 1)
    chosen = room.store.find("ambitions", chosen=1)[0]["text"]
    join(phone, room)
    open_poll(room.store, room.live, pid)
    phone.wait_for_selector("#poll:not([hidden])")
    assert phone.inner_text("#statement") == chosen
    # It reads before the answer buttons, and within the form the question names.
    assert phone.evaluate("() => document.getElementById('answer').firstElementChild.id") == "statement"
    phone.locator(".scale button", has_text="4").first.click()
    phone.click("#send")
    phone.wait_for_function("() => document.getElementById('status').textContent.includes('recorded')")
    shot(phone, "consent-statement", tmp_path)
