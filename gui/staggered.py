"""Spread chart updates over event-loop turns, so no single turn repaints everything.

Qt repaints every widget made dirty in one turn of the event loop together. When a run ends
or a decoding step arrives, updating the inspector, the output chart, the grid and every stage
chart at once made one 40-70 ms turn on smollm2 (a frozen window, by the 50 ms rule).
`Staggered.later(key, fn)` queues `fn` instead; queued functions run one per turn, in the order
first queued, and a newer function for a key still waiting replaces the older one (only the
latest state is drawn). Each function's repaint happens before the next function runs, so the
UI thread answers input and timers between them.
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)


class Staggered(QObject):
    drained = Signal()  # the queue ran empty

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._queue: dict[str, Callable[[], None]] = {}  # insertion-ordered: first queued runs first
        self._idle: dict[str, Callable[[], None]] = {}  # run only when _queue is empty (warm-up work)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_one)
        self.spent_s = 0.0  # UI-thread seconds spent in queued functions (benchmarks read it)

    def later(self, key: str, fn: Callable[[], None], last: bool = False) -> None:
        """Run fn in a later turn; replaces a function still waiting under the same key, in its
        place (so steady updates cannot starve it), or at the end with `last` (a "done" signal
        that must follow everything queued before it)."""
        if last:
            self._queue.pop(key, None)
        self._queue[key] = fn
        if not self._timer.isActive():
            self._timer.start()

    def when_idle(self, key: str, fn: Callable[[], None]) -> None:
        """Like later(), but only in a turn with nothing else queued (ahead-of-need work)."""
        self._idle[key] = fn
        if not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> list[str]:
        """Keys still queued by later() (when_idle work is not waited for)."""
        return list(self._queue)

    def clear(self) -> None:
        self._queue.clear()
        self._idle.clear()
        self._timer.stop()

    def _pop(self) -> Callable[[], None]:
        queue = self._queue or self._idle
        key = next(iter(queue))
        return queue.pop(key)

    def _call(self, fn: Callable[[], None]) -> None:
        t0 = time.perf_counter()
        try:
            fn()
        except Exception:  # noqa: BLE001 - one failing chart must not stop the others drawing
            log.exception("a staggered UI update failed")
        self.spent_s += time.perf_counter() - t0

    def _run_one(self) -> None:
        if not (self._queue or self._idle):
            return
        was_urgent = bool(self._queue)
        self._call(self._pop())
        if self._queue or self._idle:
            self._timer.start()
        if was_urgent and not self._queue:
            self.drained.emit()
