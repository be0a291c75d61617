"""Network work off the UI thread: a QRunnable job with Qt signals and a CancelToken.

A job is a plain function ``job(context) -> result``. It runs on a QThreadPool thread and
reports through ``WorkerSignals``, whose QObject lives on the UI thread, so every signal
reaches its slots there (queued) and widgets are only touched on the UI thread.

Cancel sets the job's CancelToken; the Segment client checks it between requests and
wakes from its waits (rate limit, backoff), so a cancelled job ends promptly without
ever cutting a write in half.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from idsync.segment.cancel import CancelToken
from idsync.segment.errors import Cancelled, SegmentError

log = logging.getLogger(__name__)

UNEXPECTED_FAILURE = (
    "Something unexpected went wrong while talking to Segment ({kind}). Try again; if it "
    "keeps happening, restart the app and report the problem."
)


@dataclass(frozen=True)
class JobContext:
    """What a running job gets: the cancel token to pass to the client, and a way to say
    what it is doing now (shown next to the progress indicator)."""

    cancel: CancelToken
    report: Callable[[str], None]


Job = Callable[[JobContext], Any]


class WorkerSignals(QObject):
    started = Signal()
    progress = Signal(str)
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # a SegmentError; str() is the message for the person
    cancelled = Signal(str)
    # Always the last signal of a run, whatever the outcome; carries the Worker.
    done = Signal(object)


class Worker(QRunnable):
    """One run of ``job``. Start it with ``TaskRunner.start`` (which keeps it alive)."""

    def __init__(self, job: Job, *, name: str = "job") -> None:
        super().__init__()
        # The TaskRunner owns the Python object; the pool must not delete it under us.
        self.setAutoDelete(False)
        self.name = name
        self.signals = WorkerSignals()
        self.cancel_token = CancelToken()
        self._job = job
        self.running = False
        self.finished_running = False

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_token.cancelled

    def run(self) -> None:
        self.running = True
        signals = self.signals
        signals.started.emit()
        context = JobContext(self.cancel_token, signals.progress.emit)
        try:
            result = self._job(context)
        except Cancelled as exc:
            signals.cancelled.emit(str(exc))
        except SegmentError as exc:
            signals.failed.emit(exc)
        except Exception as exc:  # a bug must reach the person as a message, not a crash
            # Only the type in the log line: an exception's text could quote a request.
            log.error("%s failed with %s", self.name, type(exc).__name__)
            signals.failed.emit(SegmentError(UNEXPECTED_FAILURE.format(kind=type(exc).__name__)))
        else:
            signals.finished.emit(result)
        finally:
            self.running = False
            self.finished_running = True
            signals.done.emit(self)


class TaskRunner(QObject):
    """Runs workers on its own thread pool and keeps each alive until it is done."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._active: set[Worker] = set()

    def start(self, job: Job, *, name: str = "job") -> Worker:
        """Create a worker for ``job``; connect to its signals, then call ``launch``."""
        worker = Worker(job, name=name)
        self._active.add(worker)
        # A bound method of this UI-thread object, so the slot runs queued on the UI thread
        # (a bare lambda would run on the pool thread).
        worker.signals.done.connect(self._forget)
        return worker

    def launch(self, worker: Worker) -> None:
        self.pool.start(worker)

    def run(self, job: Job, *, name: str = "job", **slots: Callable[..., Any]) -> Worker:
        """Start ``job`` with slots given by signal name (finished=..., failed=...).

        Slots must be bound methods of UI-thread QObjects so they run on the UI thread.
        """
        worker = self.start(job, name=name)
        for signal_name, slot in slots.items():
            getattr(worker.signals, signal_name).connect(slot)
        self.launch(worker)
        return worker

    def _forget(self, worker: Worker) -> None:
        self._active.discard(worker)

    @property
    def active_count(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for worker in list(self._active):
            worker.cancel()

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until every worker has finished (shutdown and tests)."""
        return bool(self.pool.waitForDone(msecs))
