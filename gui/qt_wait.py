"""Block a script (screenshots, benchmarks) on Qt work while the event loop keeps running."""
from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer


def wait(signal, timeout_s: float = 600) -> bool:
    """Run a nested event loop until `signal` fires (True) or `timeout_s` passes (False)."""
    loop = QEventLoop()
    got = []

    def fired(*_args) -> None:  # the arguments are not kept: a model passed here must be freed
        got.append(True)
        loop.quit()

    signal.connect(fired)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    try:
        loop.exec()
    finally:
        signal.disconnect(fired)  # a slot left connected would pile up, one per wait
    return bool(got)


def pump(seconds: float) -> None:
    """Keep the event loop running for `seconds` (queued repaints and timers run)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
