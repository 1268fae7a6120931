"""The vote server without the GUI, for benchmarks/room.py --server-only: the same commands as
benchmarks/room_app.py on stdin (open POLL_ID, reveal, close, mark, quit), carried out through
the same core operations the GUI's buttons call, with no window, no drain and no charts. The
difference between this and the app is what the GUI thread costs the phones.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations import live as live_ops
from vbp_workshop.core.polls import queries
from vbp_workshop.server.runner import VoteServer


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def main() -> int:
    store = Store.open(Path(sys.argv[1]))
    live = LiveState(store.workshop()["join_code"])
    live_ops.derive(store, live)
    writer = VoteWriter(store.path, live)
    writer.start()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = VoteServer(live, writer, store.path, host="127.0.0.1", port=port)
    server.start()
    seen = {"live_at": 0.0}
    live.subscribe(lambda: seen.__setitem__("live_at", time.monotonic()))
    current = 0
    say(port=server.port, code=live.join_code, pid=os.getpid())
    for line in sys.stdin:
        cmd, *rest = line.split() or [""]
        t0 = time.monotonic()
        try:
            if cmd == "open":
                current = int(rest[0])
                live_ops.open_poll(store, live, current)
                say(cmd=cmd, poll=queries.get_poll(store, current).public(), at=t0, took=time.monotonic() - t0,
                    live_at=seen["live_at"])
            elif cmd == "reveal":
                live_ops.reveal(store, live, current, True)
                say(cmd=cmd, at=t0, took=time.monotonic() - t0, live_at=seen["live_at"])
            elif cmd == "close":
                live_ops.close_poll(store, live, current)
                say(cmd=cmd, at=t0, took=time.monotonic() - t0)
            elif cmd == "mark":
                say(cmd=cmd, max_stall=0.0, streams=server.vote_app.streams if server.vote_app else 0)
            elif cmd == "quit":
                break
        except Exception as exc:  # say what failed; the benchmark reports it
            say(cmd=cmd, error=f"{type(exc).__name__}: {exc}")
    server.stop()
    writer.stop()
    store.close()
    say(cmd="quit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
