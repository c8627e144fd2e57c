"""Prompt editor: Enter runs (Shift+Enter inserts a newline); Run and Cancel buttons."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class PromptEdit(QPlainTextEdit):
    submitted = Signal()

    def keyPressEvent(self, e) -> None:
        if e.key() in (Qt.Key_Return, Qt.Key_Enter) and not (e.modifiers() & Qt.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(e)


class PromptPanel(QWidget):
    runRequested = Signal(str, str)  # prompt, decoder target (encoder-decoder models)
    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(4, 4, 4, 4)
        self.edit = PromptEdit()
        self.edit.setPlaceholderText("Type a prompt and press Enter (Shift+Enter for a new line)")
        self.edit.setMaximumHeight(64)
        self.setMaximumHeight(150)
        self.target = QLineEdit()
        self.target.setPlaceholderText("decoder input (the translation so far), e.g. i am a student — Enter runs")
        self.target_label = QLabel("Target:")
        self.set_encoder_decoder(False)
        row = QHBoxLayout()
        self.run_btn = QPushButton("Run ⏎")
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.state = QLabel("")
        self.state.setWordWrap(True)
        self.failed = False
        row.addWidget(self.run_btn)
        row.addWidget(self.cancel_btn)
        row.addWidget(self.state, 1)
        v.addWidget(self.edit)
        trow = QHBoxLayout()
        trow.addWidget(self.target_label)
        trow.addWidget(self.target, 1)
        v.addLayout(trow)
        v.addLayout(row)
        self.target.returnPressed.connect(self.run)
        self.edit.submitted.connect(self.run)
        self.run_btn.clicked.connect(self.run)
        self.cancel_btn.clicked.connect(self.cancelRequested)

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def set_encoder_decoder(self, on: bool) -> None:
        self.target.setVisible(on)
        self.target_label.setVisible(on)

    def run(self) -> None:
        self.runRequested.emit(self.text(), self.target.text() if not self.target.isHidden() else "")

    def set_running(self, running: bool) -> None:
        """A new run clears the last error; the end of a failed run keeps its error on screen."""
        self.cancel_btn.setEnabled(running)
        if running:
            self.clear_failure()
        elif not self.failed:
            self.state.setText("")

    def clear_failure(self) -> None:
        self.failed = False
        self.state.setText("running…" if self.cancel_btn.isEnabled() else "")

    def show_failure(self, msg: str, previous_shown: bool) -> None:
        """Stays until the next run starts (the run's end, which follows, must not wipe it)."""
        self.failed = True
        more = " — the views still show the previous run" if previous_shown else ""
        self.state.setText(f"<span style='color:#c00'>{escape(msg)}</span>{more}")
