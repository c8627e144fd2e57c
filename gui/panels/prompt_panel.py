"""Prompt editor: Enter runs (Shift+Enter inserts a newline); Run and Cancel buttons."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget
from ..i18n import tr


class PromptEdit(QPlainTextEdit):
    submitted = Signal()

    def keyPressEvent(self, e) -> None:
        if e.key() in (Qt.Key_Return, Qt.Key_Enter) and not (e.modifiers() & Qt.ShiftModifier):
            self.submitted.emit()
            return
        super().keyPressEvent(e)


class QuietLabel(QLabel):
    """A status label that takes no room while it has nothing to say."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))


class PromptPanel(QWidget):
    runRequested = Signal(str, str)  # prompt, decoder target (encoder-decoder models)
    cancelRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(4, 4, 4, 4)
        self.edit = PromptEdit()
        self.edit.setPlaceholderText(tr("The debugger's prompt: type and press Enter (Shift+Enter for a new line)"))
        self.edit.setToolTip(tr("the debugger's prompt; the decoding lab has its own (its ⇦ debugger's button copies this one)"))
        self.edit.setMaximumHeight(48)  # two lines; a short screen needs the room (Shift+Enter adds lines, it scrolls)
        self.setMaximumHeight(150)
        self.target = QLineEdit()
        self.target.setPlaceholderText(tr("decoder input (the translation so far), e.g. i am a student — Enter runs"))
        self.target_label = QLabel(tr("Target:"))
        self.set_encoder_decoder(False)
        row = QHBoxLayout()
        self.run_btn = QPushButton(tr("Run ⏎"))
        self.cancel_btn = QPushButton(tr("Cancel"))
        self.cancel_btn.setEnabled(False)
        self.back_btn = QPushButton(tr("↶ Your prompt"))
        self.back_btn.setToolTip(tr("put back the prompt you typed (another view replaced it)"))
        self.back_btn.hide()
        self.back_btn.clicked.connect(self.restore_own_text)
        self.replaced_from: str | None = None  # the user's own prompt while another view's text is shown
        self.state = QuietLabel("")
        self.state.setWordWrap(True)
        self.state.hide()
        self.failed = False
        top = QHBoxLayout()  # the buttons beside the text: one row less on a short screen
        top.addWidget(self.edit, 1)
        col = QVBoxLayout()
        col.addWidget(self.run_btn)
        col.addWidget(self.cancel_btn)
        col.addStretch(1)
        top.addLayout(col)
        v.addLayout(top)
        trow = QHBoxLayout()
        trow.addWidget(self.target_label)
        trow.addWidget(self.target, 1)
        v.addLayout(trow)
        row.addWidget(self.back_btn)
        row.addWidget(self.state, 1)
        v.addLayout(row)
        self.target.returnPressed.connect(self.run)
        self.edit.submitted.connect(self.run)
        self.run_btn.clicked.connect(self.run)
        self.cancel_btn.clicked.connect(self.cancelRequested)
        self._setting = False
        self.edit.textChanged.connect(self._edited)

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self._set(text)

    def _set(self, text: str) -> None:
        self._setting = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._setting = False

    def replace_text(self, text: str, why: str) -> None:
        """Show another view's text (a beam node's prefix) in place of the user's prompt, saying so;
        the user's own prompt is kept (remembered, and one click brings it back)."""
        if self.replaced_from is None:
            self.replaced_from = self.text()
        self._set(text)
        self.back_btn.show()
        self.state.setText(tr("{why} — your prompt is kept (↶ Your prompt)").format(why=escape(why)))

    def restore_own_text(self) -> None:
        if self.replaced_from is not None:
            self._set(self.replaced_from)
        self._forget_replacement()
        self.state.setText("")

    def own_text(self) -> str:
        """The prompt the user typed (what is remembered), even while a replacement is shown."""
        return self.replaced_from if self.replaced_from is not None else self.text()

    def _edited(self) -> None:
        if not self._setting and self.replaced_from is not None:
            self._forget_replacement()  # the user edits the shown text: it is theirs now

    def _forget_replacement(self) -> None:
        self.replaced_from = None
        self.back_btn.hide()

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
        elif not self.failed and self.replaced_from is None:
            self.state.setText("")

    def clear_failure(self) -> None:
        self.failed = False
        if self.replaced_from is None:
            self.state.setText(tr("running…") if self.cancel_btn.isEnabled() else "")

    def show_failure(self, msg: str, previous_shown: bool) -> None:
        """Stays until the next run starts (the run's end, which follows, must not wipe it)."""
        self.failed = True
        more = tr(" — the views still show the previous run") if previous_shown else ""
        self.state.setText(f"<span style='color:#c00'>{escape(msg)}</span>{more}")
