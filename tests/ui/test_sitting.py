"""The sitting phones keep their answers under (issue 20, item 1), from the real window.

The vote server runs in its own process: the workshop's id (from the file) and the sitting (made
when voting starts afresh in this window) must reach the phones through it; a break in the same
sitting (voting stopped and started again) keeps the sitting, so an answer a phone still holds
goes when voting is back (issue 24, item 4).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from vbp_workshop.core.file.schema import workshop_uid
from vbp_workshop.ui.main_window import MainWindow


def phone_state(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "api/state", timeout=10) as r:
        out: dict[str, Any] = json.loads(r.read())
        return out


def test_phones_hear_the_workshop_and_one_sitting_across_a_break(demo_window: MainWindow) -> None:
    session, room = demo_window.session, demo_window.view.room
    before = session.live.sitting
    url = room.start_voting("127.0.0.1", host="127.0.0.1", port=0)
    try:
        sitting = session.live.sitting
        assert sitting != before  # voting started afresh: a new sitting
        said = phone_state(url)
        assert (said["workshop"], said["sitting"]) == (workshop_uid(session.store.conn), sitting)
        assert said["workshop"]
        room.stop_voting()
        url = room.start_voting("127.0.0.1", host="127.0.0.1", port=0)  # a break in the same sitting
        assert phone_state(url)["sitting"] == session.live.sitting == sitting
    finally:
        room.stop_voting()
