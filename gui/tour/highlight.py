"""The pointer highlight: a thick outline around the heatmap cell the caption talks about."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

COLOUR = QColor(255, 80, 0)


def mark_cell(heatmap, row: int, col: int) -> QGraphicsRectItem | None:
    """Outline cell (row, col) of `heatmap` (its matrix coordinates: column = x, row = y); None
    when the cell is outside the matrix shown."""
    r, c = heatmap.data.shape
    if not (0 <= row < r and 0 <= col < c):
        return None
    item = QGraphicsRectItem(QRectF(col, row, 1, 1))
    pen = QPen(COLOUR, 4)
    pen.setCosmetic(True)  # 4 px whatever the zoom
    item.setPen(pen)
    item.setBrush(Qt.NoBrush)
    item.setZValue(10)
    heatmap.plot.addItem(item)
    heatmap.highlight = item
    return item
