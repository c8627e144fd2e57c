"""A Heatmap whose token axes label every token that fits, measured in the axis's own font.

The base Heatmap guesses 7 px per character and pyqtgraph then drops edge labels that stick out
of the axis, so a 6-column chart could end up with one label. Here each axis labels every token
when the labels fit side by side, else every k-th, and then says so in the axis title (hover
still reads every cell).
"""
from __future__ import annotations

import math

from PySide6.QtGui import QFontMetricsF

from ..views.heatmap import MAX_TICKS, Heatmap, short_label
from .fit_text import longest_fitting
from ..i18n import N_, tr

GAP = 6.0  # px between neighbouring labels
SPILL = 30  # px a label may reach past the start of its axis (over the other axis's labels)
END_SPILL = 6.0  # … and past the end (the colour bar is close by)


def every_kth(sizes: list[float], cell: float, lo: float = 0.0, hi: float | None = None,
              gap: float = GAP, end_room: float = END_SPILL) -> int:
    """Smallest k such that the labels of the cells in view [lo, hi) at every k-th index (counted
    from 0, so panning does not reshuffle them), `sizes` px long on cells `cell` px apart, neither
    overlap nor reach more than `end_room` px past the view's end."""
    n = len(sizes)
    hi = n if hi is None else hi
    a, b = max(0, math.floor(lo)), min(n, math.ceil(hi))
    if b <= a or cell <= 0:
        return 1
    for k in range(1, b - a + 1):
        idx = range(-(-a // k) * k, b, k)
        if not idx:
            continue
        apart = all((sizes[i] + sizes[j]) / 2 + gap <= cell * k for i, j in zip(idx, idx[1:]))
        if apart and sizes[idx[-1]] / 2 <= (hi - idx[-1] - 0.5) * cell + end_room:
            return k
    return b - a


ORDINALS = {"st": N_("{k}st"), "nd": N_("{k}nd"), "rd": N_("{k}rd"), "th": N_("{k}th")}


def ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 22nd, 23rd …"""
    suffix = "th" if k % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return tr(ORDINALS[suffix]).format(k=k)  # a language's own ordinal (zh_CN: the number)


class TokenHeatmap(Heatmap):
    # the lab sits in a scroll area: the wheel scrolls the lab rather than zooming a chart
    # (a zooming chart would trap the wheel, and a short lab dock could not be scrolled)
    zoomable = False

    def __init__(self, parent=None, title: str = ""):
        super().__init__(parent, title)
        self.plot.getAxis("bottom").setStyle(hideOverlappingLabels=SPILL)
        self.plot.vb.sigResized.connect(lambda _vb: self._update_ticks())  # after the layout gave it its size
        self.every = (1, 1)  # (rows, columns): label every k-th

    def set_matrix(self, data, rows=None, cols=None, **kw) -> None:
        super().set_matrix(data, rows, cols, **kw)
        self._update_ticks()  # the base sets the plain axis titles after its ticks

    def _update_ticks(self, *_) -> None:
        if self.is_closed:  # close() clears the scene, then resizes the view: its plot items are gone
            return
        if getattr(self, "_labelled", (False, False)) != (True, True):
            super()._update_ticks(*_)  # index axes: the base's numbering
            return
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        self.every = (self._label_axis("left", self.rows, vb.height(), y0, y1, self.row_name),
                      self._label_axis("bottom", self.cols, vb.width(), x0, x1, self.col_name))

    def _label_axis(self, side: str, labels: list[str], length: float, lo: float, hi: float, name: str) -> int:
        """Label every cell in view [lo, hi) that fits along `length` px, else every k-th; return k."""
        axis = self.plot.getAxis(side)
        n = len(labels)
        texts = [short_label(s) for s in labels]
        a, b = max(0, math.floor(lo)), min(n, math.ceil(hi))
        k = max(1, math.ceil((b - a) / MAX_TICKS))
        if length > 0 and b > a and hi > lo:
            fm = QFontMetricsF(axis.style["tickFont"] or axis.font())
            sizes = [0.0] * n  # measured in view only (a long text, zoomed in)
            for i in range(a, b):
                sizes[i] = fm.horizontalAdvance(texts[i]) if side == "bottom" else fm.height()
            end = END_SPILL if side == "bottom" else 15.0  # pyqtgraph lets a vertical axis's labels spill 15 px
            k = max(k, every_kth(sizes, length / (hi - lo), lo, hi, end_room=end))
        axis.setTicks([[(i + 0.5, texts[i]) for i in range(-(-a // k) * k, b, k)]])
        name = title = tr(name)  # the callers mark their axis names with N_
        if k > 1:  # say that some are left out, in as many words as fit along the plot
            every = tr("every {ordinal}").format(ordinal=ordinal(k))
            said = tuple(tr(t).format(name=name, every=every) for t in (
                N_("{name} ({every} labelled; hover for each)"), N_("{name} ({every} labelled)"), N_("{name} ({every})")))
            title = longest_fitting(said, axis.label.font(), length)
        if axis.labelText != title:
            self.plot.setLabel(side, title)
        return k
