"""The attention grid's painted surface: rows of thumbnails (one per attention module), a column
per head, layer labels down the left and head numbers along the top.

Cells and labels come from one geometry (`cell_rect`, `row_centre`, `head_centre`), so a label
is always centred on its row; the labels are pinned to the viewport's left / top edge while the
cells scroll under them. A cell is as large as fits the viewport, between MIN_CELL and MAX_CELL
pixels; below MIN_CELL the grid scrolls instead.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea
from ..i18n import tr

GAP = 2  # pixels between thumbnails (and in the value mosaic)
MIN_CELL = 28  # a thumbnail is never drawn smaller than this (pixels): 9 heads fit a 1366-px screen's dock
MAX_CELL = 120
SCROLL_CELL = 64  # the largest cell when the rows scroll
LABEL_W = 40  # the layer-label column, at least (wider when a label needs it: 'dec L11 ×')
HEAD_H = 18  # the head-number row
FRAME = QColor(230, 40, 40)


def _lut() -> np.ndarray:
    return pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256, alpha=False).astype(np.uint8)  # [256, 3]


def to_qimage(t: np.ndarray, lut: np.ndarray) -> QImage:
    """One pattern thumbnail [q, k], scaled to its own max, as an RGB image through `lut`."""
    t = np.nan_to_num(np.asarray(t, np.float32))
    t = t / (t.max() or 1.0)
    rgb = np.ascontiguousarray(lut[np.clip((t * 255).round().astype(np.int32), 0, 255)])  # [q, k, 3]
    h, w, _ = rgb.shape
    img = QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888)
    return img.copy()  # own the pixels (rgb goes away)


class GridCanvas(QAbstractScrollArea):
    cellClicked = Signal(int, int)  # row, head

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lut = _lut()
        self.images: list[list[QImage]] = []  # [row][head]
        self.shapes: list[tuple[int, int]] = []  # each row's thumbnail [q, k] size
        self.labels: list[str] = []
        self.heads = 0
        self.pitch = MIN_CELL + GAP
        self.selected: tuple[int, int] | None = None
        self.label_w = LABEL_W
        self.setMinimumSize(self.label_w + 2 * MIN_CELL, HEAD_H + MIN_CELL)

    # --- content --------------------------------------------------------------------------
    def set_cells(self, rows: list[np.ndarray], labels: list[str], heads: int) -> None:
        """rows: one array [head, q, k] per attention module."""
        self.images = [[to_qimage(a[h], self.lut) for h in range(a.shape[0])] for a in rows]
        self.shapes = [(a.shape[1], a.shape[2]) for a in rows]
        self.labels, self.heads = list(labels), heads
        fm = self.fontMetrics()
        self.label_w = max([LABEL_W] + [fm.horizontalAdvance(t) + 10 for t in self.labels + [tr("head")]])
        self._layout()
        self.viewport().update()

    def select(self, row: int | None, head: int) -> None:
        """Frame (row, head) and scroll it into view; None: no frame."""
        sel = None if row is None or row >= len(self.images) else (row, head)
        if sel != self.selected:
            self.selected = sel
            if sel is not None:
                self.ensure_visible(*sel)
            self.viewport().update()

    def ensure_visible(self, row: int, head: int) -> None:
        r = self.cell_rect(row, head)
        vw, vh = self.viewport().width() - self.label_w, self.viewport().height() - HEAD_H
        for bar, lo, size, view in ((self.verticalScrollBar(), r.top(), r.height(), vh),
                                    (self.horizontalScrollBar(), r.left(), r.width(), vw)):
            if lo - 2 < bar.value():  # 2: the frame drawn around the cell
                bar.setValue(lo - 2)
            elif lo + size + 2 > bar.value() + view:
                bar.setValue(lo + size + 2 - view)

    # --- geometry (grid coordinates: pixels from the first cell's corner) -------------------
    def fit_cell(self) -> int:
        """The largest cell that shows the whole grid, within [MIN_CELL, MAX_CELL]; when even
        MIN_CELL rows do not fit the height, the rows scroll and the cells fill the width
        (at most SCROLL_CELL, so that a few rows stay in view)."""
        if not self.images:
            return MIN_CELL
        vp = self.viewport()
        w = (vp.width() - self.label_w) / max(self.heads, 1) - GAP
        h = (vp.height() - HEAD_H) / len(self.images) - GAP
        if min(w, h) >= MIN_CELL:
            return int(min(w, h, MAX_CELL))
        if h < MIN_CELL and not self.verticalScrollBar().isVisible():  # it is about to appear
            w -= self.verticalScrollBar().sizeHint().width() / max(self.heads, 1)
        return int(min(max(w, MIN_CELL), SCROLL_CELL))

    def cell_rect(self, row: int, head: int) -> QRect:
        c = self.pitch - GAP
        return QRect(head * self.pitch, row * self.pitch, c, c)

    def row_centre(self, row: int) -> float:
        return row * self.pitch + (self.pitch - GAP) / 2

    def head_centre(self, head: int) -> float:
        return head * self.pitch + (self.pitch - GAP) / 2

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        r, h = int(y // self.pitch), int(x // self.pitch)
        inside = x % self.pitch < self.pitch - GAP and y % self.pitch < self.pitch - GAP
        if 0 <= r < len(self.images) and 0 <= h < len(self.images[r]) and x >= 0 and y >= 0 and inside:
            return r, h
        return None

    def whole_size(self) -> tuple[int, int]:
        return self.label_w + self.heads * self.pitch, HEAD_H + len(self.images) * self.pitch

    def _layout(self) -> None:
        self.pitch = self.fit_cell() + GAP
        w, h = self.whole_size()
        vp = self.viewport()
        self.horizontalScrollBar().setRange(0, max(0, w - vp.width()))
        self.verticalScrollBar().setRange(0, max(0, h - vp.height()))
        self.horizontalScrollBar().setPageStep(vp.width())
        self.verticalScrollBar().setPageStep(vp.height())
        self.verticalScrollBar().setSingleStep(self.pitch // 2)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(e)
        self._layout()

    # --- painting ---------------------------------------------------------------------------
    def paintEvent(self, e) -> None:  # noqa: N802
        p = QPainter(self.viewport())
        try:
            self._paint(p, self.horizontalScrollBar().value(), self.verticalScrollBar().value(),
                        self.viewport().width(), self.viewport().height())
        finally:
            p.end()

    def paint_whole(self, p: QPainter) -> None:
        """All of the grid at the current cell size, from (0, 0) (an export)."""
        self._paint(p, 0, 0, *self.whole_size())

    def _paint(self, p: QPainter, dx: int, dy: int, width: int, height: int) -> None:
        pal = self.palette()
        p.fillRect(0, 0, width, height, pal.color(QPalette.Base))
        p.setRenderHint(QPainter.SmoothPixmapTransform, False)  # pooled pixels stay square
        ox, oy = self.label_w - dx, HEAD_H - dy  # where grid coordinate (0, 0) lands
        rows = range(max(0, dy // self.pitch), min(len(self.images), (dy + height) // self.pitch + 1))
        c = self.pitch - GAP
        for r in rows:
            q, k = self.shapes[r]
            s = max(q, k)
            for h, img in enumerate(self.images[r]):
                cell = self.cell_rect(r, h).translated(ox, oy)
                p.drawImage(QRectF(cell.x(), cell.y(), c * k / s, c * q / s), img)
        if self.selected is not None:
            p.setPen(QPen(FRAME, 2))
            p.setBrush(Qt.NoBrush)
            p.drawRect(self.cell_rect(*self.selected).translated(ox, oy).adjusted(-1, -1, 1, 1))
        # labels, pinned: a band down the left and one along the top, over the scrolled cells
        p.fillRect(0, 0, self.label_w, height, pal.color(QPalette.Window))
        p.fillRect(0, 0, width, HEAD_H, pal.color(QPalette.Window))
        p.setPen(pal.color(QPalette.WindowText))
        fm = p.fontMetrics()
        for r in rows:
            y = oy + self.row_centre(r)
            if y >= HEAD_H:
                p.drawText(QRectF(2, y - fm.height() / 2, self.label_w - 6, fm.height()),
                           int(Qt.AlignRight | Qt.AlignVCenter), self.labels[r])
        for h in range(self.heads):
            x = ox + self.head_centre(h)
            if x >= self.label_w:
                p.drawText(QRectF(x - 20, 0, 40, HEAD_H), int(Qt.AlignCenter), str(h))
        p.drawText(QRectF(2, 0, self.label_w - 6, HEAD_H), int(Qt.AlignRight | Qt.AlignVCenter), tr("head"))

    def mousePressEvent(self, e) -> None:  # noqa: N802
        x = e.position().x() - self.label_w + self.horizontalScrollBar().value()
        y = e.position().y() - HEAD_H + self.verticalScrollBar().value()
        if e.position().x() >= self.label_w and e.position().y() >= HEAD_H:
            hit = self.cell_at(x, y)
            if hit is not None:
                self.cellClicked.emit(*hit)
