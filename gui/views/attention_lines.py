"""Lines view (BertViz-style): query tokens on the left, key tokens on the right, one line per
weight of the attention pattern, opacity = weight. The selected query's lines are drawn strong."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_ALL_LINES = 64  # above this many tokens only the selected query's lines are drawn


class AttentionLines(QWidget):
    positionClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pattern = np.zeros((0, 0), np.float32)
        self.rows: list[str] = []
        self.cols: list[str] = []
        self.selected = 0
        self.setMinimumSize(300, 200)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_pattern(self, pattern: np.ndarray, rows: list[str], cols: list[str], selected: int) -> None:
        """pattern [query, key] of probabilities (softmax output), exactly as traced."""
        self.pattern = np.nan_to_num(np.asarray(pattern, np.float32), neginf=0.0)
        self.rows, self.cols, self.selected = rows, cols, selected
        self.update()

    def _y(self, i: int, n: int) -> float:
        top, h = 24.0, max(self.height() - 34.0, 1.0)
        return top + (i + 0.5) * h / max(n, 1)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), self.palette().color(QPalette.Base))  # the theme's chart background
        nq, nk = self.pattern.shape if self.pattern.size else (0, 0)
        if not nq:
            return
        w = self.width()
        xl, xr = w * 0.3, w * 0.7
        p.setPen(self.palette().color(QPalette.PlaceholderText))
        p.drawText(QPointF(xl - 50, 14), "query")
        p.drawText(QPointF(xr + 10, 14), "key")
        show_all = nq <= MAX_ALL_LINES
        for i in range(nq):
            if not show_all and i != self.selected:
                continue
            strong = i == self.selected
            for j in np.nonzero(self.pattern[i] > 0.01)[0]:
                a = float(self.pattern[i, j])
                color = QColor(30, 90, 200) if strong else QColor(120, 120, 120)
                color.setAlphaF(min(1.0, 0.15 + a if strong else a * 0.35))
                p.setPen(QPen(color, 1 + 5 * a if strong else 1))
                p.drawLine(QPointF(xl, self._y(i, nq)), QPointF(xr, self._y(j, nk)))
        step_q = max(1, int(np.ceil(nq * 14 / max(self.height() - 34, 1))))
        step_k = max(1, int(np.ceil(nk * 14 / max(self.height() - 34, 1))))
        for i in sorted(set(range(0, nq, step_q)) | {self.selected}):
            p.setPen(QColor(200, 40, 40) if i == self.selected else self.palette().color(QPalette.Text))
            text = self._label(self.rows, i, xl - 16)
            x = xl - 8 - self.fontMetrics().horizontalAdvance(text)  # right-aligned at the lines
            p.drawText(QPointF(x, self._y(i, nq) + 4), text)
        p.setPen(self.palette().color(QPalette.Text))
        for j in range(0, nk, step_k):
            p.drawText(QPointF(xr + 8, self._y(j, nk) + 4), self._label(self.cols, j, w * 0.3 - 16))
        p.end()

    def _label(self, labels: list[str], i: int, width: float) -> str:
        text = f"{i} {labels[i] if i < len(labels) else ''}".replace("\n", "⏎")
        return self.fontMetrics().elidedText(text, Qt.ElideRight, int(width))

    def mousePressEvent(self, event) -> None:
        nq = self.pattern.shape[0]
        if nq and event.position().x() < self.width() * 0.3:
            h = max(self.height() - 34.0, 1.0)
            i = int((event.position().y() - 24.0) / h * nq)
            if 0 <= i < nq:
                self.positionClicked.emit(i)
