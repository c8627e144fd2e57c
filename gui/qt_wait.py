"""Block a script (screenshots, benchmarks) on Qt work while the event loop keeps running."""
from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer


def wait(signal, timeout_s: float = 600) -> bool:
    """Run a nested event loop until `signal` fires (True) or `timeout_s` passes (False)."""
    loop = QEventLoop()
    got = []
    signal.connect(lambda *a: (got.append(a), loop.quit()))
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    return bool(got)


def pump(seconds: float) -> None:
    """Keep the event loop running for `seconds` (queued repaints and timers run)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
