"""Output: logits → softmax at the selected position, as a top-k bar chart with token strings.
The softmax and top-k come from engine.lens.top_k; the logits are the traced hook_logits."""
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
        self.widget = pg.PlotWidget(background="w")
        self.plot = self.widget.getPlotItem()
        self.plot.invertY(True)
        self.plot.setMenuEnabled(False)
        lay.addWidget(self.widget, 1)
        self.top: dict | None = None

    def show_step(self, ctx: StepContext) -> None:
        from ..engine_calls import top_probabilities

        s = ctx.store
        logits = s["hook_logits"] if "hook_logits" in s else s.output
        if logits is None or ctx.tokenizer is None:
            self.note.setText("this model has no output head (no logits to show)")
            self.plot.clear()
            return
        n = logits.shape[1]
        p = ctx.pos(n)
        self.top = top = top_probabilities(s, p, ctx.tokenizer, K)
        probs = np.asarray(top["probs"], np.float64)
        raw = logits[0, p, top["ids"]].float().numpy()
        self.plot.clear()
        y = np.arange(len(probs))
        self.plot.addItem(pg.BarGraphItem(x0=0, y=y, height=0.7, width=probs, brush=(30, 90, 200)))
        for i, (pr, lg) in enumerate(zip(probs, raw)):
            t = pg.TextItem(f"{pr:.4f}  (logit {lg:.3f})", color=(40, 40, 40), anchor=(0, 0.5))
            t.setPos(pr, i)
            self.plot.addItem(t)
        labels = [(i, f"{tok!r}") for i, tok in enumerate(top["tokens"])]
        self.plot.getAxis("left").setTicks([labels])
        self.plot.setXRange(0, max(1.0, float(probs.max()) * 1.7) if probs.size else 1.0, padding=0)
        self.plot.setLabel("bottom", "probability")
        toks = s.tokens_for("hook_logits")
        self.note.setText(f"next token after position {p} ‘{toks[p] if p < len(toks) else ''}’: "
                          f"softmax of the logits, top {len(probs)}")
