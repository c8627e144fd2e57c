"""Add & Norm and the feed-forward network: the residual before and after each sub-layer
(inputs → output heatmaps), the norm's recorded per-position statistic, FFN activations and
the most active neurons at the selected position."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from .base import StepContext, View, matrix
from .heatmap import short_label, with_zoom_hint
from .provenance import MAX_PANELS, ProvenanceRow
from .. import theme
from ..i18n import tr

TOP_NEURONS = 10
CHROME_PX = 60  # a small chart's title and axis, not available to its bars
TICK_PX = 64  # the norm statistic's token labels: at most one per this many pixels
MAX_DOTS = 256  # the norm statistic marks each position with a dot up to this many positions


def token_ticks(tokens: list[str], width: int) -> list[tuple[int, str]]:
    """Every n-th position labelled with its (shortened) token, as many as fit `width` pixels."""
    fit = max(2, width // TICK_PX) if width > 0 else 8
    every = max(1, -(-len(tokens) // fit))
    return [(i, short_label(tokens[i], 8)) for i in range(0, len(tokens), every)]


def elide(text: str, w) -> str:
    """A chart title that fits its chart (the whole text is in the view's note / tooltip)."""
    return w.fontMetrics().elidedText(text, Qt.ElideRight, max(w.width() - 20, 80))


def _scale_hook(ctx: StepContext) -> str | None:
    """The hook_scale (std or rms per position) of the norm this step belongs to or feeds."""
    if ctx.kind in ("hook_normalized", "hook_scale"):
        return ctx.sibling("hook_scale")
    step = ctx.store.step(ctx.name)
    for n in step.inputs if step else ():
        if n.endswith("hook_normalized"):
            return n.rsplit(".", 1)[0] + ".hook_scale"
    return None


class FFNView(View):
    name = "ffn"
    heatmaps = MAX_PANELS

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.row = ProvenanceRow()
        bottom = QWidget()
        bl = QHBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        self.stats = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
        self.stats.setMaximumHeight(220)
        self.neurons = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
        self.neurons.setMaximumHeight(300)  # tall enough for a row per neuron label on a big screen
        bl.addWidget(self.stats)
        bl.addWidget(self.neurons)
        lay.addWidget(self.row, 2)
        lay.addWidget(bottom, 1)
        self.top_neurons: list[tuple[int, float]] = []
        self.stat_ticks: list[tuple[int, str]] = []
        self.neuron_ticks: list[tuple[int, str]] = []  # the neuron labels drawn (position, text)
        self.neuron_bars = ""  # "horizontal" | "vertical": how they are laid out at this size

    def show_step(self, ctx: StepContext) -> None:
        step = ctx.store.step(ctx.name)
        if step is None:
            return
        self.row.show_step(ctx)
        self.note.setText(with_zoom_hint(f"{ctx.name}: {step.description}", self.row.maps))
        self._show_stats(ctx)
        self._show_neurons(ctx)

    def _show_stats(self, ctx: StepContext) -> None:
        name = _scale_hook(ctx)
        m = matrix(ctx, name) if name else None
        self.stats.setVisible(m is not None)
        if m is None:
            return
        vals = m.data[:, 0]  # [pos, 1] -> [pos]
        self.stats.clear()
        dots = dict(symbol="o", symbolSize=5) if len(vals) <= MAX_DOTS else {}  # 2,000 dots: one blur, slow to draw
        self.stats.plot(np.arange(len(vals)), vals, pen=pg.mkPen((30, 90, 200), width=2), **dots)
        self.stats.setTitle(elide(tr("norm statistic: {description}").format(description=ctx.store.step(name).description), self.stats))
        self.stat_ticks = token_ticks(m.rows, self.stats.width())
        self.stats.getAxis("bottom").setTicks([self.stat_ticks])

    def _show_neurons(self, ctx: StepContext) -> None:
        m = matrix(ctx) if ctx.kind in ("hook_pre", "hook_post", "hook_pre_linear") else None
        self.neurons.setVisible(m is not None)
        self.top_neurons = []
        if m is None:
            return
        p = ctx.pos(m.data.shape[0])
        row = m.data[p]
        top = np.argsort(-row)[:TOP_NEURONS]
        self.top_neurons = [(int(i), float(row[i])) for i in top]
        self.neuron_title = tr("top {k} neurons at position {p} ‘{token}’").format(k=len(top), p=p, token=m.rows[p])
        self._draw_neurons()

    def _draw_neurons(self) -> None:
        """Bars laid out by the chart's shape, so no two neuron labels overlap: horizontal (a row
        per label, strongest at the top) when the chart is tall enough, else vertical with every
        n-th label that fits its width (indices of 4–5 digits overlapped under ten bars)."""
        plot, top = self.neurons, self.top_neurons
        if not top:
            return
        plot.clear()
        x = np.arange(len(top))
        vals = np.array([v for _, v in top])
        labels = [(k, f"#{i}") for k, (i, _) in enumerate(top)]
        fm = plot.fontMetrics()
        rows_fit = (plot.height() - CHROME_PX) / len(top) >= fm.height() + 2  # the title and axis take CHROME_PX
        self.neuron_bars = "horizontal" if rows_fit else "vertical"
        pi = plot.getPlotItem()
        if rows_fit:
            plot.addItem(pg.BarGraphItem(x0=0, y=x, width=vals, height=0.7, brush=(30, 90, 200)))
            pi.getAxis("left").setTicks([labels])
            self.neuron_ticks = labels
            pi.getAxis("bottom").setTicks(None)
            pi.invertY(True)
        else:
            plot.addItem(pg.BarGraphItem(x=x, height=vals, width=0.7, brush=(30, 90, 200)))
            widest = max(fm.horizontalAdvance(t) for _, t in labels) + 8
            every = max(1, -(-widest * len(top) // max(plot.width() - CHROME_PX, 1)))
            self.neuron_ticks = labels[::every]
            pi.getAxis("bottom").setTicks([self.neuron_ticks])
            pi.getAxis("left").setTicks(None)
            pi.invertY(False)
        plot.setTitle(elide(self.neuron_title, plot))

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(e)
        if self.top_neurons and self.neurons.isVisible():
            self._draw_neurons()
