"""Heatmap: a matrix as an ImageItem, row 0 at the top, token labels on the axes, exact hover.

A matrix with more cells than the chart has pixels is drawn at screen resolution (gui/views/lod.py):
each image pixel shows the value of largest magnitude of the cells it stands for, the info line
says so, and zooming in re-renders the window in view (every cell once they fit). The colour scale
is always the whole matrix's range, and hover always reads the exact cell of the whole matrix.

−∞ cells (masked attention scores) are drawn transparent over a hatched background and read
"−∞" on hover and, for small matrices, in the cell itself. The wheel zooms, a drag pans and a
double-click shows the whole matrix again; the axes label the rows and columns in view.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from .. import theme
from ..i18n import N_, tr
from .lod import aligned_window, block_extreme, block_min_max, factor, largest_magnitude

MAX_TICKS = 48  # label every row/column up to this many, then every n-th
MAX_INF_TEXT = 16  # write "−∞" in masked cells up to this size
MIN_CELLS = 4  # zooming in stops at this many rows / columns in view
ZOOM_ROWS = 64  # a view's note says how to zoom when a matrix it shows has more rows
ZOOM_HINT = N_("scroll to zoom, drag to pan, double-click to reset")
FALLBACK_PX = 1024  # image pixels per axis while the chart has not been laid out yet
RENDER_MS = 30  # a zoom, pan or resize re-renders the window in view once it pauses this long
QUEUE_MS = 8  # between two renders: the layouts of a view just shown settle over a few event-loop turns
SYNC_CELLS = 256 * 256  # up to this many cells set_matrix draws at once; larger: RenderQueue, one per turn


class Drawn(NamedTuple):
    """What the image shows: cells [r0, r1) × [c0, c1), kr × kc cells per image pixel."""
    r0: int
    r1: int
    c0: int
    c1: int
    kr: int
    kc: int


def _ticks(labels: list[str], most: int = MAX_TICKS, lo: float = 0, hi: float | None = None) -> list[tuple[float, str]]:
    """Ticks at the centres of the cells in [lo, hi), at most `most` of them: every n-th label,
    counted from 0 so that panning does not shift which labels are shown."""
    n = len(labels)
    a = max(0, int(np.floor(lo)))
    b = min(n, int(np.ceil(n if hi is None else hi)))
    every = max(1, int(np.ceil((b - a) / most)))
    return [(i + 0.5, short_label(labels[i])) for i in range(-(-a // every) * every, b, every)]


class RenderQueue(QObject):
    """Large matrices' first images, one per event-loop turn (a view of three 2,000-row matrices
    would otherwise hold the UI thread for all three in one turn); by then the layout has given
    each chart its size. `rendered` tells the inspector when a view is drawn (its view-shown announcement)."""

    rendered = Signal(object)  # the Heatmap just drawn

    def __init__(self):
        super().__init__()
        self.waiting: list[Heatmap] = []
        self.timer: QTimer | None = None

    def add(self, h: "Heatmap") -> None:
        if h not in self.waiting:
            self.waiting.append(h)
        if self.timer is None:  # made on first use: the QApplication exists by then
            self.timer = QTimer()
            self.timer.setSingleShot(True)
            self.timer.setInterval(QUEUE_MS)
            self.timer.timeout.connect(self._one)
        if not self.timer.isActive():
            self.timer.start()

    def _one(self) -> None:
        while self.waiting:
            h = self.waiting.pop(0)
            if shiboken6.isValid(h) and h.isVisible() and h.needs_render():
                h.render()
                break  # one per turn
        if any(shiboken6.isValid(h) and h.isVisible() for h in self.waiting):
            self.timer.start()

    def flush(self, widget) -> None:
        """Draw now every pending heatmap in `widget` (before a grab or an export)."""
        maps = [widget] if isinstance(widget, Heatmap) else []
        for h in maps + widget.findChildren(Heatmap):
            h.render()  # (nothing to do for one already drawn as it should be)


_COLORMAPS: dict[str, pg.ColorMap] = {}


def colormap(name: str) -> pg.ColorMap:
    """pyqtgraph's colour map `name`, read once (pg.colormap.get reads its file each call: ~10 ms)."""
    if name not in _COLORMAPS:
        _COLORMAPS[name] = pg.colormap.get(name)
    return _COLORMAPS[name]


