"""WCAG 2.2 AA on the phone page in Debian's Chromium: axe-core finds no violation on the join page
and on every poll kind, and the criteria axe cannot judge alone are measured here: accessible names
hold the visible labels, focus after joining, announcements, contrast of focus rings and control
edges from computed styles, disabled controls, and no sideways scrolling at 320 CSS px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from vbp_workshop.core.operations.live import close_poll, open_poll, reveal
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.polls import queries

from .conftest import Room, new_phone
from .phone_steps import KINDS, answer, join, open_kind, shot

pytestmark = pytest.mark.browser
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# 2.5.3 Label in Name is "experimental" in axe, so it is switched on by name.
AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags},
  rules: {'label-content-name-mismatch': {enabled: true}},
}).then(r => r.violations.map(v => v.id + ' (' + v.help + '): ' +
    v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary).join(' | ')))"""


def axe_violations(page: Any, axe_source: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)  # evaluated by the debugger protocol: the page's CSP stays on
    return list(page.evaluate(AXE_RUN, TAGS))


def test_axe_finds_no_violation_on_any_screen(room: Room, phone: Any, axe_source: str) -> None:
    found: dict[str, list[str]] = {}
    phone.goto(room.base + "/")
    phone.wait_for_selector("#join:not([hidden])")
    found["join"] = axe_violations(phone, axe_source)
    phone.fill("#code", "WRONG")
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.wait_for_function("() => document.getElementById('join-error').textContent.length > 0")
    found["join, wrong code"] = axe_violations(phone, axe_source)
    join(phone, room)
    found["waiting"] = axe_violations(phone, axe_source)
    for kind in KINDS:
        poll = open_kind(phone, room, kind)
        found[kind] = axe_violations(phone, axe_source)
        answer(phone, kind, poll)
        phone.click("#send")
        phone.wait_for_selector("#status.ok")
        found[kind + ", answered"] = axe_violations(phone, axe_source)
    close_poll(room.store, room.live, poll.id)
    reveal(room.store, room.live, poll.id, True)
    phone.wait_for_selector("#result:not([hidden])")
    found["result"] = axe_violations(phone, axe_source)
    assert {k: v for k, v in found.items() if v} == {}
    assert len(found) == 4 + 2 * len(KINDS)


def test_axe_catches_a_button_whose_name_hides_its_label(room: Room, phone: Any, axe_source: str) -> None:
    # The check above can fail: the agreement buttons as they were (visible "4", name "Agree").
    join(phone, room)
    open_kind(phone, room, "agreement")
    phone.evaluate("() => document.querySelector('#answer .scale button').setAttribute('aria-label', 'Agree')")
    assert any(v.startswith("label-content-name-mismatch") for v in axe_violations(phone, axe_source))


def accessible_name(locator: Any) -> str:
    """The name Chromium's accessibility tree gives the element."""
    snap = locator.aria_snapshot()
    m = re.match(r'- \w+ "((?:[^"\\]|\\.)*)"', snap)
    return m.group(1).replace('\\"', '"') if m else ""


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_every_button_name_contains_its_visible_label(room: Room, phone: Any) -> None:
    join(phone, room)
    checked = 0
    for kind in KINDS:
        open_kind(phone, room, kind)
        for button in phone.locator("#poll button:visible").all():
            visible = button.inner_text()
            if not re.search(r"\w", visible):
                continue  # arrows and +/−: symbols, not text labels (2.5.3 covers text)
            name = accessible_name(button)
            assert fold(visible) in fold(name), (kind, visible, name)
            checked += 1
    assert checked > 60
    # The agreement buttons say what each number means.
    open_kind(phone, room, "agreement")
    names = [accessible_name(b) for b in phone.locator("#answer .item").first.locator("button").all()]
    assert names == ["1 — Strongly disagree", "2 — Disagree", "3 — Neutral", "4 — Agree", "5 — Strongly agree"]


def announced(page: Any, text: str) -> None:
    page.wait_for_function("t => document.getElementById('announce').textContent === t", arg=text)


