"""Runs the vote server on its own thread with its own event loop; start and stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import threading
from pathlib import Path
from typing import Any

from aiohttp import web

from vbp_workshop.core.intake.votes import VoteWriter
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.server import ideas, oslimits, quietlog, selftest
from vbp_workshop.server.app import VoteApp, make_app
from vbp_workshop.server.guard import Limits
from vbp_workshop.server.network import DEFAULT_PORT, bind_first_free

KEEPALIVE_S = 10.0  # an idle phone connection gives its descriptor back soon (aiohttp's default: 75 s)



def phone_app(vote_app: VoteApp) -> web.Application:
    """The phones' web app: the votes' routes (`app`), the ideas activity's (`ideas`) and "Test with
    my phone" (`selftest`)."""
    app = make_app(vote_app)
    ideas.add_routes(app)
    selftest.add_routes(app)
    return app

class VoteServer:
    def __init__(self, live: LiveState, writer: VoteWriter, db_path: Path,
                 host: str = "0.0.0.0", port: int = DEFAULT_PORT, limits: Limits | None = None,
                 port_tries: int = 10) -> None:
        self.live, self.writer, self.db_path = live, writer, db_path
        self.port_tries = port_tries  # 1: the preferred port or PortBusy (the app asks before moving phones)
        self.limits = limits
        self.host = host
        self.preferred_port = port
        self.port = 0
        self.vote_app: VoteApp | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._sock: socket.socket | None = None
        self.selftests: selftest.SelfTests | None = None  # "Test with my phone": set once serving

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 15) -> int:
        """Start serving; returns the port. Raises OSError if no port could be bound (PortBusy if
        the preferred port is taken and `port_tries` is 1)."""
        oslimits.raise_nofile()  # also here, so tests and benchmarks get it as the app does
        # Bound here, with the platform's exclusive options (network.bind_options), and handed to
        # aiohttp: no gap between choosing a port and binding it, and no second server on it.
        self._sock = bind_first_free(self.host, self.preferred_port, self.port_tries)
        self.port = int(self._sock.getsockname()[1])
        self._thread = threading.Thread(target=self._run, name="vote-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise OSError("The vote server did not start in time.")
        if self._error:
            raise self._error
        return self.port

    def server_stats(self) -> dict[str, Any]:
        """Joins per minute, devices per address, refusals, open streams (safe from any thread)."""
        if self.vote_app is None or not self.running:
            return {}
        return {**self.vote_app.stats(), "nofile": oslimits.nofile()[0]}

    def stop(self, timeout: float = 10) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        quietlog.install(loop)
        limits = self.limits or Limits()
        if limits.stream_budget is None:  # not set by the caller: from the descriptor limit
            limits = dataclasses.replace(limits, stream_budget=oslimits.stream_budget())
        self.vote_app = VoteApp(self.live, self.writer, self.db_path, limits)
        self.vote_app.attach(loop)
        # access_log=None: nothing that could identify a person is logged.
        web_app = phone_app(self.vote_app)
        self.selftests = web_app[selftest.KEY]
        runner = web.AppRunner(web_app, access_log=None, handle_signals=False,
                               shutdown_timeout=1.0, keepalive_timeout=KEEPALIVE_S)
        await runner.setup()
        try:
            assert self._sock is not None
            site = web.SockSite(runner, self._sock, backlog=1024)
            await site.start()
            self._ready.set()
            await self._stop.wait()
        finally:
            self.vote_app.detach()
            await runner.cleanup()
            if self._sock is not None:
                self._sock.close()  # closed already if serving began; not if it failed before
