"""Descriptor exhaustion (issue 15 "Stream exhaustion", issue 13): a server whose limit is 1,024
open files, like `ulimit -n 1024`, runs in a child process (tools/server_attacks.py serve) so the
test's own sockets do not count against it.

Held streams beyond the budget are refused with 503 and a message while honest phones still join
and vote; one device or one address cannot hold many streams; and a raw burst of connections
beyond the limit logs a few lines, not a traceback per connection.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from vbp_workshop.server.oslimits import raise_nofile

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="127.0.0.x sources need Linux")


def drills() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "tools" / "server_attacks.py"
    spec = importlib.util.spec_from_file_location("server_attacks", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def child():  # type: ignore[no-untyped-def]
    raise_nofile()  # this process opens over a thousand sockets of its own
    d = drills()
    c = d.Child(1024)
    yield d, c
    c.stop()


def test_a_thousand_streams_from_one_client_do_not_stop_the_room(child) -> None:  # type: ignore[no-untyped-def]
    d, c = child
    out = d.asyncio.run(d.streams(c, 1000))
    statuses, stats = out["statuses"], out["server_stats"]
    assert stats["nofile"] == 1024
    assert 500 <= stats["stream_budget"] <= 1024 - 256  # a quarter of the limit kept for votes
    assert 0.9 * stats["stream_budget"] <= stats["open_streams"] <= stats["stream_budget"]
    assert statuses.get(503, 0) > 0, statuses  # at capacity: refused with a message
    # 50 streams on one device: each beyond its third ended the oldest (so 47 were ended).
    assert stats["refused"]["stream_device"] == 47
    assert statuses[200] == stats["open_streams"] + 47
    assert stats["refused"]["stream_capacity"] == statuses[503]
    # Every refusal is an answer, not a dropped connection; a few fresh devices hit the join cap.
    assert set(statuses) <= {200, 429, 503, "join_429"}, statuses
    assert [(h.get("join"), h.get("vote")) for h in out["honest"]] == [(200, 200)] * 5, out["honest"]
    assert out["server_log_bytes_at_honest"] < 5_000


def test_a_raw_burst_beyond_the_limit_logs_a_line_per_interval(child) -> None:  # type: ignore[no-untyped-def]
    d, c = child
    out = asyncio.run(d.raw_burst(c, 1300))
    assert out["raw_connections"] > 1024  # the burst really went past the server's limit
    assert out["server_log_bytes_after_5s"] < 2_000, c.log_text(3000)
    assert "Too many open files" in c.log_text() and "Traceback" not in c.log_text()
    assert out["honest_after"].get("join") == 200 and out["honest_after"].get("vote") == 200, out


def test_the_server_raises_its_soft_descriptor_limit_to_the_hard_one(tmp_path: Path) -> None:
    """macOS starts GUI apps at 256 open files: the server lifts that to the hard limit as it starts."""
    import subprocess

    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, 4096))\n"
        "from vbp_workshop.core.steps.demo import build_demo\n"
        "from vbp_workshop.core.intake.votes import VoteWriter\n"
        "from vbp_workshop.core.model.room import LiveState\n"
        "from vbp_workshop.server.runner import VoteServer\n"
        f"store = build_demo({str(tmp_path / 'd.vbpw')!r})\n"
        "live = LiveState(store.workshop()['join_code']); writer = VoteWriter(store.path, live); writer.start()\n"
        "before = resource.getrlimit(resource.RLIMIT_NOFILE)[0]\n"
        "server = VoteServer(live, writer, store.path, host='127.0.0.1', port=0); server.start()\n"
        "stats = server.server_stats(); server.stop(); writer.stop()\n"
        "print(before, stats['nofile'], stats['stream_budget'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    before, after, budget = map(int, out.stdout.split())
    assert (before, after) == (256, 4096)
    assert 2500 < budget <= 4096 - 1024  # a quarter kept for votes and the app