def test_focus_moves_to_the_question_after_joining_and_new_questions_are_announced(room: Room, browser: Any) -> None:
    # Joining while a question is open: focus lands on the question.
    pid = room.open("single")
    page = new_phone(browser)
    join(page, room)
    page.wait_for_function("() => document.activeElement.id === 'question'")
    assert page.inner_text("#question") == queries.get_poll(room.store, pid).question
    page.context.close()
    # Joining while nothing is open: focus lands on the waiting screen's heading.
    close_poll(room.store, room.live, pid)
    page = new_phone(browser)
    join(page, room)
    page.wait_for_function("() => document.activeElement.id === 'wait-title'")
    # A new question is announced in the polite live region.
    page.focus("#change-group")
    poll = open_kind(page, room, "scale")
    announced(page, "New question: " + poll.question)
    assert page.get_attribute("#announce", "aria-live") == "polite"
    # An update that keeps the same question does not steal the focus from the answer being built.
    page.locator(".scale button", has_text="7").click()
    assert page.evaluate("() => document.activeElement.textContent") == "7"
    page.evaluate("() => { window.__moves = []; document.addEventListener('focusin', "
                  "(e) => window.__moves.push(e.target.id || e.target.textContent)); }")
    drawn = page.evaluate("() => document.documentElement.dataset.version")
    again = next(p for p in room.live.open_polls() if p.id == poll.id)
    room.live.open_poll(again)  # the same question sent again: the phones get a change, the same poll
    page.wait_for_function(f"() => document.documentElement.dataset.version !== {drawn!r}")
    assert page.evaluate("() => document.activeElement.textContent") == "7"
    assert page.get_attribute(".scale button:has-text('7')", "aria-pressed") == "true"
    # Closing is announced. Updates arrive in order, so once the close is shown the update before
    # it was handled too: the only focus move is the one from the vanished form to the heading.
    close_poll(room.store, room.live, poll.id)
    announced(page, "Voting has closed")
    assert page.evaluate("() => window.__moves") == ["wait-title"]
    page.context.close()


def test_moving_an_item_in_a_ranking_is_announced(room: Room, phone: Any) -> None:
    join(phone, room)
    poll = open_kind(phone, room, "ranking")
    a, b = poll.options[0], poll.options[1]
    n = len(poll.options)
    phone.get_by_label(f"Move down: {a}").click()
    announced(phone, f"{a} moved to position 2 of {n}")
    focused = phone.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == f"Move down: {a}"
    phone.keyboard.press("Enter")  # the focus stayed on the moved item: keep going by keyboard
    announced(phone, f"{a} moved to position 3 of {n}")
    assert phone.get_by_label(f"Move up: {b}").is_disabled()  # b is at the top now
    phone.get_by_label(f"Move down: {b}").click()
    announced(phone, f"{b} moved to position 2 of {n}")


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# The focused element's ring and edge colours, and the background they are drawn on (the first
# opaque background among its ancestors: the ring sits outside the element, offset by 2 px).
STYLES = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const under = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const e = document.activeElement, s = getComputedStyle(e);
  const seen = window.__tabbed || (window.__tabbed = new WeakSet());
  const again = seen.has(e);
  seen.add(e);
  return {again, tag: e.tagName, id: e.id, name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 20),
    type: e.type || '', cls: e.className, outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
    outline: rgb(s.outlineColor).slice(0, 3), border: rgb(s.borderTopColor).slice(0, 3),
    borderWidth: parseFloat(s.borderTopWidth), fill: rgb(s.backgroundColor).slice(0, 3),
    outside: under(e.parentElement), pressed: e.getAttribute('aria-pressed')};
}"""


def tab_through(page: Any, limit: int = 80) -> list[dict[str, Any]]:
    """Press Tab through the page and read each focused control's styles, until focus comes round."""
    seen: list[dict[str, Any]] = []
    # Start above the first control: the heading of the screen on show.
    page.evaluate("() => { window.__tabbed = new WeakSet(); "
                  "const h = document.querySelector('section:not([hidden]) h1'); h.tabIndex = -1; h.focus(); }")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            continue
        s = page.evaluate(STYLES)
        if s["again"]:
            break
        seen.append(s)
    return seen


