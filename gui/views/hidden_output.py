"""What a model without a language-model head outputs (minilm-l6, any `…Model` checkpoint): its
final hidden state — not scores over tokens, so no token probabilities — and, for a model
packaged for sentence-transformers, the pooled sentence embedding and its cosine similarity
with a second prompt.

The hidden state is the traced output; the pooling and the comparison are engine functions
(engine/sentence_embedding.py), the comparison run on the session's worker thread.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from .. import theme
from ..i18n import tr

SECOND_PROMPT = "A tired dog stayed on the pavement."


def _curve_plot(title: str, left: str) -> tuple[pg.PlotWidget, pg.BarGraphItem]:
    w = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
    plot = w.getPlotItem()
    plot.setTitle(title, size="9pt")
    plot.setLabel("bottom", tr("dimension (d_model)"))
    plot.setLabel("left", left)
    plot.getAxis("left").enableAutoSIPrefix(False)  # values ~0.05 must read as 0.05, not "(x0.001)"
    plot.getAxis("bottom").enableAutoSIPrefix(False)
    w.setMinimumHeight(110)
    w.setMaximumHeight(170)
    bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brush=(30, 90, 200), pen=None)
    plot.addItem(bars)
    return w, bars


def _draw(plot: pg.PlotWidget, bars: pg.BarGraphItem, vec: np.ndarray) -> None:
    """Bars of one vector [d]; the view spans exactly its dimensions and values."""
    bars.setOpts(x=np.arange(len(vec)), height=vec, width=0.8)
    lo, hi = float(min(vec.min(), 0.0)), float(max(vec.max(), 0.0))
    pad = 0.05 * (hi - lo or 1.0)
    plot.getPlotItem().setRange(xRange=(-0.5, len(vec) - 0.5), yRange=(lo - pad, hi + pad), padding=0)


class HiddenOutputPanel(QWidget):
    """The hidden state at the selected position; the sentence embedding and a comparison."""

    compared = Signal(object)  # engine.sentence_embedding.Comparison, once shown

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.hidden_plot, self.hidden_bars = _curve_plot(tr("final hidden state"), tr("value"))
        lay.addWidget(self.hidden_plot, 1)
        self.embed_box = QWidget()
        box = QVBoxLayout(self.embed_box)
        box.setContentsMargins(0, 0, 0, 0)
        self.embed_note = QLabel()
        self.embed_note.setWordWrap(True)
        box.addWidget(self.embed_note)
        row = QHBoxLayout()
        self.second = QLineEdit(SECOND_PROMPT)
        self.second.setPlaceholderText(tr("a second prompt to compare with"))
        self.compare_btn = QPushButton(tr("Compare"))
        row.addWidget(QLabel(tr("second prompt:")))
        row.addWidget(self.second, 1)
        row.addWidget(self.compare_btn)
        box.addLayout(row)
        self.similarity = QLabel("")
        self.similarity.setWordWrap(True)
        box.addWidget(self.similarity)
        self.embed_plot, self.embed_bars = _curve_plot(tr("sentence embedding"), tr("value"))
        box.addWidget(self.embed_plot, 1)
        lay.addWidget(self.embed_box, 1)
        lay.addStretch(0)
        self.hidden: np.ndarray | None = None  # [d_model] drawn now
        self.embedding: np.ndarray | None = None  # [d_model] the prompt's pooled embedding
        self.comparison = None

    def show_hidden(self, vec: np.ndarray, title: str) -> None:
        self.hidden = vec
        _draw(self.hidden_plot, self.hidden_bars, vec)
        self.hidden_plot.getPlotItem().setTitle(title, size="9pt")

    def show_embedding(self, vec: np.ndarray | None, note: str) -> None:
        self.embedding = vec
        self.embed_note.setText(note)
        self.embed_plot.setVisible(vec is not None)
        if vec is not None:
            _draw(self.embed_plot, self.embed_bars, vec)

    def show_comparison(self, c) -> None:
        self.comparison = c
        (a, b), (na, nb) = c.texts, c.tokens
        self.similarity.setText(
            tr("cosine similarity of the two sentence embeddings: <b>{similarity:.4f}</b> "
               "(‘{a}’, {na} tokens · ‘{b}’, {nb} tokens)").format(similarity=c.similarity, a=a, na=na, b=b, nb=nb))
        self.compared.emit(c)
