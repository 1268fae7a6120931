"""The vote server's process starts by one route, frozen or not: the app itself with the hidden
`--vote-server-child` argument. Not frozen, that is `python -m vbp_workshop --vote-server-child`;
frozen (a PyInstaller bundle), `sys.executable` is the app, so it is `APP --vote-server-child`.
Here the frozen app is stood in for by a program that is the app (it runs `vbp_workshop.app.main`
with its arguments, as the bundle's executable does); tests/packaging/test_bundle.py runs the
real bundle."""

from __future__ import annotations

import asyncio
import stat
import sys
from pathlib import Path

import pytest

from tests.server.test_process import join_and_vote, notices
from vbp_workshop.core import operations
from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations.live import open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.server.process import ServerProcess, child_command


def app_executable(folder: Path) -> str:
    """A stand-in for the bundle's executable: starts the app's `main` with its own arguments."""
    if sys.platform == "win32":
        exe = folder / "vbp-workshop.cmd"
        exe.write_text(f'@"{sys.executable}" -m vbp_workshop %*\r\n')
    else:
        exe = folder / "vbp-workshop"
        exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vbp_workshop "$@"\n')
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


@pytest.mark.parametrize("frozen", [False, True], ids=["not-frozen", "frozen"])
def test_the_vote_server_process_starts_frozen_and_not_frozen_alike(frozen: bool, demo: Store, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if frozen:
        monkeypatch.setattr(sys, "frozen", True, raising=False)
        monkeypatch.setattr(sys, "executable", app_executable(tmp_path))
        assert child_command() == [sys.executable, "--vote-server-child"]
    else:
        assert not getattr(sys, "frozen", False)
        assert child_command() == [sys.executable, "-m", "vbp_workshop", "--vote-server-child"]
    live = LiveState()
    operations.derive(demo, live)
    server = ServerProcess(live, demo.path, host="127.0.0.1", port=0)
    server.start()
    try:
        poll = next(p for p in queries.polls(demo) if p.kind == "single")
        open_poll(demo, live, poll.id)
        base = f"http://127.0.0.1:{server.port}"
        joined, statuses = asyncio.run(join_and_vote(base, live.join_code, [
            {"poll_id": poll.id, "round": 1, "ballot_id": "c" * 16, "answer": 1}]))
        assert (joined, statuses) == (200, [200])
        got = notices(server, 2)
        assert sorted(n["type"] for n in got) == ["join", "vote"], got
        assert len(demo.rows("ballots", "poll_id = ? AND ballot_uid = ?", (poll.id, "c" * 16))) == 1
    finally:
        server.stop()
    assert not server.running
