"""Lines view (BertViz-style): query tokens on the left, key tokens on the right, one line per
weight of the attention pattern, opacity = weight. The selected query's lines are drawn strong.

A prompt longer than MAX_ALL_LINES tokens shows a window of the rows that fit (ROW_PX each): the queries around the
selected one, and as keys the same window plus the EXTRA_KEYS strongest keys of the selected
query outside it (an attention sink at token 0 stays visible); what the other keys receive is
summed in one labelled row. A note above says exactly which tokens are shown.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget
from ..i18n import tr

MAX_ALL_LINES = 64  # above this many query rows only the selected query's lines are drawn
ROW_PX = 16  # a row of the windowed view
EXTRA_KEYS = 5  # the selected query's strongest keys outside the window, always shown
TOP, BOTTOM = 24.0, 22.0  # the header line ("query" / "key") and the note's line at the bottom


def window(n: int, selected: int, fit: int) -> tuple[int, int]:
    """[a, b): `fit` consecutive positions of n around `selected` (all of them when they fit)."""
    if n <= fit:
        return 0, n
    a = min(max(selected - fit // 2, 0), n - fit)
    return a, a + fit


def shown_keys(row: np.ndarray, a: int, b: int, extra: int = EXTRA_KEYS) -> list[int]:
    """Keys [a, b) plus the `extra` largest weights of `row` outside it, in position order."""
    outside = np.r_[0:a, b:len(row)]
    strongest = outside[np.argsort(-row[outside], kind="stable")[:extra]] if outside.size else outside
    strongest = [int(j) for j in strongest if row[j] > 0]
    return sorted(set(range(a, min(b, len(row)))) | set(strongest))


class AttentionLines(QWidget):
    positionClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pattern = np.zeros((0, 0), np.float32)
        self.rows: list[str] = []
        self.cols: list[str] = []
        self.selected = 0
        self.q_shown: list[int] = []  # the query positions drawn, top to bottom
        self.k_shown: list[int] = []  # the key positions drawn (without the "others" row)
        self.others = 0.0  # the selected query's weight on keys not drawn
        self.note = ""
        self.setMinimumSize(300, 200)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_pattern(self, pattern: np.ndarray, rows: list[str], cols: list[str], selected: int) -> None:
        """pattern [query, key] of probabilities (softmax output), exactly as traced; kept as given
        (no copy of a 2,000 × 2,000 matrix: only the rows drawn are read, through `weights`)."""
        self.pattern = np.asarray(pattern)
        self.rows, self.cols, self.selected = rows, cols, selected
        self._choose()
        self.update()

    def weights(self, i: int) -> np.ndarray:
        """Query i's weights over the keys [key] float32, −∞ and NaN as 0 (nothing drawn)."""
        return np.nan_to_num(np.asarray(self.pattern[i], np.float32), neginf=0.0)

    def fit(self) -> int:
        return max(4, int((self.height() - TOP - BOTTOM) // ROW_PX))

    def _choose(self) -> None:
        """Which queries and keys to draw at this height (see the module docstring)."""
        nq, nk = self.pattern.shape if self.pattern.size else (0, 0)
        fit = self.fit()
        if not nq or max(nq, nk) <= max(fit, MAX_ALL_LINES):  # all of it (labels thinned out)
            self.q_shown, self.k_shown, self.others, self.note = list(range(nq)), list(range(nk)), 0.0, ""
            self.setToolTip("")
            return
        sel = min(max(self.selected, 0), nq - 1)
        a, b = window(nq, sel, fit)
        self.q_shown = list(range(a, b))
        row = self.weights(sel)
        room = max(fit - EXTRA_KEYS - 1, 1)  # rows for the key window: the rest are the strongest + "others"
        # self-attention: the keys around the selected query; cross-attention: around its strongest key
        ka, kb = window(nk, sel if nk == nq else int(np.argmax(row)), room)
        self.k_shown = shown_keys(row, ka, kb)
        self.others = float(row.sum() - row[self.k_shown].sum())
        extra = len(self.k_shown) - (min(kb, nk) - ka)
        self.note = (f"showing tokens {a}–{b - 1} of {nq}; keys {ka}–{kb - 1}"
                     + (f" + the {extra} strongest others" if extra else "") + ", the rest summed"
                     + " · select another position to move the window")
        self.setToolTip(self.note)

    def _y(self, i: int, n: int) -> float:
        h = max(self.height() - TOP - BOTTOM, 1.0)
        return TOP + (i + 0.5) * h / max(n, 1)

    def resizeEvent(self, e) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(e)
        if self.pattern.size:
            self._choose()

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), self.palette().color(QPalette.Base))  # the theme's chart background
        nq = len(self.q_shown)
        if not nq:
            p.end()
            return
        w = self.width()
        xl, xr = w * 0.3, w * 0.7
        muted = self.palette().color(QPalette.PlaceholderText)
        p.setPen(muted)
        p.drawText(QPointF(xl - 50, 14), tr("query"))
        p.drawText(QPointF(xr + 10, 14), tr("key"))
        if self.note:
            p.drawText(QPointF(8, self.height() - 6), self.fontMetrics().elidedText(self.note, Qt.ElideRight, w - 16))
        k_rows = self.k_shown + ([-1] if self.others > 0.01 else [])  # -1: the "others" row
        nk = len(k_rows)
        k_at = {j: r for r, j in enumerate(self.k_shown)}
        show_all = nq <= MAX_ALL_LINES
        for r, i in enumerate(self.q_shown):
            if not show_all and i != self.selected:
                continue
            strong = i == self.selected
            row = self.weights(i)
            weights = [(k_at[j], float(row[j])) for j in self.k_shown if row[j] > 0.01]
            if strong and self.others > 0.01:
                weights.append((nk - 1, self.others))
            for kr, a in weights:
                color = QColor(30, 90, 200) if strong else QColor(120, 120, 120)
                color.setAlphaF(min(1.0, 0.15 + a if strong else a * 0.35))
                p.setPen(QPen(color, 1 + 5 * a if strong else 1))
                p.drawLine(QPointF(xl, self._y(r, nq)), QPointF(xr, self._y(kr, nk)))
        step_q = max(1, int(np.ceil(nq * 14 / max(self.height() - TOP - BOTTOM, 1))))
        step_k = max(1, int(np.ceil(nk * 14 / max(self.height() - TOP - BOTTOM, 1))))
        sel_row = self.q_shown.index(self.selected) if self.selected in self.q_shown else None
        for r in sorted(set(range(0, nq, step_q)) | ({sel_row} if sel_row is not None else set())):
            i = self.q_shown[r]
            p.setPen(QColor(200, 40, 40) if i == self.selected else self.palette().color(QPalette.Text))
            text = self._label(self.rows, i, xl - 16)
            x = xl - 8 - self.fontMetrics().horizontalAdvance(text)  # right-aligned at the lines
            p.drawText(QPointF(x, self._y(r, nq) + 4), text)
        p.setPen(self.palette().color(QPalette.Text))
        for r in range(0, nk, step_k):
            j = k_rows[r]
            text = (f"{len(self.cols) - len(self.k_shown)} other keys: Σ {self.others:.3f}" if j < 0
                    else self._label(self.cols, j, w * 0.3 - 16))
            p.setPen(muted if j < 0 else self.palette().color(QPalette.Text))
            p.drawText(QPointF(xr + 8, self._y(r, nk) + 4), self.fontMetrics().elidedText(
                text, Qt.ElideRight, int(w * 0.3 - 16)))
        p.end()

    def _label(self, labels: list[str], i: int, width: float) -> str:
        text = f"{i} {labels[i] if i < len(labels) else ''}".replace("\n", "⏎")
        return self.fontMetrics().elidedText(text, Qt.ElideRight, int(width))

    def query_at(self, y: float) -> int | None:
        """The query position drawn at height y (None outside the rows)."""
        nq = len(self.q_shown)
        h = max(self.height() - TOP - BOTTOM, 1.0)
        r = int((y - TOP) / h * nq) if nq else -1
        return self.q_shown[r] if 0 <= r < nq else None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.position().x() < self.width() * 0.3:
            i = self.query_at(event.position().y())
            if i is not None:
                self.positionClicked.emit(i)
