"""The QApplication behind `tplay render`: offscreen, and quiet about what offscreen can't do."""
from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager

# Qt's offscreen platform says this on every top-level widget; nothing is wrong with the image
UNSUPPORTED_NOTES = ("This plugin does not support propagateSizeHints()",)


@contextmanager
def signals_deferred():
    """Hold Ctrl+C / SIGTERM until the block ends: PySide's first import runs a bootstrap that
    catches an exception raised inside it (our SIGTERM handler's) and prints its traceback."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)  # a signal that came meanwhile is handled now


def offscreen_app():
    os.environ["QT_QPA_PLATFORM"] = os.environ.get("TPLAY_RENDER_PLATFORM", "offscreen")
    with signals_deferred():
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(["tplay-render"])
        previous = None

        def handler(mode, context, message):
            if message in UNSUPPORTED_NOTES:
                return
            if previous is not None:
                previous(mode, context, message)
            else:
                print(message, file=sys.stderr)

        previous = qInstallMessageHandler(handler)
    return app
