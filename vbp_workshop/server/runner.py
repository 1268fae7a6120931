"""Runs the vote server on its own thread with its own event loop; start and stop cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path

from aiohttp import web

from vbp_workshop.core.votes import LiveState, VoteWriter
from vbp_workshop.server.app import VoteApp, make_app
from vbp_workshop.server.network import DEFAULT_PORT, choose_port


class VoteServer:
    def __init__(self, live: LiveState, writer: VoteWriter, db_path: Path,
                 host: str = "0.0.0.0", port: int = DEFAULT_PORT) -> None:
        self.live, self.writer, self.db_path = live, writer, db_path
        self.host = host
        self.preferred_port = port
        self.port = 0
        self.vote_app: VoteApp | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 15) -> int:
        """Start serving; returns the port. Raises OSError if no port could be bound."""
        self.port = choose_port(self.host, self.preferred_port)
        self._thread = threading.Thread(target=self._run, name="vote-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise OSError("The vote server did not start in time.")
        if self._error:
            raise self._error
        return self.port

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
        self.vote_app = VoteApp(self.live, self.writer, self.db_path)
        self.vote_app.attach(asyncio.get_running_loop())
        # access_log=None: nothing that could identify a person is logged.
        runner = web.AppRunner(make_app(self.vote_app), access_log=None, handle_signals=False,
                               shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port, backlog=1024, reuse_address=True)
            await site.start()
            self._ready.set()
            await self._stop.wait()
        finally:
            self.vote_app.detach()
            await runner.cleanup()
