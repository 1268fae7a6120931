"""The phones' ideas API: what is being asked, submit an idea, support one (+1).

Routes (added by `add_routes` beside the votes' routes, `server/runner.py: phone_app`): GET /api/ideas,
POST /api/ideas, POST /api/ideas/support. Every text is cleaned and bounded here; the writer
(`core/intake/ideas.py`) applies the room's limits and stores each idea once.
"""

from __future__ import annotations

import json

from aiohttp import web

from vbp_workshop.core.intake.ideas import IdeaRefused, IdeasRoom, Submit, Support, clean_idea, room
from vbp_workshop.core.intake.votes import in_range
from vbp_workshop.server.app import KEY, VoteApp, phone_post, problem, valid_uid

_CACHE: web.AppKey[list[tuple[int, str, bytes]]] = web.AppKey("ideas_cache")


def _room(app: VoteApp) -> IdeasRoom:
    return room(app.live, app.writer.path)


async def state(request: web.Request) -> web.Response:
    """The open activity and the ideas the room may see (encoded once per change)."""
    app = request.app[KEY]
    if app.device(request) is None:  # the room's ideas are for the room's phones
        return problem(401, "Join first: enter the code on the screen.")
    ideas_room = _room(app)
    cache = request.app[_CACHE]
    version, sitting = ideas_room.live.version, app.live.sitting
    if not cache or cache[0][:2] != (version, sitting):
        # With the workshop and sitting the phone keeps its "sent" count and +1s under.
        snap = {**ideas_room.live.snapshot(), "workshop": app.workshop, "sitting": sitting}
        cache[:] = [(int(snap["version"]), sitting, json.dumps(snap, ensure_ascii=False).encode())]
    return web.Response(body=cache[0][2], content_type="application/json")


async def submit(request: web.Request) -> web.Response:
    checked = await phone_post(request)
    if isinstance(checked, web.Response):
        return checked
    app, pseudonym, grp, data = checked
    activity_id, uid = data.get("activity_id"), data.get("idea_uid")
    if not in_range(activity_id):
        return problem(400, "Which question is this idea for?")
    if not valid_uid(uid):
        return problem(400, "The idea is missing its id. Reload the page.")
    ideas_room = _room(app)
    activity = ideas_room.live.accepting(activity_id)
    if activity is None:
        return problem(409, "Ideas are closed for now. Thank you!")
    try:
        text = clean_idea(data.get("text"), int(activity["max_len"]))
        stored = await ideas_room.ensure_started().submit_async(
            Submit(activity_id, pseudonym, grp, text, uid))
    except IdeaRefused as exc:
        return problem(422, str(exc))
    return web.json_response({"ok": True, "id": stored.id, "duplicate": stored.duplicate})


async def support(request: web.Request) -> web.Response:
    checked = await phone_post(request)
    if isinstance(checked, web.Response):
        return checked
    app, pseudonym, _grp, data = checked
    idea_id = data.get("idea_id")
    if not in_range(idea_id):
        return problem(400, "Which idea is this for?")
    try:
        stored = await _room(app).ensure_started().submit_async(Support(idea_id, pseudonym))
    except IdeaRefused as exc:
        return problem(422, str(exc))
    return web.json_response({"ok": True, "duplicate": stored.duplicate})


def add_routes(app: web.Application) -> None:
    app[_CACHE] = []
    app.router.add_get("/api/ideas", state)
    app.router.add_post("/api/ideas", submit)
    app.router.add_post("/api/ideas/support", support)
