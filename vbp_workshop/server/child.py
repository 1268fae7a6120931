"""The vote server's own process: the aiohttp server and the phones' writers, away from the GUI.

A hall of 2,000 phones keeps the server and its writers busy; in the app's process they would
share one interpreter lock with the GUI, and every redraw would hold back acknowledgements while
every burst of ballots stalled the windows (measured: GUI stalls of 100-190 ms). Here they run
apart. The app (`server/process.py`) starts this as itself with the hidden argument
`--vote-server-child` (`app.py`; frozen or not) and speaks to it over stdin/stdout
(`frames.Channel`):

- in: "start" (the file, the address, the room's state), "live" (the room's view changed: which
  poll is open, a revealed result, the join code; acknowledged when asked, so a closing poll
  takes no more ballots before the app writes its close), "ideas" (the open ideas activity and
  its visible ideas), "selftest" (a token for "Test with my phone"), "stop";
- out: "ready" (the port) or "failed" (with the port found taken, if that was why), "notices"
  (stored votes and joins), "idea_notices", "selftest" (the test page's events), "ack", "stats"
  (every second), "stopped".

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

from vbp_workshop.core.intake import ideas as idea_intake  # beside steps.ideas: the phones' side
from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.poll import kind_of
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.server.frames import Channel
from vbp_workshop.server.network import PortBusy
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
        server = VoteServer(live, writer, path, host=start["host"], port=start["port"], limits=start["limits"],
                            port_tries=int(start.get("port_tries", 10)))
        port = server.start()
    except OSError as exc:
        writer.stop()
        out.send({"op": "failed", "error": str(exc) or type(exc).__name__,
                  "busy": exc.port if isinstance(exc, PortBusy) else 0})
        return 1
    done = threading.Event()
    threads = [threading.Thread(target=forward, args=(writer.notices, out, "notices", done), daemon=True),
               threading.Thread(target=forward, args=(ideas.writer.notices, out, "idea_notices", done),
                                daemon=True)]
    if server.selftests is not None:  # "Test with my phone": the page's events go to the app as they come
        threads.append(threading.Thread(target=forward, args=(server.selftests.events, out, "selftest", done),
                                        daemon=True))
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
            elif op == "selftest" and server.selftests is not None:
                server.selftests.expect(str(message["token"]))
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
    # Messages go out on the real stdout; anything printed by a library goes to stderr instead
    # (to nowhere in a windowed build, whose sys.stdin/stdout/stderr may be None: the pipes are
    # still file descriptors 0 and 1).
    out = os.fdopen(os.dup(1), "wb")
    try:
        os.dup2(sys.stderr.fileno(), 1)
    except (AttributeError, OSError, ValueError):  # no stderr, or one that logs (logfile.py)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    inbox = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb")
    return serve(Channel(inbox), Channel(out))


if __name__ == "__main__":
    sys.exit(main())
