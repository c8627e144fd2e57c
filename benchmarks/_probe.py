"""The UI-stall probe both UI benchmarks use."""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Probe:
    """Largest gap between ticks of a 5 ms timer on the UI thread (wall time, minus the interval),
    and the most CPU time the UI thread itself used within one gap (time.thread_time): on a
    machine shared with other work the wall figure also holds time the process was not scheduled."""

    def __init__(self, interval_ms: int = 5):
        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.worst, self.worst_cpu, self.last, self.last_cpu = 0.0, 0.0, None, 0.0

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self.last is not None:
            self.worst = max(self.worst, now - self.last - self.interval)
            self.worst_cpu = max(self.worst_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu

    def start(self) -> None:
        self.worst, self.worst_cpu = 0.0, 0.0
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.worst
