"""Translation (or summarisation: any encoder-decoder): source tokens × generated target tokens,
the cross-attention heatmap growing a row per generated token, for any decoder layer and head
(or the mean over heads).

Each row is the new target token's cross-attention pattern, recorded by the decoding step
itself (StepEvent.trace, hook `decoder.blocks.L.cross_attn.hook_pattern`).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from .placeholder import Placeholder
from .token_heatmap import TokenHeatmap
from ..i18n import N_, tr

EXAMPLE = "je suis étudiant"
SUMMARY_EXAMPLE = ("The animal didn't cross the street because it was too tired. It had walked all day, "
                   "so it lay down under a tree and slept until the evening.")
HINT = N_("load an encoder-decoder model (e.g. tiny-translator) and generate")


def model_hint(name: str | None, has_encoder: bool) -> str:
    """What this tab can do with the model that is loaded (a hint that names the model in use)."""
    if not name:
        return tr(HINT)
    if has_encoder:
        return tr("{name} is an encoder-decoder: type a source sentence and press Generate "
                  "(or Translate “{example}”, or Summarise a paragraph); each target token adds a row "
                  "of cross-attention").format(name=name, example=EXAMPLE)
    return tr("{name} has no encoder, so there is no cross-attention to show: load an "
              "encoder-decoder model (e.g. tiny-translator) for this tab").format(name=name)
EMPTY = N_("the cross-attention heatmap appears here: a row per target token as the translation is generated")
WAITING = N_("generating: a row appears here for each target token")
MEAN = N_("mean of heads")


class TranslationView(QWidget):
    exampleRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        bar = QHBoxLayout()
        self.example = QPushButton(tr("Translate “{example}”").format(example=EXAMPLE))
        self.example.clicked.connect(lambda: self.exampleRequested.emit(EXAMPLE))
        self.summary = QPushButton(tr("Summarise"))  # the same run: a summariser is a seq2seq model too
        self.summary.setToolTip(tr("Summarise “{example}”").format(example=SUMMARY_EXAMPLE))
        self.summary.clicked.connect(lambda: self.exampleRequested.emit(SUMMARY_EXAMPLE))
        self.layer = QSpinBox()
        self.layer.setPrefix(tr("layer "))
        self.head = QComboBox()
        self.head.setSizeAdjustPolicy(QComboBox.AdjustToContents)  # as wide as its longest entry
        self.head.addItem(tr(MEAN))
        bar.addWidget(self.example)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(self.layer)
        bar.addWidget(self.head)
        lay.addLayout(bar)
        self.note = QLabel(tr(HINT))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.map = TokenHeatmap(title=tr("cross-attention"))
        self.placeholder = Placeholder(self.map, tr(EMPTY))
        lay.addWidget(self.placeholder, 1)
        self.src: list[str] = []
        self.tgt: list[str] = []
        self.rows: list[np.ndarray] = []  # each [layer, head, src]
        self.layer.valueChanged.connect(self.redraw)
        self.head.currentIndexChanged.connect(self.redraw)

    def reset(self, src_tokens: list[str], n_layers: int, n_heads: int) -> None:
        self.src, self.tgt, self.rows = list(src_tokens), [], []
        self.layer.blockSignals(True)
        self.head.blockSignals(True)
        self.layer.setRange(0, max(0, n_layers - 1))
        self.head.clear()
        self.head.addItems([tr(MEAN)] + [tr("head {head}").format(head=h) for h in range(n_heads)])
        self.layer.blockSignals(False)
        self.head.blockSignals(False)
        self.map.blank(tr("cross-attention"))
        self.placeholder.say(tr(WAITING))

    def clear(self, model_name: str | None = None, has_encoder: bool = False) -> None:
        """Forget the source, the rows and the chart (a new model was loaded)."""
        self.src, self.tgt, self.rows = [], [], []
        self.map.blank(tr("cross-attention"))
        self.placeholder.say(tr(EMPTY))
        self.note.setText(model_hint(model_name, has_encoder))
        for button in (self.example, self.summary):
            button.setEnabled(model_name is None or has_encoder)

    def add_row(self, token: str, row: np.ndarray) -> None:
        self.tgt.append(token)
        self.rows.append(row)
        self.redraw()

    def matrix(self) -> np.ndarray:
        """[target, source] for the selected layer / head."""
        L = self.layer.value()
        h = self.head.currentIndex() - 1
        rows = [r[L].mean(0) if h < 0 else r[L, h] for r in self.rows]  # each [src]
        return np.stack(rows) if rows else np.zeros((0, len(self.src)))

    def showEvent(self, e) -> None:
        super().showEvent(e)
        self.redraw()

    def redraw(self) -> None:
        if not self.rows or (self.window().isVisible() and not self.isVisible()):
            return  # nothing yet, or in a hidden tab (drawn when shown)
        m = self.matrix()
        self.placeholder.show_chart()
        what = self.head.currentText() or tr("head")
        self.map.set_matrix(m, self.tgt, self.src, title=tr("cross-attention, decoder layer {layer}, {head}").format(
                            layer=self.layer.value(), head=what), row_name=N_("target"), col_name=N_("source"), diverging=False)
        self.note.setText(tr("{target} target tokens × {source} source tokens: each row is where the "
                             "decoder looked in the source when it produced that token").format(
                                 target=len(self.tgt), source=len(self.src)))
