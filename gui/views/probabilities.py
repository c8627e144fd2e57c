"""Output: logits → softmax at the selected position, as a top-k bar chart with token strings.
The softmax and top-k come from engine.lens.top_k; the logits are the traced hook_logits.

The bar item and the K value labels are made once and updated in place: re-creating them on
every run cost ~10 ms of UI-thread time plus a full scene re-layout."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg


from .base import StepContext, View

K = 10


class ProbabilitiesView(View):
    name = "probabilities"

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.widget = pg.PlotWidget(background="w", enableMenu=False)
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
        self.plot.setXRange(0, 1, padding=0)  # before a run: probabilities 0..1, not a default ±400

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
                t.setText(f"{probs[i]:.4f}  (logit {raw[i]:.3f})")
                t.setPos(probs[i], i)
            else:
                t.setText("")
        labels = [(i, f"{tok!r}") for i, tok in enumerate(top["tokens"])]
        self.plot.getAxis("left").setTicks([labels])
        self.plot.setXRange(0, max(1.0, float(probs.max()) * 1.7) if probs.size else 1.0, padding=0)
        toks = s.tokens_for("hook_logits")
        self.note.setText(f"next token after position {p} ‘{toks[p] if p < len(toks) else ''}’: "
                          f"softmax of the logits, top {len(probs)}")
