from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from vbp_workshop.core.file.schema import workshop_uid
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.server.runner import VoteServer


@dataclass
class Room:
    store: Store
    live: LiveState
    writer: VoteWriter
    server: VoteServer

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def code(self) -> str:
        return self.live.join_code

    @property
    def workshop(self) -> str:
        """The workshop's id every ballot, idea and +1 carries (the server refuses another's)."""
        return workshop_uid(self.store.conn)

    def poll_id(self, kind: str) -> int:
        return next(p.id for p in queries.polls(self.store) if p.kind == kind)

    def open(self, kind: str) -> int:
        pid = self.poll_id(kind)
        open_poll(self.store, self.live, pid)
        return pid


@pytest.fixture
def room(demo: Store) -> Iterator[Room]:
    live = LiveState(demo.workshop()["join_code"])
    writer = VoteWriter(demo.path, live)
    writer.start()
    server = VoteServer(live, writer, demo.path, host="127.0.0.1", port=0)
    server.start()
    yield Room(demo, live, writer, server)
    server.stop()
    writer.stop()

