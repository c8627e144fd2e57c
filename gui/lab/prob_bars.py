"""A horizontal top-N probability bar chart with token labels, updated in place.

The bar item, value texts and axis ticks are created once; `set_bars` only calls setOpts /
setText / setTicks, so a live update per decoding step costs well under a millisecond.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

BAR = QColor(30, 90, 200)
CHOSEN = QColor(220, 110, 20)
GHOST = QColor(180, 180, 180)


def short(tok: str, width: int = 14) -> str:
    s = repr(tok)[1:-1] if tok.strip() != tok or not tok.isprintable() else tok
    return s if len(s) <= width else s[: width - 1] + "…"


class ProbBars(pg.PlotWidget):
    def __init__(self, parent=None, n: int = 12, title: str = ""):
        super().__init__(parent, background="w")
        self.n = n
        self.plot = self.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setTitle(title, size="9pt")
        self.plot.setLabel("bottom", "probability")
        self.bars = pg.BarGraphItem(x0=np.zeros(n), y=np.arange(n), height=0.7, width=np.zeros(n), brush=BAR)
        self.plot.addItem(self.bars)
        self.texts = []
        for i in range(n):
            t = pg.TextItem("", color=(40, 40, 40), anchor=(0, 0.5))
            t.setPos(0, i)
            self.plot.addItem(t)
            self.texts.append(t)
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        self.probs = np.zeros(0)
        self.labels: list[str] = []
        self.ids: list[int] = []

    def set_bars(self, labels: list[str], probs, chosen: int | None = None, title: str | None = None,
                 ids: list[int] | None = None) -> None:
        """labels/probs best first; `chosen` = index of the bar to mark (the token taken)."""
        probs = np.asarray(probs, dtype=np.float64)[: self.n]
        k = len(probs)
        self.probs, self.labels, self.ids = probs, list(labels[:k]), list(ids or [])[:k]
        width = np.zeros(self.n)
        width[:k] = probs
        brushes = [CHOSEN if i == chosen else BAR for i in range(self.n)]
        self.bars.setOpts(width=width, brushes=brushes)
        top = float(probs.max()) if k else 1.0
        for i, t in enumerate(self.texts):
            if i < k:
                t.setText(f"{probs[i]:.4f}")
                t.setPos(probs[i], i)
            else:
                t.setText("")
        self.plot.getAxis("left").setTicks([[(i, short(lab)) for i, lab in enumerate(self.labels)]])
        self.plot.setXRange(0, max(top * 1.3, 1e-6), padding=0)
        if title is not None:
            self.plot.setTitle(title, size="9pt")
