"""The one way to run slow work (export, imports, the demo) off the GUI thread.

The work runs on a plain Python thread that never calls Qt: the project measured PySide6
crashing when signals are emitted from other threads under load, so instead a QTimer on the
GUI thread watches the job (its progress, whether it ended) and delivers the result or the
error there. Every exception is caught, BaseException included. Cancel sets a flag that the
job's progress callback checks: the next progress report raises `Cancelled` inside the job.
Jobs are kept referenced until they end; `shutdown` cancels them and waits, so closing the
window never leaves work running.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

POLL_MS = 30


class Cancelled(Exception):  # a request, not an error
    """Raised inside a job (by its progress callback) once the facilitator pressed Cancel."""


class Progress:
    """Handed to the job: call it with a fraction 0…1; it raises `Cancelled` once cancelled."""

    def __init__(self) -> None:
        self.fraction = 0.0
        self._cancel = threading.Event()

    def __call__(self, fraction: float) -> None:
        self.fraction = min(1.0, max(0.0, float(fraction)))
        if self._cancel.is_set() and self.fraction < 1.0:  # at 1.0 the work is done: keep it
            raise Cancelled

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class Task(QObject):
    """One job: its thread, its progress dialog, and what to call on the GUI thread when it ends."""

    ended = Signal(str)  # "done", "failed" or "cancelled", emitted on the GUI thread

    def __init__(self, label: str, work: Callable[[Progress], Any], on_done: Callable[[Any], object],
                 on_error: Callable[[BaseException, str], None], parent: QObject,
                 dialog_parent: QWidget | None, show_progress: bool, on_cancel: Callable[[], None] | None) -> None:
        super().__init__(parent)
        self.label = label
        self.progress = Progress()
        self.state = "running"
        self._work, self._on_done, self._on_error, self._on_cancel = work, on_done, on_error, on_cancel
        self._result: Any = None
        self._error: BaseException | None = None
        self._trace = ""
        self._finished = threading.Event()
        self._was_cancelled = False
        self.started = time.perf_counter()
        self.seconds = 0.0
        self.dialog: QProgressDialog | None = None
        if show_progress:
            self.dialog = QProgressDialog(label, "Cancel", 0, 100, dialog_parent)
            self.dialog.setObjectName("task_progress")
            self.dialog.setWindowTitle("VBP Workshop")
            self.dialog.setMinimumWidth(360)
            self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(400)  # quick jobs never flash a dialog
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.setValue(0)
            self.dialog.canceled.connect(self.cancel)
        self._thread = threading.Thread(target=self._run, name=f"vbp-task: {label}", daemon=False)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        self._thread.start()
        self._timer.start()

    def _run(self) -> None:  # the worker thread: no Qt here
        try:
            self._result = self._work(self.progress)
        except Cancelled:
            self._was_cancelled = True
        except BaseException as exc:  # every failure reaches the GUI thread
            self._error = exc
            self._trace = "".join(traceback.format_exception(exc))
        finally:
            self._finished.set()

    def cancel(self) -> None:
        self.progress.cancel()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    @property
    def running(self) -> bool:
        return not self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job's thread ended (True) or `timeout` seconds passed (False)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _check(self) -> None:
        if self.dialog is not None:
            if self.dialog.wasCanceled() and not self.progress.cancelled:
                self.cancel()  # Escape or the close button, not only Cancel
            self.dialog.setValue(int(self.progress.fraction * 100))
        if self._finished.is_set():
            self._deliver()

    def _deliver(self, callbacks: bool = True) -> None:
        """On the GUI thread: close the dialog, then hand over the result, the error or nothing."""
        if self.state != "running":  # delivered already (a callback may shut the runner down)
            return
        self._timer.stop()
        self._thread.join()
        self.seconds = time.perf_counter() - self.started
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        if self._error is not None:
            self.state = "failed"
        elif self._was_cancelled:
            self.state = "cancelled"
        else:
            self.state = "done"
        if callbacks:
            if self.state == "failed":
                assert self._error is not None
                self._on_error(self._error, self._trace)
            elif self.state == "done":
                self._on_done(self._result)
            elif self._on_cancel is not None:
                self._on_cancel()
        self.ended.emit(self.state)


class TaskRunner(QObject):
    """Starts jobs, keeps them until they end, and cancels and waits for them on shutdown."""

    def __init__(self, parent: QWidget, on_error: Callable[[str, BaseException, str], None]) -> None:
        super().__init__(parent)
        self._window = parent
        self._default_error = on_error
        self.tasks: list[Task] = []

    def run(self, label: str, work: Callable[[Progress], Any], on_done: Callable[[Any], object], *,
            on_error: Callable[[BaseException, str], None] | None = None,
            on_cancel: Callable[[], None] | None = None, show_progress: bool = True) -> Task:
        """Run `work(progress)` on a worker thread; `on_done(result)` or the error on the GUI thread.

        `work` must not touch Qt or the window's Store (a Store belongs to its thread).
        """
        task = Task(label, work, on_done,
                    on_error or (lambda exc, trace: self._default_error(label, exc, trace)),
                    self, self._window, show_progress, on_cancel)
        self.tasks.append(task)
        task.ended.connect(lambda _state, t=task: self._forget(t))
        task.start()
        return task

    def _forget(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return any(t.running for t in self.tasks)

    def shutdown(self, timeout: float = 60.0) -> None:
        """Cancel every job and wait for its thread; nothing is delivered afterwards."""
        for task in list(self.tasks):
            task.cancel()
        deadline = time.monotonic() + timeout
        for task in list(self.tasks):
            task.wait(max(0.0, deadline - time.monotonic()))
            if not task.running:
                task._deliver(callbacks=False)  # the runner owns its tasks