def check_focus_and_edges(page: Any, where: str) -> int:
    controls = tab_through(page)
    assert controls, where
    for s in controls:
        label = f"{where}: {s['tag']} {s['name']!r}"
        assert s["outlineStyle"] != "none" and s["outlineWidth"] >= 2, label
        assert contrast(tuple(s["outline"]), tuple(s["outside"])) >= 3, (label, s)
        if s["type"] in ("radio", "checkbox") or "link" in s["cls"]:
            continue  # native marks (Chromium draws them at 4.5:1); a text link is known by its text
        edge = max(contrast(tuple(s["border"]), tuple(s["outside"])) if s["borderWidth"] >= 1 else 1.0,
                   contrast(tuple(s["fill"]), tuple(s["outside"])))
        assert edge >= 3, (label, s)
    return len(controls)


def test_focus_rings_and_control_edges_reach_3_to_1(room: Room, phone: Any) -> None:
    phone.goto(room.base + "/")
    phone.wait_for_selector("#join:not([hidden])")
    assert check_focus_and_edges(phone, "join") >= 3  # code, group, Join
    join(phone, room)
    counted = 0
    for kind in KINDS:
        poll = open_kind(phone, room, kind)
        answer(phone, kind, poll)  # checked and pressed states are measured too
        counted += check_focus_and_edges(phone, kind)
    assert counted > 100  # every button of every kind, the send buttons included


def test_disabled_controls_are_disabled_and_look_it(room: Room, phone: Any) -> None:
    join(phone, room)
    poll = open_kind(phone, room, "ranking")
    look = "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor, s.borderTopStyle, s.cursor]; }"
    top_up = phone.get_by_label(f"Move up: {poll.options[0]}")
    top_down = phone.get_by_label(f"Move down: {poll.options[0]}")
    assert top_up.is_disabled() and top_down.is_enabled()
    off, on = top_up.evaluate(look), top_down.evaluate(look)
    assert off[0] != on[0] and off[1] != on[1] and off[2] == "dashed" and off[3] == "not-allowed", (off, on)
    # The send button while its ballot is on the way: disabled, and drawn so.
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    phone.route("**/api/vote", hold)
    send = phone.locator("#send")
    before = send.evaluate(look)
    send.click()
    phone.wait_for_function("() => document.getElementById('send').disabled")
    during = send.evaluate(look)
    assert during[1] != before[1] and during[2] == "dashed", (before, during)
    for _ in range(50):  # Playwright hands the held request over while the test waits
        if held:
            break
        phone.wait_for_timeout(100)
    assert held
    held[0].continue_()
    phone.wait_for_selector("#status.ok")
    assert send.is_enabled()


@pytest.mark.parametrize("width", [320])
def test_no_sideways_scrolling_at_320_css_px(room: Room, browser: Any, width: int, tmp_path: Path) -> None:
    # 320 CSS px is a 640 px window at 200 % zoom (WCAG 1.4.10 Reflow).
    page = new_phone(browser, width=width, height=640)
    wide = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    page.goto(f"{room.base}/?c={room.code}")
    page.wait_for_selector("#join:not([hidden])")
    sizes = {"join": page.evaluate(wide)}
    join(page, room)
    for kind in KINDS:
        poll = open_kind(page, room, kind)
        answer(page, kind, poll)
        sizes[kind] = page.evaluate(wide)
        if kind in ("ranking", "points"):
            shot(page, f"{kind}-{width}", tmp_path)
    page.context.close()
    assert all(c == width for _, c in sizes.values()), sizes
    assert {k: v for k, v in sizes.items() if v[0] > v[1]} == {}


def test_long_unbroken_options_still_fit_at_320_css_px(room: Room, browser: Any) -> None:
    # Metric and ambition names can be one long word with no place to break (German compounds).
    long = "Wiederaufnahmewahrscheinlichkeitsindikatorberechnung"
    options = [long, "Patient-reported outcome", "Cost per episode"]
    for kind, settings in (("ranking", {}), ("points", {"budget": 10})):
        room.store.apply([new_poll_edit(4, kind, f"Long {kind}", options, settings)])
    page = new_phone(browser, width=320, height=640)
    join(page, room)
    for kind in ("ranking", "points"):
        pid = next(p.id for p in queries.polls(room.store) if p.question == f"Long {kind}")
        open_poll(room.store, room.live, pid)
        page.wait_for_function("q => document.getElementById('question').textContent === q", arg=f"Long {kind}")
        assert long in page.locator("#answer").inner_text().replace("\n", "")
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, (kind, scroll, client)
    page.context.close()
