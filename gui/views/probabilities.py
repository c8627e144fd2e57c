"""Output: logits → softmax at the selected position, as a top-k bar chart with token strings.
The softmax and top-k come from engine.lens.top_k; the logits are the traced hook_logits.

The bar item and the K value labels are made once and updated in place: re-creating them on
every run cost ~10 ms of UI-thread time plus a full scene re-layout."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics


from .base import StepContext, View
from .heatmap import short_label
from .. import theme

K = 10
X_MAX = 1.08
LABEL_CHARS = 16  # longer tokens are shortened with …, so one long token cannot squeeze the bars
INSIDE_FROM = 0.5  # bars at least this long carry their value label inside


class ProbabilitiesView(View):
    name = "probabilities"

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.widget = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
        self.plot = self.widget.getPlotItem()
        self.plot.invertY(True)
        lay.addWidget(self.widget, 1)
        self.top: dict | None = None
        self.bars = pg.BarGraphItem(x0=0, y=np.arange(K), height=0.7, width=np.zeros(K), brush=(30, 90, 200))
        self.plot.addItem(self.bars)
        self.values = []
        for _ in range(K):
            t = pg.TextItem("", color=(40, 40, 40), anchor=(0, 0.5))
            self.plot.addItem(t)
            self.values.append(t)
        self.plot.setLabel("bottom", "probability")
        self.plot.setYRange(-0.6, K - 0.4, padding=0)
        self.plot.setXRange(0, X_MAX, padding=0)  # probabilities: 0..1 (+ room for small bars' labels)
        self.plot.getAxis("bottom").setTicks([[(v, f"{v:g}") for v in (0, 0.25, 0.5, 0.75, 1)]])

    def _clear(self) -> None:
        self.bars.setOpts(width=np.zeros(K))
        for t in self.values:
            t.setText("")
        self.plot.getAxis("left").setTicks([[]])

    def show_step(self, ctx: StepContext) -> None:
        from ..engine_calls import top_probabilities

        s = ctx.store
        logits = s["hook_logits"] if "hook_logits" in s else s.output
        if logits is None or ctx.tokenizer is None:
            self.note.setText("this model has no output head (no logits to show)")
            self._clear()
            return
        n = logits.shape[1]
        p = ctx.pos(n)
        self.top = top = top_probabilities(s, p, ctx.tokenizer, K)
        probs = np.asarray(top["probs"], np.float64)
        raw = logits[0, p, top["ids"]].float().numpy()
        width = np.zeros(K)
        width[: len(probs)] = probs
        self.bars.setOpts(width=width)
        for i, t in enumerate(self.values):
            if i < len(probs):
                inside = probs[i] >= INSIDE_FROM  # a long bar carries its label inside, in white
                t.setText(f"{probs[i]:.4f}  (logit {raw[i]:.3f})")
                t.setColor((255, 255, 255) if inside else theme.current().text)  # outside the bar: the theme's ink
                t.setAnchor((1, 0.5) if inside else (0, 0.5))
                t.setPos(probs[i], i)
            else:
                t.setText("")
        labels = [(i, repr(short_label(tok, LABEL_CHARS))) for i, tok in enumerate(top["tokens"])]
        left = self.plot.getAxis("left")
        left.setTicks([labels])
        # wide enough for the longest token now: pyqtgraph would widen it only on a later paint,
        # dropping the labels that don't fit from this one (a one-shot render would keep them out)
        fm = QFontMetrics(QFont())  # pyqtgraph's default tick font
        widest = max((fm.horizontalAdvance(lb) for _, lb in labels), default=0) + 16
        left.setWidth(max(40, min(widest, int(self.width() * 0.4) or widest)))  # bars keep ≥ 60 %
        toks = s.tokens_for("hook_logits")
        self.note.setText(f"next token after position {p} ‘{toks[p] if p < len(toks) else ''}’: "
                          f"softmax of the logits, top {len(probs)}")
