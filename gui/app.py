"""Application start: the window appears first; torch and the model load after it."""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1] + argv)
    win = QMainWindow()
    win.setWindowTitle("Transformer Playground")
    win.setCentralWidget(QLabel("Transformer Playground — the debugger window is being built."))
    win.resize(1000, 700)
    win.show()
    return app.exec()
