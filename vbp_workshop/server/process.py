"""The app's handle on the vote-server process (`server/child.py`): start, mirror, stop.

Same face as the in-process `VoteServer` (start → port, running, server_stats, stop), plus:
- `notices`: the stored votes and joins, for the GUI's drain timer (as a writer's `notices`);
- the room's view (`LiveState`) stays the GUI's, derived from the file as before; every change
  to it is copied to the server's process. A change that closes a poll waits (briefly) for the
  server to confirm it, so no ballot for that poll is taken after the close is written;
- the ideas activity's view (`IdeasLive`) is copied the same way, and the ideas the phones send
  arrive on `ideas_notices` (the GUI's ideas room queue).
Qt-free: the GUI thread calls in; a reader thread only fills queues and sets events.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from vbp_workshop.core.intake.ideas import IdeasLive
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.server.frames import Channel
from vbp_workshop.server.guard import Limits
from vbp_workshop.server.network import DEFAULT_PORT, PortBusy

CLOSE_CONFIRM_S = 2.0  # the server's process answers in milliseconds; a wedged one must not hang the GUI


CHILD_ARGUMENT = "--vote-server-child"  # handled by vbp_workshop.app.main before its argument parsing


def child_command(frozen: bool | None = None, executable: str | None = None) -> list[str]:
    """How to start the vote server's process: the app itself with a hidden argument.

    Frozen (a PyInstaller bundle), `sys.executable` is the app; otherwise it is the interpreter,
    which runs the package. Either way `app.main` sees `--vote-server-child` first."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    exe = sys.executable if executable is None else executable
    return [exe, CHILD_ARGUMENT] if frozen else [exe, "-m", "vbp_workshop", CHILD_ARGUMENT]


def _has_stderr() -> bool:
    """Whether this process has a real stderr for the child to share (a windowed build has none,
    or one that only logs: then the child's goes to the null device, not a closed pipe)."""
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


