"""The phones' HTTP API and page. Everything a phone sends is checked here before it is queued.

Routes: GET / (the page), GET /static/*, POST /api/join, GET /api/state, GET /api/events (SSE),
POST /api/vote. There are no facilitator controls over the network.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import secrets
import socket
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeGuard

from aiohttp import web

from vbp_workshop.core.file.schema import workshop_uid
from vbp_workshop.core.file.store import absolute, sqlite_uri
from vbp_workshop.core.intake.votes import Join, PollClosed, Vote, VoteWriter, in_range, token_hash
from vbp_workshop.core.model.domain import STAKEHOLDER_LABELS, Stakeholder
from vbp_workshop.core.model.poll import BallotError, validate
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.text import clean_value
from vbp_workshop.server.guard import Limits, RoomGuard, TokenBuckets
from vbp_workshop.server.network import local_addresses
from vbp_workshop.server.page import load_page, respond

COOKIE = "vbp_device"
MAX_COOKIE_HEADER = 4096  # ours is ~60 bytes; a longer header is not a phone of this room
COOKIE_MEMO = 20_000  # Cookie headers remembered (two phones' worth of a full hall over)
MAX_BODY = 8 * 1024  # the largest honest ballot (30 items with two values each) is ~1 KB
MAX_DEPTH = 8  # an honest body nests 3 deep (object > answer list > item pair)
RATE_PER_S = 4.0
RATE_BURST = 12.0
PING_S = 15.0  # a comment line on every event stream this often keeps proxies and phones awake
STATIC = ("app.js", "app.css")
TOKEN_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
GROUPS = [{"key": s.value, "label": STAKEHOLDER_LABELS[s]} for s in Stakeholder]
GROUP_KEYS = {s.value for s in Stakeholder} | {""}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
KEY: web.AppKey[VoteApp] = web.AppKey("vote_app")


# Every answer to an accepted ballot is one of eight: encoded once, not per ballot.
_RECEIPTS = {(r, d, st): json.dumps({"ok": True, "replaced": r, "duplicate": d, "stale": st}).encode()
             for r in (False, True) for d in (False, True) for st in (False, True)}
_SAFETY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def problem(status: int, message: str, retry_after: int = 0) -> web.Response:
    # Retry-After lets phones space their retries (the page honours it, with jitter of its own).
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return web.json_response({"ok": False, "error": message}, status=status, headers=headers)


class VoteApp:
    """The server's state: devices it knows, rate limits, and the wake-up for event streams."""

    def __init__(self, live: LiveState, writer: VoteWriter, db_path: Path, limits: Limits | None = None) -> None:
        self.live = live
        self.writer = writer
        self.devices: dict[str, tuple[str, str]] = {}  # token hash -> (pseudonym, group)
        self.by_token: dict[str, tuple[str, str]] = {}  # token -> the same, to skip hashing per vote
        self._cookie_tokens: dict[str, str] = {}  # a raw Cookie header -> our token in it ("" none)
        self.buckets = TokenBuckets(RATE_BURST, RATE_PER_S)  # per device
        self.page = load_page()
        self.guard = RoomGuard(limits)
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ping: asyncio.TimerHandle | None = None
        self._message: tuple[int, bytes] = (-1, b"")  # the room's state as one stream message
        self._hosts: set[str] = set()
        self._hosts_at = 0.0
        self.workshop = ""  # the workshop's id: phones keep their answers under it
        self._load_devices(db_path)

    @property
    def streams(self) -> int:
        return self.guard.streams

    def _load_devices(self, db_path: Path) -> None:
        conn = sqlite3.connect(sqlite_uri(absolute(db_path), "mode=ro"), uri=True)
        try:
            for h, pseudonym, grp in conn.execute("SELECT token_hash, pseudonym, grp FROM devices"):
                self.devices[h] = (pseudonym, grp)
            self.workshop = workshop_uid(conn)
        finally:
            conn.close()

    # -- live changes wake the event streams --------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()
        self.live.subscribe(self._on_live_change)
        self._ping = loop.call_later(PING_S, self._tick)

    def detach(self) -> None:
        self.live.unsubscribe(self._on_live_change)
        if self._ping is not None:
            self._ping.cancel()

    def _tick(self) -> None:
        # One timer wakes every stream to ping (a per-stream wait_for timeout cost 3/4 of a
        # broadcast's server time: 2,000 streams, 118 ms CPU -> 33 ms with this and state_message).
        self._wake()
        if self._loop is not None:
            self._ping = self._loop.call_later(PING_S, self._tick)

    def state_message(self) -> bytes:
        """The room's state as an event-stream message, encoded once per change for every stream."""
        version, message = self._message
        if version != self.live.version:
            snap = self.snapshot()  # its version was read with the state, under the lock
            message = f"data: {json.dumps(snap, ensure_ascii=False)}\n\n".encode()
            self._message = (int(snap["version"]), message)
        return message

    def snapshot(self) -> dict[str, Any]:
        """The room's state for a phone, with the workshop and sitting its answers belong to."""
        return {**self.live.snapshot(), "workshop": self.workshop, "sitting": self.live.sitting}

    def scope_problem(self, data: dict[str, Any]) -> web.Response | None:
        """Why an answer, idea or +1 is not for this workshop's sitting (409), or None.

        A phone sends the workshop and sitting it was shown: an answer kept on a phone since
        another workshop (which numbers its polls from 1 too), or a stale tab, never counts here."""
        workshop, sitting = data.get("workshop"), data.get("sitting")
        if not isinstance(workshop, str) or (sitting is not None and not isinstance(sitting, str)):
            return problem(409, "This page is out of date. Reload it, then answer again.")
        if workshop != self.workshop or (sitting is not None and sitting != self.live.sitting):
            return problem(409, "Not counted: this was given at another workshop or an earlier session "
                                "on this laptop. Answer the question on the screen again.")
        return None

    def _on_live_change(self) -> None:
        # Called on the GUI thread: hand over to the server's loop, touch nothing else.
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        event, self._event = self._event, asyncio.Event()
        if event is not None:
            event.set()

    # -- helpers ----------------------------------------------------------------------------------

    def device(self, request: web.Request) -> tuple[str, str] | None:
        raw = request.headers.get("Cookie", "")
        # A phone sends the same Cookie header every time: parsed once (parsing it on every
        # ballot showed in the server's profile). Bounded: a flood of made-up headers only
        # empties the memo.
        token = self._cookie_tokens.get(raw)
        if token is None:
            token = request.cookies.get(COOKIE, "") if len(raw) <= MAX_COOKIE_HEADER else ""
            if len(self._cookie_tokens) >= COOKIE_MEMO:
                self._cookie_tokens.clear()
            self._cookie_tokens[raw] = token
        if not token or len(token) > 100:
            return None
        return self.known(token)

    def known(self, token: str) -> tuple[str, str] | None:
        """The device this server issued `token` to, or None (a forged or foreign token)."""
        found = self.by_token.get(token)
        if found is None:
            found = self.devices.get(token_hash(token))
            if found is not None:
                self.by_token[token] = found
        return found

    def host_allowed(self, request: web.Request) -> bool:
        """Is the Host header one of this laptop's names or addresses? (DNS rebinding guard.)

        A page on another site whose name was re-pointed at this laptop sends its own name.
        """
        host = request.headers.get("Host")
        if host is None:
            return True  # HTTP/1.0 without Host: no browser, so no rebinding
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1:].partition("]")[0]
        elif name.count(":") == 1:
            name = name.partition(":")[0]
        name = name.rstrip(".")
        sockname = request.transport.get_extra_info("sockname") if request.transport else None
        if sockname and name == str(sockname[0]).lower().removeprefix("::ffff:"):
            return True  # the very address the phone connected to
        if name in self._hosts:
            return True
        if time.monotonic() - self._hosts_at > 10:  # the laptop may have changed network
            self._hosts = laptop_names()
            self._hosts_at = time.monotonic()
        return name in self._hosts

    def stats(self) -> dict[str, Any]:
        """For the facilitator: joins per minute, devices per address, refusals, open streams."""
        return self.guard.snapshot()

    def allow(self, key: str) -> bool:
        """A few requests a second per device (or join-code guesser), short bursts allowed."""
        return self.buckets.take(key)


