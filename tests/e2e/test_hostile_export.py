"""Hostile phones through the real vote server (real sockets, the real writer thread), then the
real export: every answer reaches the workbook as a text cell that reads as typed (minus the
characters XML forbids), never a formula; the audit checksum matches the sheet."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import openpyxl
import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.operations.live import close_poll, open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.core.workbook.export import export_workbook
from vbp_workshop.core.workbook.poll_sheets import checksum
from vbp_workshop.server.runner import VoteServer

ANSWERS = ["=1+1", "+SUM(A1:A3)", "-2+3", "@SUM(1)", "\t=tab first", '=HYPERLINK("http://evil.example","x")',
           "=cmd|' /C calc'!A0", "fair\x01 share", "U+FFFE \ufffe inside", "vertical \x0b tab", "\r=cr first"]


@pytest.fixture
def server(demo: Store) -> Iterator[tuple[Store, LiveState, VoteServer]]:
    live = LiveState(demo.workshop()["join_code"])
    writer = VoteWriter(demo.path, live)
    writer.start()
    srv = VoteServer(live, writer, demo.path, host="127.0.0.1", port=0)  # any free port
    srv.start()
    yield demo, live, srv
    srv.stop()
    writer.stop()


def test_hostile_phone_answers_reach_the_workbook_as_text(server, tmp_path: Path) -> None:
    store, live, srv = server
    pid = next(p.id for p in queries.polls(store) if p.kind == "text")
    open_poll(store, live, pid)
    base = f"http://127.0.0.1:{srv.port}"

    async def vote(i: int, answer: str) -> int:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
            r = await s.post(base + "/api/join", json={"code": live.join_code, "group": "pharma"})
            assert r.status == 200, await r.text()
            workshop = (await r.json())["workshop"]
            r = await s.post(base + "/api/vote", json={"workshop": workshop,
                                                       "poll_id": pid, "round": 1, "ballot_id": f"h{i:015d}",
                                                       "answer": answer})
            return r.status

    async def go() -> list[int]:
        return [await vote(i, a) for i, a in enumerate(ANSWERS)]

    assert asyncio.run(go()) == [200] * len(ANSWERS)
    close_poll(store, live, pid)
    out = export_workbook(store, tmp_path / "phones.xlsx")
    with zipfile.ZipFile(out) as z:
        xml = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in x or "<f " in x for x in xml)
    book = openpyxl.load_workbook(out)
    assert [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"] == []
    raw = list(book["Raw votes"].iter_rows(values_only=True))
    head = raw[0]
    answers = {r[head.index("Answer")] for r in raw[1:] if r[0] == pid}
    for a in ANSWERS:
        # As typed, minus removed characters (the server may also fold a short answer's spaces).
        assert {clean_text(a), clean_text(a, single_line=True)} & answers, repr(a)
    audit = {(r[0], r[1]): r[12] for r in book["Audit"].iter_rows(min_row=2, values_only=True)
             if isinstance(r[0], int)}
    mine = sorted((r for r in raw[1:] if r[0] == pid), key=lambda r: r[2])
    lines = [[r[head.index(h)] for h in ("Poll ID", "Round", "Ballot ID", "Answer (JSON)", "Group", "Source",
                                         "Count")] for r in mine]
    assert len(lines) >= len(ANSWERS) and checksum(lines) == audit[(pid, 1)]