def with_zoom_hint(note: str, maps) -> str:
    """`note`, plus how to zoom when a shown heatmap of `maps` has more than ZOOM_ROWS rows."""
    if any(not h.isHidden() and h.data.shape[0] > ZOOM_ROWS for h in maps):
        return f"{note} · {tr(ZOOM_HINT)}" if note else tr(ZOOM_HINT)
    return note


def short_label(s: str, width: int = 12) -> str:
    s = s.replace("\n", "⏎").replace("\t", "⇥")
    return s if len(s) <= width else s[: width - 1] + "…"


class Heatmap(pg.GraphicsLayoutWidget):
    """One matrix chart. Building one costs ~15 ms of pyqtgraph set-up, and a view holds up to
    five: `prebuild()` makes them ahead of need (one per event-loop turn at start-up) and views
    get theirs with `take()`, so building a view never freezes the window."""

    hovered = Signal(str)
    _ready: list["Heatmap"] = []
    zoomable = True  # wheel zooms, drag pans; False: the wheel goes to the parent (a scroll area)

    @classmethod
    def prebuild(cls, want: int) -> None:
        """Build one more, unless `want` are ready already (another window may have left some)."""
        if len(cls._ready) < want:
            cls._ready.append(cls())

    @classmethod
    def take(cls) -> "Heatmap":
        return cls._ready.pop() if cls._ready else cls()

    def __init__(self, parent=None, title: str = ""):
        super().__init__(parent)
        self.setBackground(theme.chart_background())
        self.title = self.addLabel(title, row=0, col=0, colspan=2)
        self.full_title = title  # the title shown whole, or elided in the middle to the chart's width
        self.plot = self.addPlot(row=1, col=0, enableMenu=False)
        self.plot.vb.setMouseEnabled(x=self.zoomable, y=self.zoomable)  # no context menu either way
        self.is_closed = False  # our own flag: pyqtgraph's `closed` is not public API
        self.plot.invertY(True)
        self.plot.vb.setBackgroundColor(QColor(90, 90, 90))
        self.plot.vb.setBorder(None)
        self.img = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.img)
        self.bar = pg.ColorBarItem(values=(0, 1), colorMap="viridis", interactive=False, width=12)
        self.bar.setImageItem(self.img)
        self.addItem(self.bar, row=1, col=1)
        self.info = self.addLabel("", row=2, col=0, colspan=2, justify="left")
        self._texts: list[pg.TextItem] = []
        self.data = np.zeros((0, 0), np.float32)
        self.rows: list[str] = []
        self.cols: list[str] = []
        self.row_name, self.col_name = "row", "col"
        self._col_px = 27
        self.drawn: Drawn | None = None
        self._src = self.data  # data with non-finite cells as NaN (data itself when all are finite)
        self._levels, self._sign, self._hover = (0.0, 1.0), None, ""
        self._diverging, self._stale = None, False
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_MS)
        self._render_timer.timeout.connect(lambda: _queue.add(self))
        self.scene().sigMouseMoved.connect(self._moved)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.plot.vb.sigRangeChanged.connect(self._update_ticks)
        self.plot.vb.sigRangeChanged.connect(self._changed)
        self.plot.vb.sigResized.connect(self._changed)

    def set_matrix(
        self,
        data: np.ndarray,
        rows: list[str] | None = None,
        cols: list[str] | None = None,
        *,
        title: str = "",
        row_name: str = N_("position"),
        col_name: str = N_("dim"),
        diverging: bool | None = None,
    ) -> None:
        """Show `data` [rows, cols] exactly; labels default to indices."""
        data = np.asarray(data)
        assert data.ndim == 2, data.shape
        self.data = data
        self.info_text = ""
        self.info.setText("")  # a readout of the previous matrix's cell would now be wrong
        self.rows = list(rows) if rows is not None else [str(i) for i in range(data.shape[0])]
        self.cols = list(cols) if cols is not None else [str(i) for i in range(data.shape[1])]
        self.row_name, self.col_name = row_name, col_name
        self._diverging = diverging
        self._stale = True  # the colour range and image: render() makes them (at once when small, else queued)
        self.drawn, self._hover = None, ""
        self._labelled = (rows is not None, cols is not None)
        self._col_px = max((len(short_label(c)) for c in self.cols[:200]), default=3) * 7 + 6  # a column label's width
        self._update_ticks()
        self.plot.setLabel("left", tr(row_name))  # the callers mark their axis names with N_
        self.plot.setLabel("bottom", tr(col_name))
        r, c = data.shape
        self.plot.vb.setLimits(xMin=0, xMax=c, yMin=0, yMax=r, minXRange=min(MIN_CELLS, c), minYRange=min(MIN_CELLS, r))
        self.img.clear()  # never the previous matrix's image under this one's labels
        self.reset_view()
        self.set_title(title)
        self._mark_infinite()
        if data.size <= SYNC_CELLS:
            self.render()  # small: drawn when set_matrix returns
        else:
            _queue.add(self)

    def _colours(self, kr: int, kc: int) -> np.ndarray:
        """The colour scale: the whole matrix's finite range (symmetric when diverging); returns the
        whole matrix's image at kr × kc cells per pixel, made from the same block minima and maxima."""
        lo_b, hi_b = block_min_max(self.data, kr, kc)
        if np.isfinite(lo_b).all() and np.isfinite(hi_b).all():
            self._src, img = self.data, largest_magnitude(lo_b, hi_b)
        else:  # ±∞ (masked scores) or NaN cells: left out of the range and of every block
            self._src = np.where(np.isfinite(self.data), self.data, np.nan)
            lo_b, hi_b = block_min_max(self._src, kr, kc)
            img = largest_magnitude(lo_b, hi_b)
        if np.isnan(hi_b).all():
            lo, hi = 0.0, 1.0
        else:
            lo, hi = float(np.nanmin(lo_b)), float(np.nanmax(hi_b))
        self._sign = 1 if lo >= 0 else (-1 if hi <= 0 else None)
        diverging = self._diverging
        if diverging is None:
            diverging = lo < 0 < hi
        if diverging:
            m = max(abs(lo), abs(hi)) or 1.0
            lo, hi, cmap = -m, m, "CET-D1"
        else:
            cmap = "viridis"
            if hi == lo:
                hi = lo + 1.0
        self._levels = (lo, hi)
        self.bar.setColorMap(colormap(cmap))
        self.bar.setLevels((lo, hi))
        return img

    def _pixels(self) -> tuple[float, float]:
        """The plot area's size in device pixels (FALLBACK_PX before the first layout)."""
        vb, dpr = self.plot.vb, self.devicePixelRatioF()
        w, h = vb.width(), vb.height()
        if w < 16 or h < 16:
            return FALLBACK_PX, FALLBACK_PX
        return w * dpr, h * dpr

    def _wanted(self) -> tuple[float, float, float, float, int, int]:
        """The cells in view (x0, x1, y0, y1) and the cells per image pixel (kr, kc) they need."""
        R, C = self.data.shape
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        x0, x1, y0, y1 = max(0.0, x0), min(float(C), x1), max(0.0, y0), min(float(R), y1)
        if x1 <= x0 or y1 <= y0:
            x0, x1, y0, y1 = 0.0, float(C), 0.0, float(R)
        pw, ph = self._pixels()
        return x0, x1, y0, y1, factor(y1 - y0, ph), factor(x1 - x0, pw)

    def needs_render(self) -> bool:
        """Whether the image is missing, or is not the cells in view at the pixels they need."""
        if self.is_closed or not self.data.size:
            return False
        d = self.drawn
        if d is None:
            return True
        x0, x1, y0, y1, kr, kc = self._wanted()
        return not ((d.kr, d.kc) == (kr, kc) and d.r0 <= y0 and y1 <= d.r1 and d.c0 <= x0 and x1 <= d.c1)

    def render(self) -> None:
        """Draw the cells in view at no more image pixels than the plot has (with a margin around
        them, so a short pan needs no new image); nothing to do when the image already does."""
        self._render_timer.stop()
        if not self.needs_render():
            return
        R, C = self.data.shape
        x0, x1, y0, y1, kr, kc = self._wanted()
        r0, r1 = aligned_window(y0, y1, R, kr)
        c0, c1 = aligned_window(x0, x1, C, kc)
        img = None
        if self._stale:  # a new matrix: its range and (in full view, as set_matrix leaves it) its image at once
            whole = self._colours(kr, kc)
            img = whole if (r0, r1, c0, c1) == (0, R, 0, C) else None
            self._stale = False
        if img is None:
            img = block_extreme(self._src[r0:r1, c0:c1], kr, kc, has_nonfinite=False, sign=self._sign)
        self.img.setImage(img, levels=self._levels, autoLevels=False)  # [ceil(rows / kr), ceil(cols / kc)]
        # each image pixel covers exactly its kr × kc cells (a last, partial block reaches past the edge)
        self.img.setRect(c0, r0, img.shape[1] * kc, img.shape[0] * kr)
        self.drawn = Drawn(r0, r1, c0, c1, kr, kc)
        self._show_info()
        _queue.rendered.emit(self)

    @property
    def pending(self) -> bool:
        """A matrix is set whose image is not drawn yet."""
        return bool(self.data.size) and self.drawn is None

    def pixel_note(self) -> str:
        """What one image pixel stands for, when it is more than one cell ('' otherwise)."""
        d = self.drawn
        if d is None or d.kr * d.kc == 1:
            return ""
        return tr("1 pixel = {rows}×{cols} cells, showing their largest |value| · zoom in for every cell").format(
            rows=d.kr, cols=d.kc)

    def _show_info(self) -> None:
        """The info line: the hovered cell's readout and what a pixel is (`info_text`), elided to the
        chart's width (a label wider than its chart would widen the chart), whole in its tooltip."""
        self.info_text = " · ".join(t for t in (self._hover, self.pixel_note()) if t)
        self._fit_info()

    def _fit_info(self) -> None:
        if getattr(self, "is_closed", True):
            return
        full = getattr(self, "info_text", "")
        text = QFontMetrics(self.info.item.font()).elidedText(full, Qt.ElideRight, max(self.width() - 24, 60))
        if text != self.info.text:
            self.info.setText(text)
        self.info.setToolTip(full if text != full else "")

    def blank(self, title: str = "") -> None:
        """Show no matrix, only `title` (a model change must not leave the old one on screen)."""
        self.data = self._src = np.zeros((0, 0), np.float32)
        self.rows, self.cols = [], []
        self.drawn, self._hover, self._stale = None, "", False
        self.img.clear()
        self._mark_infinite()  # drop "−∞" cell texts
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setTicks([[]])
        self.set_title(title)
        self.info_text = ""
        self.info.setText("")

    def set_title(self, title: str) -> None:
        """The title, elided in the middle when the chart is narrower (the hook's kind at the end stays
        readable: "input: blocks.0…hook_pos_embed", not "input: hook_pos_e"); whole in the tooltip."""
        self.full_title = title
        self._fit_title()

    def _fit_title(self) -> None:
        if getattr(self, "is_closed", True):  # close() cleared the scene (or not built yet): no label item
            return
        fm = QFontMetrics(self.title.item.font())
        text = fm.elidedText(self.full_title, Qt.ElideMiddle, max(self.width() - 24, 60))
        if text != self.title.text:
            self.title.setText(text)
        self.setToolTip(self.full_title if text != self.full_title else "")

    def reset_view(self) -> None:
        """The whole matrix (after zooming in)."""
        self.plot.vb.setRange(xRange=(0, self.data.shape[1]), yRange=(0, self.data.shape[0]), padding=0)

    def _update_ticks(self, *_) -> None:
        """As many token labels as fit the plot's current size (every n-th beyond that), for
        the rows and columns in view."""
        if self.is_closed or not self.data.size:  # close() clears the scene, then a resize comes here
            return
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        fit_rows = max(2, int(vb.height() / 13)) if vb.height() > 0 else MAX_TICKS
        width = self._col_px
        fit_cols = max(2, int(vb.width() / width)) if vb.width() > 0 else MAX_TICKS
        rows_ok, cols_ok = getattr(self, "_labelled", (False, False))
        fit_nums = max(2, int(vb.width() / 30)) if vb.width() > 0 else 8
        self.plot.getAxis("left").setTicks([_ticks(self.rows, min(MAX_TICKS if rows_ok else 8, fit_rows), y0, y1)])
        self.plot.getAxis("bottom").setTicks([_ticks(self.cols, min(MAX_TICKS, fit_cols) if cols_ok else min(8, fit_nums),
                                                     x0, x1)])

    def close(self) -> bool:
        self.is_closed = True
        return super().close()

    def wheelEvent(self, ev) -> None:
        if not self.zoomable:
            ev.ignore()  # let the enclosing scroll area scroll
            return
        super().wheelEvent(ev)

    def _changed(self, *_) -> None:
        """A zoom, pan or resize: re-render once it pauses (a first image waits its turn in the queue)."""
        if self.pending:
            _queue.add(self)
        else:
            self._render_timer.start()

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().showEvent(ev)
        if self.needs_render():  # a matrix set, or the chart resized, while hidden
            _queue.add(self)

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if getattr(self, "data", None) is not None:
            self._update_ticks()
        if getattr(self, "full_title", None) is not None:
            self._fit_title()
            self._fit_info()

    def _mark_infinite(self) -> None:
        for t in self._texts:
            self.plot.removeItem(t)
        self._texts = []
        r, c = self.data.shape
        if r > MAX_INF_TEXT or c > MAX_INF_TEXT:
            return
        for i, j in zip(*np.nonzero(~np.isfinite(self.data))):
            t = pg.TextItem("−∞", color=(235, 235, 235), anchor=(0.5, 0.5))
            t.setPos(j + 0.5, i + 0.5)
            self.plot.addItem(t)
            self._texts.append(t)

    def _clicked(self, ev) -> None:
        if ev.double() and ev.button() == Qt.LeftButton and self.plot.sceneBoundingRect().contains(ev.scenePos()):
            ev.accept()
            self.reset_view()

    # --- hover -------------------------------------------------------------------------
    def describe(self, r: int, c: int) -> str:
        """The hover text for cell (r, c): exact value and the tokens it concerns."""
        v = self.data[r, c]
        value = tr("−∞ (masked)") if np.isneginf(v) else ("+∞" if np.isposinf(v) else f"{float(v):.6g}")
        return (f"{tr(self.row_name)} {r} ‘{short_label(self.rows[r], 24)}’ × "
                f"{tr(self.col_name)} {c} ‘{short_label(self.cols[c], 24)}’ = {value}")

    def _moved(self, pos) -> None:
        if not self.plot.sceneBoundingRect().contains(pos) or self.data.size == 0:
            return
        p = self.plot.vb.mapSceneToView(pos)
        r, c = int(np.floor(p.y())), int(np.floor(p.x()))
        if 0 <= r < self.data.shape[0] and 0 <= c < self.data.shape[1]:
            text = self.describe(r, c)
            self._hover = text
            self._show_info()
            self.hovered.emit(text)


_queue = render_queue = RenderQueue()
flush = _queue.flush
