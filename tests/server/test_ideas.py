"""Ideas over the real server and real sockets: submit, limits, idempotency, moderation, support."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from vbp_workshop.core.file.schema import workshop_uid
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.ideas import derive, room, set_state
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations import apply_edits
from vbp_workshop.core.steps import ideas
from vbp_workshop.server.runner import VoteServer


class IdeasRoom:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.live = LiveState(store.workshop()["join_code"])
        self.writer = VoteWriter(store.path, live=self.live)
        self.writer.start()
        self.server = VoteServer(self.live, self.writer, store.path, host="127.0.0.1", port=0)
        self.server.start()
        self.ideas = room(self.live, store.path)
        self.ideas.ensure_started()
        # The GUI's part, done by hand: re-derive the phones' view whenever the ideas change.
        store.listeners.append(lambda c: derive(store, self.ideas.live)
                               if c.touches("ideas", "idea_activities", "idea_supports") else None)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def workshop(self) -> str:
        return workshop_uid(self.store.conn)

    def activity(self, **kw: Any) -> int:
        apply_edits(self.store, self.live, [ideas.new_activity_edit(1, "ambitions", "What should change?", **kw)])
        aid = int(self.store.scalar("SELECT MAX(id) FROM idea_activities"))
        set_state(self.store, aid, "open")
        return aid

    def drain(self) -> list[dict[str, Any]]:
        out = []
        while not self.ideas.writer.notices.empty():
            out.append(self.ideas.writer.notices.get())
        derive(self.store, self.ideas.live)  # as the GUI does after a drain
        return out

    def close(self) -> None:
        self.server.stop()
        self.ideas.stop()
        self.writer.stop()


@pytest.fixture
def iroom(store: Store) -> Iterator[IdeasRoom]:
    r = IdeasRoom(store)
    yield r
    r.close()


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def joined(r: IdeasRoom, s: aiohttp.ClientSession, group: str = "pharma") -> None:
    resp = await s.post(r.base + "/api/join", json={"code": r.live.join_code, "group": group})
    assert resp.status == 200, await resp.text()


async def send(r: IdeasRoom, s: aiohttp.ClientSession, aid: int, text: Any, uid: str) -> tuple[int, dict[str, Any]]:
    resp = await s.post(r.base + "/api/ideas", json={"workshop": r.workshop, "activity_id": aid, "text": text,
                                                       "idea_uid": uid})
    return resp.status, await resp.json()


def test_an_idea_is_stored_once_cleaned_with_its_group_and_reaches_the_gui_queue(iroom: IdeasRoom) -> None:
    aid = iroom.activity()

    async def go() -> None:
        async with client() as s:
            await joined(iroom, s, "clinician")
            st, body = await send(iroom, s, aid, "  More trust\x00 between\npartners ", "a" * 16)
            assert st == 200 and body["duplicate"] is False
            st, again = await send(iroom, s, aid, "More trust between partners", "a" * 16)
            assert st == 200 and again == {"ok": True, "id": body["id"], "duplicate": True}
    asyncio.run(go())
    rows = ideas.ideas_of(iroom.store, aid)
    assert [(r["text"], r["grp"], r["status"]) for r in rows] == [("More trust between partners", "clinician", "new")]
    assert rows[0]["device"].startswith("d-")  # a pseudonym, never a name
    assert [n["type"] for n in iroom.drain()] == ["idea"]
    assert [i["text"] for i in iroom.ideas.live.snapshot()["ideas"]] == ["More trust between partners"]


def test_limits_length_count_closed_and_join(iroom: IdeasRoom) -> None:
    aid = iroom.activity(max_len=20, max_per_device=2)

    async def go() -> None:
        async with client() as s:
            st, _ = await send(iroom, s, aid, "hello", "b" * 16)
            assert st == 401
            assert (await s.get(iroom.base + "/api/ideas")).status == 401  # the board is for joined phones
            await joined(iroom, s)
            st, body = await send(iroom, s, aid, "x" * 21, "c" * 16)
            assert st == 422 and "20 characters" in body["error"]
            st, body = await send(iroom, s, aid, "   ", "d" * 16)
            assert st == 422 and "Type your idea" in body["error"]
            st, body = await send(iroom, s, aid, ["not", "text"], "e" * 16)
            assert st == 422
            st, _ = await send(iroom, s, aid, "one", "f" * 16)
            assert st == 200
            st, _ = await send(iroom, s, aid, "two", "g" * 16)
            assert st == 200
            st, body = await send(iroom, s, aid, "three", "h" * 16)
            assert st == 422 and "the most this question takes" in body["error"]
            st, _ = await send(iroom, s, 2**70, "big", "i" * 16)
            assert st == 400
            set_state(iroom.store, aid, "closed")
            st, body = await send(iroom, s, aid, "late", "j" * 16)
            assert st == 409 and "closed" in body["error"]
    asyncio.run(go())
    assert sorted(r["text"] for r in ideas.ideas_of(iroom.store, aid)) == ["one", "two"]


def test_approval_hides_new_ideas_and_hidden_never_reach_a_phone(iroom: IdeasRoom) -> None:
    aid = iroom.activity(approval=True)

    async def go() -> list[dict[str, Any]]:
        async with client() as s:
            await joined(iroom, s)
            for n, text in enumerate(["Shared outcome data", "Rude remark", "Joint board"]):
                assert (await send(iroom, s, aid, text, f"{n}" * 16))[0] == 200
            iroom.drain()
            before = await (await s.get(iroom.base + "/api/ideas")).json()
            assert before["ideas"] == [] and before["activity"]["id"] == aid  # nothing approved yet
            rows = ideas.ideas_of(iroom.store, aid)
            approve = ideas.status_edits(iroom.store, [rows[0]["id"], rows[2]["id"]], "approved")
            apply_edits(iroom.store, iroom.live, approve)
            apply_edits(iroom.store, iroom.live, ideas.status_edits(iroom.store, [rows[1]["id"]], "hidden"))
            data: list[dict[str, Any]] = (await (await s.get(iroom.base + "/api/ideas")).json())["ideas"]
            return data
    shown = asyncio.run(go())
    assert [i["text"] for i in shown] == ["Shared outcome data", "Joint board"]


def test_support_once_per_device_count_shown_never_who(iroom: IdeasRoom) -> None:
    aid = iroom.activity()

    async def go() -> None:
        async with client() as a, client() as b:
            await joined(iroom, a)
            await joined(iroom, b, "patient")
            _st, body = await send(iroom, a, aid, "Publish results together", "k" * 16)
            iroom.drain()
            url = iroom.base + "/api/ideas/support"
            assert (await (await a.post(url, json={"workshop": iroom.workshop,
                                                   "idea_id": body["id"]})).json())["duplicate"] is False
            assert (await (await a.post(url, json={"workshop": iroom.workshop,
                                                   "idea_id": body["id"]})).json())["duplicate"] is True
            assert (await b.post(url, json={"workshop": iroom.workshop, "idea_id": body["id"]})).status == 200
            assert (await b.post(url, json={"workshop": iroom.workshop, "idea_id": 99999})).status == 422
            iroom.drain()
            board = (await (await a.get(iroom.base + "/api/ideas")).json())["ideas"]
            assert board == [{"id": body["id"], "text": "Publish results together", "supports": 2}]
            apply_edits(iroom.store, iroom.live, ideas.status_edits(iroom.store, [body["id"]], "hidden"))
            assert (await b.post(url, json={"workshop": iroom.workshop,
                                            "idea_id": body["id"]})).status == 422  # hidden: not supportable
    asyncio.run(go())
