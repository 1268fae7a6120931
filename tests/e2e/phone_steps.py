"""What a person does on the phone page, shared by the phone tests: join, answer each kind, and
screenshots for the README when VBP_SCREENSHOTS names a folder (tools/screenshots.sh)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from vbp_workshop.core.polls import queries
from vbp_workshop.core.polls.kinds import ORDER

from .conftest import Room

SHOTS = os.environ.get("VBP_SCREENSHOTS", "")
KINDS = ORDER  # every kind the app knows: a new kind needs its answer() step below


def shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")  # a full-page shot draws sticky parts where they are now
    page.screenshot(path=str(folder / f"phone-{name}.png"), full_page=True)


def join(page: Any, room: Room, tmp_path: Path | None = None, group: str = "provider",
         base: str = "") -> None:
    page.goto(f"{base or room.base}/?c={room.code}")
    page.wait_for_selector("#join:not([hidden])")
    assert page.input_value("#code") == room.code  # the QR code's address fills the code in
    page.select_option("#group", group)
    if tmp_path is not None:
        shot(page, "join", tmp_path)
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector("#wait:not([hidden]), #poll:not([hidden])")


def open_kind(page: Any, room: Room, kind: str) -> Any:
    """Open the demo's first poll of this kind and wait until the phone shows it."""
    pid = room.open(kind)
    poll = queries.get_poll(room.store, pid)
    page.wait_for_function("q => !document.getElementById('poll').hidden && "
                           "document.getElementById('question').textContent === q", arg=poll.question)
    return poll


def answer(page: Any, kind: str, poll: Any) -> None:
    form = page.locator("#answer")
    if kind == "single":
        form.locator("label.choice").nth(1).click()
    elif kind == "multiple":
        form.locator("label.choice").nth(0).click()
        form.locator("label.choice").nth(2).click()
    elif kind == "agreement":
        for i in range(len(poll.options)):
            form.locator(".item").nth(i).locator("button", has_text="4").click()
    elif kind in ("scale", "fist"):
        form.locator(".scale button", has_text="4").first.click()
    elif kind == "ranking":
        page.get_by_label(f"Move down: {poll.options[0]}").click()
    elif kind == "points":
        plus = page.get_by_label(f"One point more: {poll.options[1]}")
        for _ in range(3):
            plus.click()
        assert "7 of 10 points left" in page.inner_text(".budget")
    elif kind in ("matrix", "importance"):
        for i in range(len(poll.options)):
            rows = form.locator(".item").nth(i).locator(".scale")
            rows.nth(0).locator("button", has_text="2").click()
            rows.nth(1).locator("button", has_text="5").click()
    elif kind == "text":
        page.fill("#text-answer", "Patients <b>know</b> their numbers")
    elif kind == "number":
        page.fill("#number-answer", "12.5")
    else:
        raise AssertionError(f"no phone step for the poll kind {kind!r}")


def my_ballots(room: Room, poll: Any) -> list[dict[str, Any]]:
    """The ballots of the device that joined last (the phone under test)."""
    me = room.store.rows("devices", order="id")[-1]["pseudonym"]
    return [b for b in queries.ballots(room.store, poll.id, poll.round) if b["voter"] == me]
