"""Four charts as a 2×2 grid when there is height for it, else as one row of four.

Both arrangements are the same nested splitters (two rows of two); only the outer splitter's
orientation changes, chosen so that each chart's shorter side is as long as possible.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QWidget


def grid_is_better(width: int, height: int) -> bool:
    """Whether 2×2 gives each chart a longer shorter side than a row of four."""
    return min(width / 2, height / 2) > min(width / 4, height)


class TwoByTwo(QSplitter):
    def __init__(self, charts: tuple[QWidget, QWidget, QWidget, QWidget], parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.rows = []
        for pair in (charts[:2], charts[2:]):
            row = QSplitter(Qt.Horizontal)
            for w in pair:
                row.addWidget(w)
            self.addWidget(row)
            self.rows.append(row)

    @property
    def is_grid(self) -> bool:
        return self.orientation() == Qt.Vertical

    def resizeEvent(self, e) -> None:
        super().resizeEvent(e)
        grid = grid_is_better(self.width(), self.height())
        if grid != self.is_grid:
            self.setOrientation(Qt.Vertical if grid else Qt.Horizontal)
            self.setSizes([1000, 1000])  # shared out in proportion: halves
            for row in self.rows:
                row.setSizes([1000, 1000])
