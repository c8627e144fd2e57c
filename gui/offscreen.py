"""The QApplication behind `tplay render`: offscreen, and quiet about what offscreen can't do."""
from __future__ import annotations

import os
import sys

# Qt's offscreen platform says this on every top-level widget; nothing is wrong with the image
UNSUPPORTED_NOTES = ("This plugin does not support propagateSizeHints()",)


def offscreen_app():
    os.environ["QT_QPA_PLATFORM"] = os.environ.get("TPLAY_RENDER_PLATFORM", "offscreen")
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
