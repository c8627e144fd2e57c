"""Tour ▸ Edit captions…: each stop's caption in English and Chinese, edited as text."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit,
                               QVBoxLayout)
from ..i18n import tr  # the app's one translation context (resources/i18n)




class CaptionsDialog(QDialog):
    """Pick a stop, edit its two captions; OK writes them into the recorder's tour."""

    def __init__(self, recorder, parent=None):
        super().__init__(parent)
        self.setObjectName("tourCaptionsDialog")
        self.setWindowTitle(tr("Edit the tour's captions"))
        self.recorder = recorder
        self.edits: dict[int, dict[str, str]] = {}
        lay = QVBoxLayout(self)
        self.pick = QComboBox()
        for i, s in enumerate(recorder.tour.stops):
            self.pick.addItem(f"{i + 1}. {s.id} — {s.view}")
        lay.addWidget(self.pick)
        form = QFormLayout()
        self.text = {"en": QPlainTextEdit(), "zh": QPlainTextEdit()}
        form.addRow(tr("English"), self.text["en"])
        form.addRow(tr("中文"), self.text["zh"])
        lay.addLayout(form)
        hint = QLabel(tr("{name} puts in a number the stop's facts compute (see the built-in tour's file)."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._shown = -1
        self.pick.currentIndexChanged.connect(self._show)
        self._show(self.pick.currentIndex())

    def _keep(self) -> None:
        if self._shown >= 0:
            self.edits[self._shown] = {k: e.toPlainText() for k, e in self.text.items()}

    def _show(self, i: int) -> None:
        self._keep()
        self._shown = i
        if i < 0:
            return
        stop = self.recorder.tour.stops[i]
        for lang, e in self.text.items():
            e.setPlainText(self.edits.get(i, {}).get(lang, stop.caption.get(lang, "")))

    def accept(self) -> None:
        self._keep()
        for i, texts in self.edits.items():
            for lang, text in texts.items():
                if text.strip() or lang != "en":  # a stop keeps an English caption (the file needs one)
                    self.recorder.set_caption(i, lang, text)
        super().accept()
