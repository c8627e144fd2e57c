"""Read back what a heatmap shows: the colour of cell (row, col) in a saved picture of a widget,
and the colour an independent viridis mapping gives the value the view claims to show."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage


def cell_points(widget, heatmap, cells) -> list[tuple[int, int]]:
    """Pixel (x, y) in a grab of `widget` inside each heatmap cell (data coordinates: col, row), a little
    above its centre (the bottom axis's tick labels may overlap the last row's centre)."""
    gv, dpr = heatmap.img.scene().views()[0], widget.devicePixelRatioF()
    out = []
    for r, c in cells:
        scene = heatmap.img.mapToScene(QPointF(c + 0.5, r + 0.3))
        p = gv.viewport().mapTo(widget, gv.mapFromScene(scene))
        out.append((round(p.x() * dpr), round(p.y() * dpr)))
    return out


def rgb_at(path, points) -> np.ndarray:
    img = QImage(str(path)).convertToFormat(QImage.Format_RGB32)
    return np.array([[img.pixelColor(x, y).red(), img.pixelColor(x, y).green(), img.pixelColor(x, y).blue()]
                     for x, y in points])


def viridis(values: np.ndarray) -> np.ndarray:
    """The colours of `values` scaled from their own min to max (how a non-diverging heatmap maps)."""
    lo, hi = float(values.min()), float(values.max())
    t = (values - lo) / ((hi - lo) or 1.0)
    return pg.colormap.get("viridis").map(t.ravel(), mode="byte")[:, :3].astype(int)
