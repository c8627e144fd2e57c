"""Embedding, positional encoding and their sum, as [position × d_model] heatmaps.

Each step is drawn next to the steps it was computed from, so layer 0's resid_pre shows
embedding + positions = sum; for RoPE models the positional picture is q before and after
the rotation (there is no position vector to add).
"""
from __future__ import annotations


from .base import StepContext, View
from .heatmap import with_zoom_hint
from .provenance import MAX_PANELS, ProvenanceRow


class EmbeddingView(View):
    name = "embedding"
    heatmaps = MAX_PANELS

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.row = ProvenanceRow()
        lay.addWidget(self.row, 1)

    def show_step(self, ctx: StepContext) -> None:
        step = ctx.store.step(ctx.name)
        if step is None:
            return
        self.row.show_step(ctx)
        shape = "×".join(str(s) for s in step.tensor.shape)
        self.note.setText(with_zoom_hint(f"{step.description}  [{', '.join(step.axes)}] = [{shape}]", self.row.maps))
