"""Layers × heads grid of attention-pattern thumbnails; click one to open that head.

Thumbnails are the traced patterns average-pooled to at most 48×48 and each scaled to its own
maximum, so faint heads stay visible; the full-resolution pattern opens on click. The grid is
painted by hand in a scroll area (gui/views/grid_canvas.py): a cell never gets smaller than
MIN_CELL pixels (30 layers × 9 heads scroll rather than shrink to 10 px), and the layer and head
labels are painted at the same coordinates as the cells, pinned to the viewport's edges, so they
stay aligned whatever the scroll position. A progress bar counts the layers filled in so far.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout

from engine.hook_names import is_cross_attention, layer_key, layer_of
from .base import StepContext, View
from .grid_canvas import GAP, GridCanvas
from ..i18n import N_, tr

NOTE = N_("layers × heads: click a thumbnail to open that head")
RECOMPUTING = N_("recomputing the layers' patterns: ")
WAITING = N_("this run's thumbnails are on the way…")


def mosaic(thumbs: list[tuple[str, np.ndarray]]) -> tuple[np.ndarray, int]:
    """[(name, [head, s, s])] -> one image [rows*(s+GAP), heads*(s+GAP)] and the cell size
    (what an export of the raw values, or a test, compares: each thumbnail scaled to its max)."""
    s = max(max(a.shape[1], a.shape[2]) for _, a in thumbs)
    heads = max(a.shape[0] for _, a in thumbs)
    cell = s + GAP
    img = np.full((len(thumbs) * cell, heads * cell), np.nan, np.float32)
    for r, (_, a) in enumerate(thumbs):
        for h in range(a.shape[0]):
            t = a[h] / (a[h].max() or 1.0)
            img[r * cell: r * cell + t.shape[0], h * cell: h * cell + t.shape[1]] = t
    return img, cell


def row_label(name: str) -> str:
    """'blocks.3.attn.hook_pattern' -> 'L3'; 'decoder.blocks.1.cross_attn…' -> 'dec L1 ×'."""
    layer = layer_of(name)
    if layer is None:
        return name
    stack = layer_key(name).removesuffix(f"blocks.{layer}").rstrip(".")
    tag = (f"{stack[:3]} " if stack else "") + f"L{layer}"
    return tag + (" ×" if is_cross_attention(name) else "")


def layers_of(names) -> list[str]:
    """The attention layers (module paths) of pattern hook names, in order."""
    return list(dict.fromkeys(layer_key(n) or n for n in names))


class AttentionGridView(View):
    name = "grid"
    headClicked = Signal(str, int)  # pattern hook name, head

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel(tr(NOTE))
        self.note.setWordWrap(True)
        self.progress = QProgressBar()  # layers filled / layers in the model, while they fill in
        self.progress.setFormat("%v / %m layers")
        self.progress.setMaximumHeight(18)
        self.progress.hide()
        self.canvas = GridCanvas()
        self.canvas.cellClicked.connect(self._clicked)
        lay.addWidget(self.note)
        lay.addWidget(self.progress)
        lay.addWidget(self.canvas, 1)
        self.stale = False
        self.names: list[str] = []
        self.image = np.zeros((0, 0), np.float32)
        self.expected: list[str] = []  # the layers this run will fill (from the trace's order)
        self._drawn = None  # the thumbnails list drawn (the session's extras hold the same object)

    @property
    def cell(self) -> int:
        """The pitch of the grid in pixels (a thumbnail plus the gap after it)."""
        return self.canvas.pitch

    def clear(self) -> None:
        """Another model: drop the old thumbnails until the new ones arrive."""
        self.names, self._drawn = [], None
        self.image = np.zeros((0, 0), np.float32)
        self.canvas.set_cells([], [], 0)
        self.note.setText(tr(NOTE))
        self.progress.hide()

    def mark_stale(self, order: list[str], extra: dict | None = None) -> None:
        """A new run: keep the old thumbnails, labelled as the previous run's, until the new ones
        arrive with the same layout (clearing and refilling repainted the whole dock twice).
        A different set of layers clears it. Either way the progress bar starts at 0.
        `extra`: the new run's extras; when the thumbnails drawn are already its own (they can
        arrive before this staggered call), nothing is stale."""
        self.expected = layers_of(n for n in order if n.endswith("hook_pattern"))
        if extra is not None and self._drawn is not None and extra.get("thumbs") is self._drawn:
            return
        self._show_progress(0)
        if not self.names or not set(self.names) <= set(order):
            self.clear()
            self._show_progress(0)
            self.note.setText(tr(WAITING))
            return
        self.stale = True
        self.note.setText(tr("showing the previous run's thumbnails: this run's are on the way…"))

    def set_thumbnails(self, thumbs: list[tuple[str, np.ndarray]]) -> None:
        if not thumbs:
            return
        self._drawn = thumbs
        self.image, _ = mosaic(thumbs)
        if self.stale:
            self.stale = False
            self.note.setText(tr(NOTE))
        self.names = [n for n, _ in thumbs]
        heads = max(a.shape[0] for _, a in thumbs)
        self.canvas.set_cells([a for _, a in thumbs], [row_label(n) for n in self.names], heads)

    def _show_progress(self, done: int, total: int | None = None) -> None:
        """done / total layers (total: the trace's attention layers unless the worker says)."""
        total = total or len(self.expected)
        if total <= 1 or done >= total:
            self.progress.hide()
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.show()

    def cell_at(self, x: float, y: float) -> tuple[str, int] | None:
        """The (pattern name, head) at grid coordinates (pixels from the first thumbnail's corner)."""
        hit = self.canvas.cell_at(x, y)
        if hit is None or hit[0] >= len(self.names):
            return None
        return self.names[hit[0]], hit[1]

    def _clicked(self, row: int, head: int) -> None:
        if row < len(self.names):
            self.headClicked.emit(self.names[row], head)

    # --- export: the whole grid, not the scrolled part (gui/export.py) ------------------------
    def whole_size(self) -> tuple[int, int]:
        w, h = self.canvas.whole_size()
        return max(w, self.note.width()), h + self.note.height()

    def paint_whole(self, painter) -> None:
        painter.fillRect(0, 0, *self.whole_size(), self.palette().color(self.backgroundRole()))
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(4, 0, self.note.width(), self.note.height(), 0x0081, self.note.text())  # left | vcenter
        painter.translate(0, self.note.height())
        self.canvas.paint_whole(painter)

    def show_step(self, ctx: StepContext) -> None:
        thumbs = ctx.extra.get("thumbs")
        if thumbs:
            self.set_thumbnails(thumbs)
        if not self.expected:
            self.expected = layers_of(n for n in ctx.store.order if n.endswith("hook_pattern"))
        progress = ctx.extra.get("thumbs progress")
        if progress:  # a long prompt recomputes its layers one by one
            self.note.setText(tr(RECOMPUTING) + tr("{progress} done…").format(progress=progress))
            done = (getattr(ctx.store, "progress", None) or {}).get("thumbs")  # the worker's own count
            self._show_progress(done[0] if done else len(layers_of(self.names)), done[1] if done else None)
        else:
            if self.note.text().startswith(tr(RECOMPUTING)) or (thumbs and self.note.text() == tr(WAITING)):
                self.note.setText(tr(NOTE))
            self._show_progress(len(self.expected) if thumbs else 0)
        pattern = ctx.sibling("hook_pattern") if layer_key(ctx.name) else None
        self.canvas.select(self.names.index(pattern) if pattern in self.names else None, ctx.head)
