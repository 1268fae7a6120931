"""The vote server's own process: the aiohttp server and the phones' writers, away from the GUI.

A hall of 2,000 phones keeps the server and its writers busy; in the app's process they would
share one interpreter lock with the GUI, and every redraw would hold back acknowledgements while
every burst of ballots stalled the windows (measured: GUI stalls of 100-190 ms). Here they run
apart. The app (`server/process.py`) starts this with its own interpreter and speaks to it over
stdin/stdout (`frames.Channel`):

- in: "start" (the file, the address, the room's state), "live" (the room's view changed: which
  poll is open, a revealed result, the join code; acknowledged when asked, so a closing poll
  takes no more ballots before the app writes its close), "ideas" (the open ideas activity and
  its visible ideas), "stop";
- out: "ready" (the port) or "failed", "notices" (stored votes and joins), "idea_notices",
  "ack", "stats" (every second), "stopped".

The file is the one record: both processes open it, each write in its own transaction.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from vbp_workshop.core.intake import ideas as idea_intake
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.poll import kind_of
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.server.frames import Channel
from vbp_workshop.server.runner import VoteServer

STATS_S = 1.0


def forward(notices: queue.SimpleQueue[dict[str, Any]], out: Channel, op: str, done: threading.Event) -> None:
    """Send a writer's notices to the app as they come, many per message under a burst."""
    while True:
        try:
            first = notices.get(timeout=0.1)
        except queue.Empty:
            if done.is_set():
                return
            continue
        batch = [first]
        with contextlib.suppress(queue.Empty):
            while len(batch) < 5000:
                batch.append(notices.get_nowait())
        out.send({"op": op, "items": batch})


def serve(inbox: Channel, out: Channel) -> int:
    start = inbox.receive()
    path = Path(start["db"])
    # Load the poll kinds now, not while the first question of the day is sent to every phone
    # (their first use imports them all: ~20 ms on a quiet machine, far more under load).
    kind_of("single")
    live = LiveState()
    live.load(start["live"])
    ideas = idea_intake.room(live, path)
    ideas.live.set(*start["ideas"])
    writer = VoteWriter(path, live)
    server: VoteServer | None = None
    try:
        writer.start()
        server = VoteServer(live, writer, path, host=start["host"], port=start["port"], limits=start["limits"])
        port = server.start()
    except OSError as exc:
        writer.stop()
        out.send({"op": "failed", "error": str(exc) or type(exc).__name__})
        return 1
    done = threading.Event()
    threads = [threading.Thread(target=forward, args=(writer.notices, out, "notices", done), daemon=True),
               threading.Thread(target=forward, args=(ideas.writer.notices, out, "idea_notices", done),
                                daemon=True)]
    for t in threads:
        t.start()

    def report() -> None:
        while not done.wait(STATS_S):
            out.send({"op": "stats", "stats": server.server_stats() if server else {}})

    threading.Thread(target=report, daemon=True).start()
    out.send({"op": "ready", "port": port, "pid": os.getpid()})
    try:
        while True:
            try:
                message = inbox.receive()
            except EOFError:  # the app has gone: stop cleanly, every acknowledged ballot is on disk
                break
            op = message["op"]
            if op == "live":
                live.load(message["state"])
                if message.get("ack") is not None:
                    out.send({"op": "ack", "n": message["ack"]})
            elif op == "ideas":
                ideas.live.set(*message["state"])
            elif op == "stop":
                break
    finally:
        server.stop()
        writer.stop()
        ideas.stop()
        done.set()
        for t in threads:
            t.join(5)
        with contextlib.suppress(OSError, ValueError):
            out.send({"op": "stopped", "committed": writer.committed})
    return 0


def main() -> int:
    # Ctrl-C in the terminal reaches the whole process group: the app decides when to stop (it
    # closes the pipe or says "stop"), so every acknowledged ballot is written before this exits.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Messages go out on the real stdout; anything printed by a library goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return serve(Channel(sys.stdin.buffer), Channel(out))


if __name__ == "__main__":
    sys.exit(main())