class ServerProcess:
    def __init__(self, live: LiveState, db_path: Path, host: str = "0.0.0.0", port: int = DEFAULT_PORT,
                 limits: Limits | None = None, ideas_live: IdeasLive | None = None,
                 ideas_notices: queue.SimpleQueue[dict[str, Any]] | None = None, port_tries: int = 10) -> None:
        self.live, self.db_path, self.host, self.preferred_port = live, Path(db_path), host, port
        self.port_tries = port_tries  # 1: the preferred port or PortBusy (the app asks before moving)
        self.busy = 0  # the port the server's process found taken
        self.limits = limits
        self.ideas_live = ideas_live
        self.port = 0
        self.pid = 0
        self.notices: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self.ideas_notices = ideas_notices if ideas_notices is not None else queue.SimpleQueue()
        self.selftest_events: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()  # "Test with my phone"
        self.committed = 0
        self.error = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._to: Channel | None = None
        self._stats: dict[str, Any] = {}
        self._ready = threading.Event()
        self._gone = threading.Event()
        self._acks: dict[int, threading.Event] = {}
        self._asked = 0
        self._open: frozenset[int] = frozenset()
        self._reader: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._ready.is_set() and not self._gone.is_set()

    def start(self, timeout: float = 30) -> int:
        """Start the server's process; returns its port. Raises OSError with the reason."""
        env = dict(os.environ)
        if not getattr(sys, "frozen", False):  # the interpreter finds this package wherever it is
            package_root = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = os.pathsep.join(x for x in (package_root, os.environ.get("PYTHONPATH", "")) if x)
        self._proc = subprocess.Popen(child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=None if _has_stderr() else subprocess.DEVNULL, env=env,
                                      # Windows: no console window for the child (python.exe opens one)
                                      creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._to = Channel(self._proc.stdin)  # type: ignore[arg-type]
        self._reader = threading.Thread(target=self._read, args=(Channel(self._proc.stdout),),  # type: ignore[arg-type]
                                        name="vote-server-pipe", daemon=True)
        self._reader.start()
        state = self.live.state()
        self._open = frozenset(state["polls"])
        self._to.send({"op": "start", "db": str(self.db_path), "host": self.host, "port": self.preferred_port,
                       "port_tries": self.port_tries, "limits": self.limits, "live": state,
                       "ideas": self.ideas_live.state() if self.ideas_live else (None, [])})
        if not self._ready.wait(timeout) and not self.error:
            self.error = "The vote server did not start in time."
        if self.error or not self.port:
            self._end(1)
            if self.busy:
                raise PortBusy(self.busy, self.error)
            raise OSError(self.error or "The vote server stopped while starting.")
        self.live.subscribe(self.sync)
        if self.ideas_live is not None:
            self.ideas_live.subscribe(self._sync_ideas)
        return self.port

    def server_stats(self) -> dict[str, Any]:
        """The server's last report (joins, streams, refusals), at most a second old."""
        return dict(self._stats) if self.running else {}

    def sync(self) -> None:
        """Copy the room's view to the server; if that closes a poll, wait until it has."""
        if not self.running or self._to is None:
            return
        state = self.live.state()
        now = frozenset(state["polls"])
        closing = bool(self._open - now)
        self._open = now
        ack = None
        if closing:
            self._asked += 1
            ack = self._asked
            self._acks[ack] = threading.Event()
        try:
            self._to.send({"op": "live", "state": state, "ack": ack})
        except (OSError, ValueError):
            self._gone.set()
            return
        if ack is not None:
            self._acks[ack].wait(CLOSE_CONFIRM_S)
            self._acks.pop(ack, None)

    def _sync_ideas(self) -> None:
        if self.running and self._to is not None and self.ideas_live is not None:
            with contextlib.suppress(OSError, ValueError):
                self._to.send({"op": "ideas", "state": self.ideas_live.state()})

    def selftest(self, token: str) -> None:
        """Expect a phone at /selftest/<token> ("Test with my phone"); its events arrive on
        `selftest_events`."""
        if self.running and self._to is not None:
            with contextlib.suppress(OSError, ValueError):
                self._to.send({"op": "selftest", "token": token})

    def stop(self, timeout: float = 15) -> None:
        """Stop serving: the server's process finishes the ballots in hand, then exits."""
        self.live.unsubscribe(self.sync)
        if self.ideas_live is not None:
            self.ideas_live.unsubscribe(self._sync_ideas)
        if self._proc is None:
            return
        if self._to is not None:
            with contextlib.suppress(OSError, ValueError):
                self._to.send({"op": "stop"})
        self._end(timeout)

    def _end(self, timeout: float) -> None:
        proc = self._proc
        if proc is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if proc.stdin:
                proc.stdin.close()  # the child also stops on end of input
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if self._reader is not None:
            self._reader.join(5)  # every notice the child sent is queued before stop returns
        self._gone.set()
        self._proc = None

    def _read(self, inbox: Channel) -> None:
        try:
            while True:
                message = inbox.receive()
                op = message["op"]
                if op == "notices":
                    for n in message["items"]:
                        self.notices.put(n)
                elif op == "idea_notices":
                    for n in message["items"]:
                        self.ideas_notices.put(n)
                elif op == "selftest":
                    for n in message["items"]:
                        self.selftest_events.put(n)
                elif op == "stats":
                    self._stats = message["stats"]
                elif op == "ack":
                    event = self._acks.get(message["n"])
                    if event is not None:
                        event.set()
                elif op == "ready":
                    self.port, self.pid = int(message["port"]), int(message["pid"])
                    self._ready.set()
                elif op == "failed":
                    self.error = str(message["error"])
                    self.busy = int(message.get("busy") or 0)
                    self._ready.set()
                elif op == "stopped":
                    self.committed = int(message["committed"])
        except (EOFError, OSError, ValueError):
            pass
        finally:
            self._gone.set()
            self._ready.set()
            for event in list(self._acks.values()):
                event.set()
