"""Logit lens: the most likely next token if the residual stream stopped after each layer.

Rows are layers, columns are positions; a cell shows the top token and its probability
(shaded), its tooltip the top k. The projection is engine.lens (the model's own final norm
and unembedding); this view only lays the result out.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout

from .base import StepContext, View
from ..i18n import N_, tr


class LensModel(QAbstractTableModel):
    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self.tokens: list = []  # [layer][pos][k] strings
        self.probs = np.zeros((0, 0, 0), np.float32)  # [layer, pos, k]
        self.columns: list[str] = []
        self.positions: list[int] = []

    def set_lens(self, lens: dict, columns: list[str]) -> None:
        """columns: the tokens of every position; lens['positions'] says which ones it covers."""
        self.beginResetModel()
        self.names, self.tokens, self.probs = lens["names"], lens["tokens"], np.asarray(lens["probs"])
        self.positions = list(lens.get("positions") or range(self.probs.shape[1] if self.probs.ndim == 3 else 0))
        self.columns = columns
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return len(self.names)

    def columnCount(self, parent=QModelIndex()) -> int:
        return self.probs.shape[1] if self.probs.ndim == 3 else 0

    def data(self, index, role=Qt.DisplayRole):
        r, c = index.row(), index.column()
        pending = self.tokens[r][c] is None  # a long prompt's lens fills in chunk by chunk
        if role == Qt.DisplayRole:
            return "…" if pending else f"{self.tokens[r][c][0]!r} {self.probs[r, c, 0]:.2f}"
        if role == Qt.BackgroundRole:
            if pending:
                return QColor(240, 240, 240)
            a = float(self.probs[r, c, 0])
            return QColor(int(255 - 200 * a), int(255 - 120 * a), 255)
        if role == Qt.ToolTipRole:
            if pending:
                return tr("not computed yet")
            return "\n".join(f"{t!r}: {p:.4f}" for t, p in zip(self.tokens[r][c], self.probs[r, c]))
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Vertical:
            return self.names[section].replace(".hook_resid_post", "")
        p = self.positions[section] if section < len(self.positions) else section
        return f"{p} {self.columns[p]!r}" if p < len(self.columns) else str(p)


LENS_NOTE = N_("logit lens: each layer's residual stream through the final norm and "
                "unembedding; top token and probability per position (hover for the top 5)")
NO_LENS = N_("no logit lens: this model has no language-model head, so there is no unembedding "
             "to read its layers' hidden states through")


class LogitLensView(View):
    name = "logit-lens"

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(tr(LENS_NOTE))
        self.note.setWordWrap(True)
        self.model = LensModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(96)
        lay.addWidget(self.note)
        lay.addWidget(self.table, 1)

    def clear(self) -> None:
        self.model.set_lens({"names": [], "tokens": [], "probs": np.zeros((0, 0, 0), np.float32)}, [])

    def for_store(self, store) -> None:
        """A new trace: empty until its lens arrives; a headless encoder gets none, and says why."""
        self.clear()
        self.note.setText(tr(LENS_NOTE) if "hook_logits" in store.order else tr(NO_LENS))

    def show_step(self, ctx: StepContext) -> None:
        if "hook_logits" not in ctx.store.order:  # a headless encoder: hidden states are not tokens
            self.for_store(ctx.store)
            return
        self.note.setText(tr(LENS_NOTE))
        lens = ctx.extra.get("lens")
        if lens is None:
            return
        names = lens["names"]
        progress = ctx.extra.get("lens progress")
        self.note.setText(tr(LENS_NOTE) + tr(" — computing: {n} positions so far, nearest the cursor first").format(n=progress)
                          if progress else tr(LENS_NOTE))
        self.model.set_lens(lens, ctx.store.tokens_for(names[0]) if names else [])
        if ctx.position >= 0:
            self.table.scrollTo(self.model.index(0, ctx.pos(max(self.model.columnCount(), 1))))
