"""A horizontal top-N probability bar chart with token labels, updated in place.

The bar item and axis are created once; `set_bars` only calls setOpts / setTicks (values are
part of the tick labels, so no per-bar text items to re-lay out), the title is a plain QLabel,
and the x range only moves when the top value changes noticeably: a live update per decoding
step costs about a millisecond of UI-thread time.

Before any data the chart shows its real empty range (probability 0..1, no token labels). When
the chart is too short for all its bars, it shows the top ones that fit (at least MIN_ROWS) and
says so under the axis rather than drawing the labels over each other.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .fit_text import longest_fitting
from .. import theme
from ..i18n import N_, tr

BAR = QColor(30, 90, 200)
CHOSEN = QColor(220, 110, 20)
LABEL_WIDTH = 132  # px for "token  0.1234" labels (short() keeps tokens to 12 characters)
ROW_PX = 15  # px a bar needs for its label to stay legible
MIN_ROWS = 5
MIN_HEIGHT = 150  # px: title + MIN_ROWS bars + the probability axis


def short(tok: str, width: int = 12) -> str:
    s = repr(tok)[1:-1] if tok.strip() != tok or not tok.isprintable() else tok
    return s if len(s) <= width else s[: width - 1] + "…"


class ProbBars(QWidget):
    def __init__(self, parent=None, n: int = 12, title: str = ""):
        super().__init__(parent)
        self.n = n
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.title = QLabel(title)
        self.title.setStyleSheet("color:gray; padding:2px")  # readable on a light and a dark theme
        self.title.setWordWrap(False)
        self.widget = pg.PlotWidget(background=theme.chart_background())
        lay.addWidget(self.title)
        lay.addWidget(self.widget, 1)
        self.plot = self.widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setLabel("bottom", tr("probability"))
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.plot.getAxis("left").setWidth(LABEL_WIDTH)  # fixed: the axis drops labels wider than itself
        self.bars = pg.BarGraphItem(x0=np.zeros(n), y=np.arange(n), height=0.7, width=np.zeros(n), brush=BAR)
        self.plot.addItem(self.bars)
        self.plot.getAxis("left").setTicks([[]])  # no token yet: no labels (not pyqtgraph's 0, 5, 10)
        self.plot.setXRange(0, 1, padding=0)
        self._xmax = 1.0
        self.probs = np.zeros(0)
        self.rows = 0  # bars that fit the height (set by _fit_rows)
        self.setMinimumHeight(MIN_HEIGHT)
        self.plot.vb.sigResized.connect(lambda _vb: self._fit_rows())
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Show as many bars as the height holds legibly; say when some are left out."""
        h = self.plot.vb.height()
        rows = self.n if h <= 0 else max(min(MIN_ROWS, self.n), min(self.n, int(h // ROW_PX)))
        if rows != self.rows:
            self.rows = rows
            self.plot.setYRange(-0.6, rows - 0.4, padding=0)
        held = len(self.probs)
        axis = self.plot.getAxis("bottom")
        label = tr("probability")
        if held > rows:
            said = tuple(tr(t).format(rows=rows, held=held) for t in (
                N_("probability · top {rows} of {held} shown"), N_("top {rows} of {held} shown"), N_("top {rows}/{held}")))
            label = longest_fitting(said, axis.label.font(), self.plot.vb.width())
        if axis.labelText != label:
            self.plot.setLabel("bottom", label)

    def _tick(self, token: str, p: float) -> str:
        """'token  0.1234', the token elided to the axis width: pyqtgraph silently drops a tick label
        wider than its axis (the chosen '<|endoftext|>' bar went unlabelled)."""
        axis = self.plot.getAxis("left")
        fm = QFontMetrics(axis.style.get("tickFont") or axis.font())
        number = f"  {p:.4f}"
        offset = axis.style.get("tickTextOffset", [5, 2])  # pyqtgraph: [horizontal, vertical] px
        room = LABEL_WIDTH - offset[0] - 8 - fm.horizontalAdvance(number)
        return fm.elidedText(short(token), Qt.ElideRight, max(room, 10)) + number

    def clear_bars(self, title: str = "") -> None:
        self.set_bars([], [], None, title)
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
        self.bars.setOpts(width=width, brushes=[CHOSEN if i == chosen else BAR for i in range(self.n)])
        ticks = [(i, self._tick(lab, probs[i])) for i, lab in enumerate(self.labels)]
        self.plot.getAxis("left").setTicks([ticks])
        top = float(probs.max()) if k else 1.0
        want = min(1.0, max(top * 1.1, 1e-6))
        if not (0.75 * self._xmax <= want <= self._xmax):  # move the axis only on a real change
            self._xmax = want
            self.plot.setXRange(0, want, padding=0)
            self.plot.vb.updateMatrix()  # now, not in the paint's preparation (whose updates paint again)
        if title is not None and title != self.title.text():
            self.title.setText(title)
        self._fit_rows()