async def read_json(request: web.Request) -> dict[str, Any] | web.Response:
    if request.content_type != "application/json":
        return problem(415, "Send JSON.")
    if request.content_length is not None and request.content_length > MAX_BODY:
        return problem(413, "That request is too large.")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return problem(413, "That request is too large.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return problem(400, "That request is not valid JSON.")
    if not isinstance(data, dict):
        return problem(400, "That request is not a JSON object.")
    if depth(data) > MAX_DEPTH:
        return problem(400, "That request is nested too deeply.")
    return data


def depth(value: Any) -> int:
    """How deeply `value` nests lists and objects (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def laptop_names() -> set[str]:
    names = {"localhost", "127.0.0.1", "::1"}
    for name in (socket.gethostname(), socket.getfqdn()):
        if name:
            names |= {name.lower(), name.lower().split(".")[0], name.lower().split(".")[0] + ".local"}
    names |= {ip for _name, ip in local_addresses()}
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            names.add(str(info[4][0]).lower())
    except OSError:
        pass
    return names


async def index(request: web.Request) -> web.Response:
    return respond(request, request.app[KEY].page["index.html"])


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC:
        return problem(404, "Not found.")
    return respond(request, request.app[KEY].page[name])


async def join(request: web.Request) -> web.Response:
    app = request.app[KEY]
    data = await read_json(request)
    if isinstance(data, web.Response):
        return data
    code, grp = data.get("code"), data.get("group", "")
    if not isinstance(code, str) or not isinstance(grp, str):
        return problem(400, "Send a join code and a group.")
    # Only wrong codes count against an address: guessing is slowed, a room of phones is not.
    guesser = "badjoin:" + (request.remote or "")
    if app.buckets.empty(guesser) and not app.allow(guesser):
        return problem(429, "Too many wrong codes. Wait a few seconds.")
    expected = app.live.join_code
    if not expected or not hmac.compare_digest(code.strip().upper().encode(), expected.encode()):
        app.allow(guesser)
        return problem(403, "That join code is not right. Check the code on the screen.")
    if grp not in GROUP_KEYS:
        return problem(400, "Pick a group from the list.")
    # The device's identity is issued here only: a cookie is kept only if this server issued it;
    # a forged or unknown one is replaced, never adopted.
    token = request.cookies.get(COOKIE, "")
    if not (0 < len(token) <= 100 and set(token) <= TOKEN_CHARS and app.known(token) is not None):
        if not app.guard.may_add_device(request.remote or ""):
            return problem(429, "Too many phones have joined from this network in a short time. "
                                "Wait a minute and try again, or ask the facilitator.", retry_after=10)
        token = secrets.token_urlsafe(32)
    h = token_hash(token)
    pseudonym = await app.writer.submit_async(Join(h, grp))
    app.devices[h] = app.by_token[token] = (pseudonym, grp)
    response = web.json_response({"ok": True, "group": grp, "workshop": app.workshop, "sitting": app.live.sitting})
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", max_age=7 * 24 * 3600, path="/")
    return response


async def state(request: web.Request) -> web.Response:
    app = request.app[KEY]
    device = app.device(request)
    return web.json_response({"joined": device is not None, "groups": GROUPS,
                              "group": device[1] if device else "", **app.snapshot()})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the room's state whenever it changes, a ping every PING_S seconds."""
    app = request.app[KEY]
    device = app.device(request)
    if device is None:
        return problem(401, "Join first.")
    address = request.remote or ""
    task = asyncio.current_task()
    ended = False

    def end() -> None:  # the same device opened one stream too many: this, its oldest, gives way
        nonlocal ended
        if task is not None:
            ended = True
            task.cancel()
    refused = app.guard.open_stream(address, device[0], end)
    if refused == "capacity":
        # The laptop keeps descriptors for votes: a phone without live updates can still vote.
        return problem(503, "The laptop is serving as many phones as it can. Your answers still count, "
                            "and live updates will resume by themselves.", retry_after=15)
    if refused:
        return problem(429, "Too many live connections from this network. Ask the facilitator.",
                       retry_after=15)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                           "Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    try:
        await response.prepare(request)
        sent = b""
        while True:
            event = app._event
            message = app.state_message()
            await response.write(message if message is not sent else b": ping\n\n")
            sent = message
            assert event is not None
            await event.wait()
    except ConnectionResetError:
        pass
    except asyncio.CancelledError:
        # Ended by `end` (a newer stream of the same phone): the stream is over, the task goes on.
        # Any other cancellation (the server stopping) is not this handler's to swallow.
        if not ended or task is None or task.uncancel() > 0:
            raise
    finally:
        app.guard.close_stream(address, device[0], end)
    return response


def valid_uid(uid: Any) -> TypeGuard[str]:
    """A client-made id for an idempotent retry (a ballot, an idea): short, plain characters."""
    return isinstance(uid, str) and 8 <= len(uid) <= 64 and uid.replace("-", "").isalnum()


async def phone_post(request: web.Request) -> tuple[VoteApp, str, str, dict[str, Any]] | web.Response:
    """What every phone's POST checks first: a joined device, within its rate, sending JSON for
    this workshop's sitting (`VoteApp.scope_problem`).
    Returns (app, pseudonym, group, body), or the refusal to answer with."""
    app = request.app[KEY]
    device = app.device(request)
    if device is None:
        return problem(401, "Join first: enter the code on the screen.")
    pseudonym, grp = device
    if not app.allow(pseudonym):
        return problem(429, "Slow down a little, then send again.")
    data = await read_json(request)
    if isinstance(data, web.Response):
        return data
    refused = app.scope_problem(data)
    if refused is not None:
        return refused
    return app, pseudonym, grp, data


async def vote(request: web.Request) -> web.Response:
    checked = await phone_post(request)
    if isinstance(checked, web.Response):
        return checked
    app, pseudonym, grp, data = checked
    poll_id, round_, uid, seq = data.get("poll_id"), data.get("round"), data.get("ballot_id"), data.get("seq")
    # Every number from the network is bounded here: past 64 bits SQLite cannot even store it.
    if not in_range(poll_id) or not in_range(round_):
        return problem(400, "Which poll is this answer for?")
    if seq is not None and not in_range(seq):
        return problem(400, "The answer's sequence number is not valid. Reload the page.")
    if not valid_uid(uid):
        return problem(400, "The answer is missing its id. Reload the page.")
    if "answer" not in data:
        return problem(400, "The answer is missing.")
    poll = app.live.accepting(poll_id, round_)
    try:
        answer = validate(poll, clean_value(data["answer"])) if poll else None
        receipt = await app.writer.submit_async(
            Vote(poll_id, round_, pseudonym, grp if poll and poll.keeps_groups else "",
                 answer, uid, seq=seq))
    except PollClosed as exc:
        return problem(409, str(exc))
    except BallotError as exc:
        return problem(422, str(exc))
    return web.Response(body=_RECEIPTS[(receipt.replaced, receipt.duplicate, receipt.stale)],
                        content_type="application/json")


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.app[KEY].host_allowed(request):
        request.app[KEY].guard.refuse("host")
        response: web.StreamResponse = problem(421, "This address is not the workshop laptop's. "
                                                    "Open the address shown on the screen.")
    else:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = problem(exc.status, exc.reason or "Request refused.")
    response.headers.update(_SAFETY_HEADERS)
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def make_app(vote_app: VoteApp) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[headers])
    app[KEY] = vote_app
    app.router.add_get("/", index)
    app.router.add_get("/static/{name}", static)
    app.router.add_post("/api/join", join)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/events", events)
    app.router.add_post("/api/vote", vote)
    return app
