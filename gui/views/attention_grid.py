"""Layers × heads grid of attention-pattern thumbnails (one mosaic image); click to open one.

Thumbnails are the traced patterns average-pooled to at most 48×48 and each scaled to its own
maximum, so faint heads stay visible; the full-resolution pattern opens on click.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout

from engine.hook_names import is_cross_attention, layer_key, layer_of
from .base import StepContext, View
from .. import theme

GAP = 2
NOTE = "layers × heads: click a thumbnail to open that head"
RECOMPUTING = "recomputing the layers' patterns: "


def mosaic(thumbs: list[tuple[str, np.ndarray]]) -> tuple[np.ndarray, int]:
    """[(name, [head, s, s])] -> one image [rows*(s+GAP), heads*(s+GAP)] and the cell size."""
    s = max(max(a.shape[1], a.shape[2]) for _, a in thumbs)
    heads = max(a.shape[0] for _, a in thumbs)
    cell = s + GAP
    img = np.full((len(thumbs) * cell, heads * cell), np.nan, np.float32)
    for r, (_, a) in enumerate(thumbs):
        for h in range(a.shape[0]):
            t = a[h] / (a[h].max() or 1.0)
            img[r * cell: r * cell + t.shape[0], h * cell: h * cell + t.shape[1]] = t
    return img, cell


class AttentionGridView(View):
    name = "grid"
    headClicked = Signal(str, int)  # pattern hook name, head

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(NOTE)
        self.stale = False
        self.widget = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
        self.plot = self.widget.getPlotItem()
        self.plot.invertY(True)
        self.img = pg.ImageItem(axisOrder="row-major")
        self.img.setColorMap(pg.colormap.get("viridis"))
        self.plot.addItem(self.img)
        self.frame = pg.QtWidgets.QGraphicsRectItem()
        self.frame.setPen(pg.mkPen((230, 40, 40), width=2))
        self.plot.addItem(self.frame)
        lay.addWidget(self.note)
        lay.addWidget(self.widget, 1)
        self.names: list[str] = []
        self.cell = 1
        self.widget.scene().sigMouseClicked.connect(self._clicked)

    def clear(self) -> None:
        """Another model: drop the old thumbnails until the new ones arrive."""
        self.names = []
        self.img.clear()
        self.frame.hide()
        self.plot.getAxis("left").setTicks([[]])
        self.plot.getAxis("bottom").setTicks([[]])
        self.note.setText(NOTE)

    def mark_stale(self, order: list[str]) -> None:
        """A new run: keep the old mosaic, labelled as the previous run's, until the new one
        arrives with the same layout (clearing and refilling it repainted the whole dock twice,
        ~30 ms each on a 30-layer model). A different set of layers clears it."""
        if not self.names or not set(self.names) <= set(order):
            self.clear()
            return
        self.stale = True
        self.note.setText("showing the previous run's thumbnails: this run's are on the way…")

    def set_thumbnails(self, thumbs: list[tuple[str, np.ndarray]]) -> None:
        if not thumbs:
            return
        img, self.cell = mosaic(thumbs)
        if self.stale:
            self.stale = False
            self.note.setText(NOTE)
        self.names = [n for n, _ in thumbs]
        self.img.setImage(img, levels=(0, 1))
        rows = [(i * self.cell + self.cell / 2, self._row_label(n)) for i, n in enumerate(self.names)]
        heads = max(a.shape[0] for _, a in thumbs)
        self.plot.getAxis("left").setTicks([rows])
        self.plot.getAxis("bottom").setTicks([[(h * self.cell + self.cell / 2, str(h)) for h in range(heads)]])
        self.plot.setLabel("bottom", "head")
        self.plot.vb.setRange(xRange=(0, img.shape[1]), yRange=(0, img.shape[0]), padding=0.02)

    @staticmethod
    def _row_label(name: str) -> str:
        layer = layer_of(name)
        if layer is None:
            return name
        stack = layer_key(name).removesuffix(f"blocks.{layer}").rstrip(".")
        tag = (f"{stack[:3]} " if stack else "") + f"L{layer}"
        return tag + (" ×" if is_cross_attention(name) else "")

    def cell_at(self, x: float, y: float) -> tuple[str, int] | None:
        r, h = int(y // self.cell), int(x // self.cell)
        if 0 <= r < len(self.names) and h >= 0 and x % self.cell < self.cell - GAP:
            return self.names[r], h
        return None

    def _clicked(self, ev) -> None:
        p = self.plot.vb.mapSceneToView(ev.scenePos())
        hit = self.cell_at(p.x(), p.y())
        if hit:
            self.headClicked.emit(*hit)

    def show_step(self, ctx: StepContext) -> None:
        thumbs = ctx.extra.get("thumbs")
        if thumbs:
            self.set_thumbnails(thumbs)
        progress = ctx.extra.get("thumbs progress")
        if progress:  # a long prompt recomputes its layers one by one
            self.note.setText(f"{RECOMPUTING}{progress} done…")
        elif self.note.text().startswith(RECOMPUTING):
            self.note.setText(NOTE)
        pattern = ctx.sibling("hook_pattern") if layer_key(ctx.name) else None
        if pattern in self.names:
            r = self.names.index(pattern)
            self.frame.setRect(ctx.head * self.cell - 1, r * self.cell - 1, self.cell - GAP + 2, self.cell - GAP + 2)
            self.frame.show()
        else:
            self.frame.hide()
