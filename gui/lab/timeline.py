"""Timeline: the chosen token's probability and the distribution's entropy (bits) per step.

Curves are updated with setData on existing items; clicking picks a step for the other charts.
The view range is set here, not by pyqtgraph's auto-range (which re-ranges inside the paint and
so paints the plot twice per frame), and it grows with headroom: a live run moves the axes, and
regenerates their ticks, on one frame in several rather than on every frame.
The legend is a label row above the plot (never over the curves); the step axis ticks integers.
When the chart is small, the legend goes on two lines and the y-axis title shortens (then
goes) rather than being clipped.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QFontMetricsF

from .fit_text import longest_fitting
from .stats import bits
from .. import theme
from ..i18n import N_, tr

PROB, ENT = (220, 110, 20), (30, 90, 200)
_P, _H = N_("●━ p(chosen)"), N_("━━ entropy (bits)")


def legend(p: str = _P, h: str = _H) -> str:
    return f"<span style='color:rgb{PROB}'>{p}</span>&nbsp;&nbsp;&nbsp;<span style='color:rgb{ENT}'>{h}</span>"


LEGEND = legend()
LEGEND_2 = LEGEND.replace("&nbsp;&nbsp;&nbsp;", "<br>")  # stacked, for a narrow chart
Y_TITLES = (N_("p(chosen) · entropy [bits]"), N_("p · bits"), "")  # longest that fits the plot's height
MIN_SIZE = (170, 140)


class StepAxis(pg.AxisItem):
    """Ticks at whole steps only (pyqtgraph would put 0.5, 1.5 … on a short run)."""

    def tickSpacing(self, minVal, maxVal, size):
        levels = [(sp, off) for sp, off in super().tickSpacing(minVal, maxVal, size) if sp >= 1]
        return levels or [(1.0, 0.0)]


class Timeline(pg.PlotWidget):
    stepPicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent, background=theme.chart_background(), axisItems={"bottom": StepAxis("bottom")})
        self.plot = self.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.legend = legend(tr(_P), tr(_H))  # in the interface's language
        self.legend_2 = self.legend.replace("&nbsp;&nbsp;&nbsp;", "<br>")
        self.y_titles = tuple(tr(t) if t else t for t in Y_TITLES)
        self.plot.setTitle(self.legend, size="9pt")
        self.plot.setLabel("bottom", tr("step"))
        self.plot.setLabel("left", self.y_titles[0])
        self.setMinimumSize(*MIN_SIZE)
        font = QFont(self.font())
        font.setPointSizeF(9)
        fm = QFontMetricsF(font)
        self._legend_px = fm.horizontalAdvance(f"{tr(_P)}   {tr(_H)}") + 16
        self._legend_2_px = int(2 * fm.lineSpacing() + 6)  # the title row's height for two lines
        self.plot.vb.sigResized.connect(lambda _vb: self._fit_titles())
        self.prob = self.plot.plot([], [], pen=pg.mkPen(PROB, width=2), symbol="o", symbolSize=5,
                                   symbolBrush=PROB, name="p(chosen)")
        self.ent = self.plot.plot([], [], pen=pg.mkPen(ENT, width=2), name="entropy (bits)")
        self.cursor = pg.InfiniteLine(0, angle=90, pen=pg.mkPen((120, 120, 120), style=pg.QtCore.Qt.DashLine))
        self.plot.addItem(self.cursor)
        self.steps: list[int] = []
        self.p: list[float] = []
        self.h: list[float] = []
        self.scene().sigMouseClicked.connect(self._clicked)
        self.clear_steps()

    def _fit_titles(self) -> None:
        """The one-line legend when it fits the width, and the longest y title the height holds."""
        legend = self.legend if self.width() >= self._legend_px else self.legend_2
        if self.plot.titleLabel.text != legend:
            self.plot.setTitle(legend, size="9pt")
            height = max(30, self._legend_2_px) if legend is self.legend_2 else 30  # 30: pyqtgraph's title row
            self.plot.titleLabel.setMaximumHeight(height)
            self.plot.layout.setRowFixedHeight(0, height)
        left = self.plot.getAxis("left")
        title = longest_fitting(self.y_titles, left.label.font(), self.plot.vb.height() - 8)
        if left.labelText != title:
            left.setLabel(title)
            left.showLabel(bool(title))

    def clear_steps(self) -> None:
        self.steps, self.p, self.h = [], [], []
        self.prob.setData([], [])
        self.ent.setData([], [])
        self.cursor.setValue(0)
        self.plot.disableAutoRange()  # until data: steps 0..10 and probabilities 0..1, not a default ±5
        self._range = ((0.0, 10.0), (0.0, 1.0))  # what the view shows (x, y)
        self._xs, self._ytop = None, None  # the steps and the height it was last ranged for
        self.plot.setRange(xRange=self._range[0], yRange=self._range[1], padding=0)

    def add(self, step: int, chosen_prob: float, entropy_nats: float) -> None:
        self.append(step, chosen_prob, entropy_nats)
        self.redraw()

    def append(self, step: int, chosen_prob: float, entropy_nats: float) -> None:
        """Record a step without drawing it (the caller redraws once per frame)."""
        self.steps.append(step)
        self.p.append(chosen_prob)
        self.h.append(bits(entropy_nats))

    def redraw(self) -> None:
        x = np.asarray(self.steps, dtype=float)
        self.prob.setData(x, np.asarray(self.p))
        self.ent.setData(x, np.asarray(self.h))
        if self.steps:
            self._follow()
            self.cursor.setValue(self.steps[-1])

    def _follow(self) -> None:
        """Range the view over the data: x from the first step to the last (once a run spans 8
        steps, a quarter past it), y from 0 to a quarter above the highest value (1 at least). Moved only when
        the data leaves it or a new run starts, never shrunk within a run."""
        first, last = self.steps[0], self.steps[-1]
        if self._xs is None or first != self._xs[0] or last > self._xs[1]:
            span = max(1, last - first)
            self._xs = (first, max(first + 1, last + (span // 4 if span >= 8 else 0)))
        top = max(1.0, max(self.p), max(self.h))
        if self._ytop is None or top > self._ytop:
            self._ytop = top * 1.25 if top > 1.0 else 1.0
        (s0, s1), pad = self._xs, 0.02 * (self._xs[1] - self._xs[0])
        want = ((s0 - pad, s1 + pad), (-0.02 * self._ytop, 1.02 * self._ytop))
        if want != self._range:
            self._range = want
            self.plot.setRange(xRange=want[0], yRange=want[1], padding=0)
            self.plot.vb.updateMatrix()  # now, not in the paint's preparation (whose updates paint again)

    def mark(self, step: int) -> None:
        self.cursor.setValue(step)

    def _clicked(self, ev) -> None:
        if not self.steps:
            return
        x = self.plot.vb.mapSceneToView(ev.scenePos()).x()
        step = int(round(min(max(x, self.steps[0]), self.steps[-1])))
        self.mark(step)
        self.stepPicked.emit(step)
