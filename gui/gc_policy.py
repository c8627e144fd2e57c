"""Keep Python's cyclic collector off the UI thread's hot path.

The app collects on the UI thread only (pyqtgraph's GarbageCollector, every second: a collection
in a worker thread can destroy Qt objects there), from the first view on (gui/app.py: nothing is
collected during start-up, and the engine's imports are frozen once done). A full collection walks every tracked object:
after torch and the first model are imported that is ~360k objects, 90-250 ms of UI-thread CPU,
which landed in the middle of model switches. Once a load has brought new modules in (the
long-lived bulk: functions, classes, annotations), `gc.freeze()` moves everything alive into the
permanent generation, so later collections only walk what was made since (a model, a trace, its
views). Objects frozen stay freed by reference counting (models and traces are: no cycles); only
cyclic garbage frozen at that moment would stay, and the young generations are collected first.
"""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QTimer


class FreezeAfterLoads:
    """Freeze the heap after a load that imported modules, once the session is idle again."""

    def __init__(self, session):
        self.session = session
        self.modules_at_freeze = 0
        self.freezes = 0
        session.modelChanged.connect(lambda _lm: self._when_idle())

    def _when_idle(self) -> None:
        if self.session.busy:  # the load's prompt run: freeze once it has been drawn
            self.session.busyChanged.connect(self._idle_once)
        else:
            QTimer.singleShot(0, self.freeze)

    def _idle_once(self, busy: bool) -> None:
        if not busy:
            self.session.busyChanged.disconnect(self._idle_once)
            QTimer.singleShot(0, self.freeze)

    def freeze(self) -> bool:
        if len(sys.modules) <= self.modules_at_freeze:
            return False
        gc.collect(1)  # young garbage first (cheap): only what is alive goes to the permanent generation
        gc.freeze()
        self.modules_at_freeze = len(sys.modules)
        self.freezes += 1
        return True
