"""Attention view: raw scores, ÷√d, the mask (−∞ shown as such) and softmax of one head, as a
heatmap and as lines; cross-attention puts source tokens on the key axis; GQA names the kv head."""
from __future__ import annotations

from engine.hook_names import is_cross_attention

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from .attention_lines import AttentionLines
from .base import StepContext, View, matrix
from .heatmap import Heatmap, with_zoom_hint

TITLES = {
    "hook_attn_scores": "raw scores q·kᵀ",
    "hook_attn_scaled": "scaled scores (÷ the divisor in the step's description)",
    "hook_attn_capped": "soft-capped scores tanh(x / c) · c",
    "hook_pos_bias": "relative position bias of this head (by key − query offset)",
    "hook_attn_biased": "scores + relative position bias",
    "hook_attn_masked": "masked scores (−∞ = may not attend)",
    "hook_pattern": "attention pattern = softmax over keys",
}


class AttentionView(View):
    name = "attention"
    heatmaps = 1
    positionClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.tabs = QTabWidget()
        self.heatmap = Heatmap.take()
        self.lines = AttentionLines()
        self.lines.positionClicked.connect(self.positionClicked)
        self.tabs.addTab(self.heatmap, "Heatmap")
        self.tabs.addTab(self.lines, "Lines")
        lay.addWidget(self.tabs, 1)

    def show_step(self, ctx: StepContext) -> None:
        m = matrix(ctx)
        if m is None:
            return
        cross = is_cross_attention(ctx.name)
        step = ctx.store.step(ctx.name)
        what = TITLES.get(ctx.kind, ctx.kind)
        if ctx.kind == "hook_attn_scaled" and step.description.startswith("no scaling"):
            what = step.description.split(":", 1)[0] + " (the scores as they are)"  # e.g. "no scaling in T5"
        title = f"{ctx.layer} · {'cross-attention' if cross else 'self-attention'} · head {ctx.head} · {what}"
        self.heatmap.set_matrix(m.data, m.rows, m.cols, title=title, row_name="query",
                                col_name="key (source)" if cross else "key",
                                diverging=False if ctx.kind == "hook_pattern" else None)
        notes = [step.description]
        if m.note:
            notes.append(m.note)
        if cross:
            notes.append("queries come from the decoder, keys and values from the encoder output")
        self.note.setText(with_zoom_hint(" · ".join(notes), [self.heatmap]))
        pat = matrix(ctx, ctx.sibling("hook_pattern"))
        if pat is not None:
            self.lines.set_pattern(pat.data, pat.rows, pat.cols, ctx.pos(pat.data.shape[0]))
