"""The one way phone input reaches the file: a writer thread with its own connection.

The server thread queues items (a vote, a join, an idea, a +1); the writer commits them in
batches (one fsync for many phones) and resolves each caller's future only after COMMIT, so an
acknowledged item is on disk. A batch is written straight through; only when an item fails — a
refusal, an out-of-range number, a bug — is the batch written again with each item in its own
savepoint, so that item is rolled back alone and the rest of its batch is committed.
Subclasses say how one item is written (`_write`) and which errors are the item's own fault
(`_refusal`); anything else is reported once per kind, not once per phone.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Generic, TypeVar

from vbp_workshop.core.file.store import connect

BATCH_MAX = 2000

Item = TypeVar("Item")
Written = tuple[Any, dict[str, Any] | None, Callable[[], None] | None]  # result, notice, after-commit memo


class LoopFuture:
    """A writer's answer for a coroutine on an asyncio loop. The writer settles a whole batch's
    answers with one wake-up of the loop (`settle_all`), not one per item: with a thread-safe
    future per ballot, waking the loop and building a lock per ballot showed in the server's profile."""

    __slots__ = ("future", "loop", "outcome")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()
        self.outcome: tuple[Any, BaseException | None] | None = None

    def done(self) -> bool:
        return self.outcome is not None

    def set_result(self, result: Any) -> None:
        self.outcome = (result, None)

    def set_exception(self, exc: BaseException) -> None:
        self.outcome = (None, exc)


Answer = Future[Any] | LoopFuture  # how a writer's caller waits: a thread, or a coroutine


def _settle(answers: list[LoopFuture]) -> None:
    """On the loop: hand each waiting coroutine its answer."""
    for a in answers:
        if a.future.done() or a.outcome is None:  # its phone went away meanwhile
            continue
        result, exc = a.outcome
        if exc is not None:
            a.future.set_exception(exc)
        else:
            a.future.set_result(result)


def settle_all(answers: list[Any]) -> None:
    """Wake each loop once for all its answers in `answers` (the other kinds are set already)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[LoopFuture]] = {}
    for a in answers:
        if isinstance(a, LoopFuture) and a.outcome is not None:
            by_loop.setdefault(a.loop, []).append(a)
    for loop, batch in by_loop.items():
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
            loop.call_soon_threadsafe(_settle, batch)


class BatchWriter(Generic[Item]):
    """Commits queued items on its own thread; see the module's docstring."""

    THREAD_NAME = "writer"

    def __init__(self, path: Path) -> None:
        self.path = path
        # What the GUI thread drains (a QTimer): the writer thread never touches Qt.
        self.notices: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._queue: queue.SimpleQueue[tuple[Item | None, Answer]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.committed = 0
        self.batches = 0
        self.item_errors = 0
        self._reported: set[type[BaseException]] = set()
        # Called on the writer thread just before each COMMIT (tests use it to simulate a slow disk).
        self.before_commit: Callable[[], None] | None = None

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)
        if self._error:
            raise self._error

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put((None, Future()))
            self._thread.join(10)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def submit(self, item: Item) -> Future[Any]:
        """Queue `item`; its future is resolved once the item is on disk (or refused)."""
        fut: Future[Any] = Future()
        self._queue.put((item, fut))
        return fut

    def submit_async(self, item: Item) -> asyncio.Future[Any]:
        """`submit` for a coroutine on the running loop: await the result."""
        answer = LoopFuture(asyncio.get_running_loop())
        self._queue.put((item, answer))
        return answer.future

    # -- what a subclass says -------------------------------------------------------------------

    def _write(self, conn: sqlite3.Connection, item: Item) -> Written:
        raise NotImplementedError

    def _refusal(self, exc: Exception) -> bool:
        """True for an error that is the item's own fault (answered to the phone, not reported)."""
        return False

    def _guard(self) -> contextlib.AbstractContextManager[Any]:
        """Held while a batch's items are checked and written (not across COMMIT)."""
        return contextlib.nullcontext()

    # -- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            conn = connect(self.path)
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                item, fut = self._queue.get()
                if item is None:
                    fut.set_result(None)
                    return
                batch: list[tuple[Item, Answer]] = [(item, fut)]
                while len(batch) < BATCH_MAX:
                    try:
                        nxt, nfut = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if nxt is None:
                        self._queue.put((nxt, nfut))  # stop after this batch
                        break
                    batch.append((nxt, nfut))
                try:
                    self._commit(conn, batch)
                except Exception as exc:  # a bug must not stop the room: fail this batch only
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    for _item, f in batch:
                        if not f.done():
                            f.set_exception(exc)
                    threading.excepthook(threading.ExceptHookArgs((type(exc), exc, exc.__traceback__, None)))
                finally:
                    settle_all([f for _item, f in batch])
        finally:
            conn.close()

    def _commit(self, conn: sqlite3.Connection, batch: list[tuple[Item, Answer]]) -> None:
        try:
            conn.execute("BEGIN IMMEDIATE")
            with self._guard():
                # Most batches have no failing item: written straight through. If one fails,
                # the batch is written again with each item in its own savepoint, so only that
                # item is rolled back (two statements more per item, measured ~2 % of the server).
                written = self._write_all(conn, batch, alone=False)
                if written is None:
                    conn.execute("ROLLBACK")
                    conn.execute("BEGIN IMMEDIATE")
                    written = self._write_all(conn, batch, alone=True)
            if self.before_commit is not None:
                self.before_commit()
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for _item, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        assert written is not None
        outcomes, notices, memos = written
        self.batches += 1
        for memo in memos:
            memo()
        for notice in notices:
            self.notices.put(notice)
        for fut, result, error in outcomes:
            if error is not None:
                fut.set_exception(error)
            else:
                self.committed += 1
                fut.set_result(result)

    def _write_all(self, conn: sqlite3.Connection, batch: list[tuple[Item, Answer]], alone: bool) -> tuple[
            list[tuple[Answer, Any, BaseException | None]], list[dict[str, Any]], list[Callable[[], None]]] | None:
        """Write every item of the batch. `alone`: each in its own savepoint, a failing one rolled
        back by itself; else the first failure returns None (the caller writes the batch again)."""
        outcomes: list[tuple[Answer, Any, BaseException | None]] = []
        notices: list[dict[str, Any]] = []
        memos: list[Callable[[], None]] = []
        for item, fut in batch:
            if alone:
                conn.execute("SAVEPOINT item")
            try:
                result, notice, memo = self._write(conn, item)
                if alone:
                    conn.execute("RELEASE item")
            except Exception as exc:
                if not alone:
                    return None
                conn.execute("ROLLBACK TO item")
                conn.execute("RELEASE item")
                outcomes.append((fut, None, exc))
                if not self._refusal(exc):
                    self._report(exc)
                continue
            outcomes.append((fut, result, None))
            if notice:
                notices.append(notice)
            if memo:
                memos.append(memo)
        return outcomes, notices, memos

    def _report(self, exc: Exception) -> None:
        """A bug upstream: counted each time, shown once per kind (not a dialog per phone)."""
        self.item_errors += 1
        if type(exc) not in self._reported:
            self._reported.add(type(exc))
            threading.excepthook(threading.ExceptHookArgs((type(exc), exc, exc.__traceback__, None)))
