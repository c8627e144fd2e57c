"""Run engine calls off the UI thread: a QRunnable plus a signals QObject, cooperative cancel.

The work function knows nothing of Qt: it gets `cancel` (a callable engine.run polls) and,
if it wants, `progress` (a callable taking a message). Results come back as queued signals.
"""
from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import Callable

from PySide6.QtCore import SIGNAL, QObject, QRunnable, QThreadPool, QTimer, Signal
from .i18n import tr
from .thread_priority import lower_this_threads_priority

log = logging.getLogger(__name__)


class Relay(QObject):
    """Made on the UI thread; `item.emit(x)` from a worker thread queues x onto the UI thread
    (what a generator job yields: lab events, training reports)."""

    item = Signal(object)


class JobSignals(QObject):
    finished = Signal(object)  # the work function's return value
    failed = Signal(str)  # a one-line, user-facing message
    cancelled = Signal()
    progress = Signal(str)
    done = Signal()  # always emitted last, whatever the outcome
    spent = Signal()  # after done's emission has returned: every slot's call is queued (see Jobs.submit)

    def release(self) -> None:
        """Disconnect every slot. A slot that captures its job (`lambda j=job: …`) makes a cycle
        through the C++ connection that Python's collector cannot see: without this each finished
        job, and whatever its slots hold (a trace store, a model), stays alive for good."""
        mo = self.metaObject()
        for i in range(mo.methodOffset(), mo.methodCount()):
            sig = bytes(mo.method(i).methodSignature()).decode()
            if self.receivers(SIGNAL(sig)) > 0:
                getattr(self, sig.split("(")[0]).disconnect()


class _Runner(QRunnable):
    """What a pool queues for one job. Auto-deleted once run: PySide keeps every runnable that is
    not auto-deleted alive as long as its pool (a process-long one here), so a Job passed to the
    pool itself was never freed."""

    def __init__(self, job: "Job"):
        super().__init__()
        self.job = job

    def run(self) -> None:  # worker thread
        lower_this_threads_priority()  # the UI thread runs first when both want a core
        job, self.job = self.job, None
        job.run()


class Job:
    def __init__(self, fn: Callable, *args, name: str = "", cancel: bool = False,
                 progress: bool = False, **kwargs):
        self.runner: _Runner | None = None  # set by Jobs.submit
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.name = name
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self.started = False
        if cancel:
            self.kwargs["cancel"] = self.is_cancelled
        if progress:
            self.kwargs["progress"] = self.signals.progress.emit

    def _message(self, e: Exception) -> str:
        """One line for the status line: out of memory (any kind, with the size asked for), or the bug."""
        from engine.out_of_memory import out_of_memory_text

        oom = out_of_memory_text(e)
        if oom is not None:
            return oom
        log.exception("job %s failed", self.name)
        return tr("{job} failed: {kind}: {error}").format(job=self.name or tr("the job"), kind=type(e).__name__, error=e)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_done(self) -> bool:
        """True once run() has returned (whatever the outcome)."""
        return self._finished.is_set()

    def run(self) -> None:  # worker thread
        self.started = True
        from engine.errors import PlaygroundError
        from engine.runner import Cancelled

        try:
            if self.is_cancelled():
                raise Cancelled()
            result = self.fn(*self.args, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except PlaygroundError as e:
            self.signals.failed.emit(str(e))
        except Exception as e:  # noqa: BLE001 - a bug must not kill the worker thread silently
            self.signals.failed.emit(self._message(e))
        else:
            self.signals.finished.emit(result)
        finally:  # a finished job must not keep its arguments (a model, a trace) alive
            self.fn, self.args, self.kwargs = None, (), {}
            result = None
        self._finished.set()
        self.signals.done.emit()
        self.signals.spent.emit()


_POOLS: list[QThreadPool] = []


def _one_thread_pool() -> QThreadPool:
    """A one-thread pool that lives as long as the process, not as long as its window.

    (A QThreadPool destroyed while a Python job runs waits for it while holding the GIL the
    job needs: a deadlock. Window-owned pools did exactly that when a window closed mid-job.
    One idle thread per pool is all that stays alive.)
    """
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    # Never let the idle thread expire: an expiring pool thread tears down its Python state
    # (needing the GIL) while holding the pool's lock, and a start() on the UI thread holds
    # the GIL while waiting for that lock: both wait forever.
    pool.setExpiryTimeout(-1)
    _POOLS.append(pool)
    return pool


@atexit.register
def _drain_pools() -> None:
    for pool in _POOLS:
        pool.clear()
        pool.waitForDone(5000)


class Jobs(QObject):
    """One worker thread for engine calls on the model (they must not overlap: hooks are
    attached to the model during a run) and one for light work (file headers, listings)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = _one_thread_pool()
        self.light = _one_thread_pool()
        self.live: set[Job] = set()

    def submit(self, job: Job, light: bool = False, priority: int = 0) -> Job:
        """Queued jobs start highest priority first (a run before a layer before extras)."""
        self.live.add(job)
        # drop our reference (and the job's slots) once every signal of the job has been delivered:
        # `spent` is queued behind all of done's deliveries (a release while done was still being
        # emitted lost them), and on the next event-loop turn, not inside the signal's own
        # emission (deleting a sender while it emits is what PySide calls "deleted directly")
        job.signals.spent.connect(lambda j=job: QTimer.singleShot(0, lambda: self._forget(j)))
        job.runner = _Runner(job)
        (self.light if light else self.pool).start(job.runner, priority)
        return job

    def _forget(self, job: Job) -> None:
        """After `spent`: every other signal of the job has reached its slots."""
        self.live.discard(job)
        job.runner = None
        job.signals.release()

    def cancel_all(self) -> None:
        for j in list(self.live):
            j.cancel()

    def wait(self, ms: int = 5000) -> bool:
        """Cancel this owner's jobs and wait (up to ms) until none of them is queued or running."""
        self.cancel_all()
        for pool in (self.pool, self.light):
            for j in list(self.live):
                if not j.started and j.runner is not None:
                    try:
                        pool.tryTake(j.runner)  # not started yet: drop it
                    except RuntimeError:  # it ran meanwhile, and the pool deleted its runner
                        pass
        deadline = time.monotonic() + ms / 1000
        for j in list(self.live):
            if j.started:
                j._finished.wait(max(0.0, deadline - time.monotonic()))  # releases the GIL
        return not any(j.started and not j.is_done() for j in self.live)
