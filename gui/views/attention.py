"""Attention view: raw scores, ÷√d, the mask (−∞ shown as such) and softmax of one head, as a
heatmap and as lines; cross-attention puts source tokens on the key axis; GQA names the kv head.
Score terms a layer adds to q·kᵀ (DeBERTa's c2p / p2c) show in a strip below, whatever the step:
q·kᵀ and each term side by side, the parts of the sum that is scaled."""
from __future__ import annotations

from engine.hook_names import is_cross_attention

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QWidget

from .attention_lines import AttentionLines
from .base import StepContext, View, matrix
from .heatmap import Heatmap, with_zoom_hint
from ..i18n import N_, tr

TITLES = {
    "hook_attn_scores": N_("raw scores q·kᵀ"),
    "hook_c2p": N_("c2p: q · relative-position keys (content → position)"),
    "hook_p2c": N_("p2c: k · relative-position queries (position → content)"),
    "hook_attn_scaled": N_("scaled scores (÷ the divisor in the step's description)"),
    "hook_attn_capped": N_("soft-capped scores tanh(x / c) · c"),
    "hook_pos_bias": N_("relative position bias of this head (by key − query offset)"),
    "hook_attn_biased": N_("scores + relative position bias"),
    "hook_attn_masked": N_("masked scores (−∞ = may not attend)"),
    "hook_pattern": N_("attention pattern = softmax over keys"),
}
SCORE_PARTS = ("hook_attn_scores", "hook_c2p", "hook_p2c")  # what is added before scaling, when present
PART_TITLE = {"hook_attn_scores": "q·kᵀ", "hook_c2p": "+ c2p", "hook_p2c": "+ p2c"}


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
        self.tabs.addTab(self.heatmap, tr("Heatmap"))
        self.tabs.addTab(self.lines, tr("Lines"))
        lay.addWidget(self.tabs, 2)
        self.parts_host = QWidget()  # q·kᵀ | c2p | p2c, built the first time a layer has terms
        self.parts_host.setVisible(False)
        self.parts: dict[str, Heatmap] = {}
        lay.addWidget(self.parts_host, 1)

    def show_step(self, ctx: StepContext) -> None:
        m = matrix(ctx)
        if m is None:
            return
        cross = is_cross_attention(ctx.name)
        step = ctx.store.step(ctx.name, ctx.head)
        what = tr(TITLES[ctx.kind]) if ctx.kind in TITLES else ctx.kind
        if ctx.kind == "hook_attn_scaled" and step.description.startswith("no scaling"):
            what = step.description.split(":", 1)[0] + tr(" (the scores as they are)")  # e.g. "no scaling in T5"
        title = tr("{layer} · {kind} · head {head} · {what}").format(
            layer=ctx.layer, kind=tr("cross-attention") if cross else tr("self-attention"), head=ctx.head, what=what)
        self.heatmap.set_matrix(m.data, m.rows, m.cols, title=title, row_name=N_("query"),
                                col_name=N_("key (source)") if cross else N_("key"),
                                diverging=False if ctx.kind == "hook_pattern" else None)
        notes = [step.description]
        if m.note:
            notes.append(m.note)
        if cross:
            notes.append(tr("queries come from the decoder, keys and values from the encoder output"))
        self.note.setText(with_zoom_hint(" · ".join(notes), [self.heatmap]))
        pat = matrix(ctx, ctx.sibling("hook_pattern"))
        if pat is not None:
            self.lines.set_pattern(pat.data, pat.rows, pat.cols, ctx.pos(pat.data.shape[0]))
        self._show_parts(ctx)

    def _show_parts(self, ctx: StepContext) -> None:
        """q·kᵀ beside the terms the layer adds to it (only when it adds some: DeBERTa's c2p / p2c)."""
        terms = [k for k in SCORE_PARTS[1:] if ctx.sibling(k) in ctx.store]
        self.parts_host.setVisible(bool(terms))
        if not terms:
            return
        if not self.parts:
            row = QHBoxLayout(self.parts_host)
            row.setContentsMargins(0, 0, 0, 0)
            for k in SCORE_PARTS:
                self.parts[k] = Heatmap.take()
                row.addWidget(self.parts[k])
        for kind, h in self.parts.items():
            m = matrix(ctx, ctx.sibling(kind))
            h.setVisible(m is not None)
            if m is not None:
                mark = "▶ " if kind == ctx.kind else ""
                h.set_matrix(m.data, m.rows, m.cols, title=mark + tr("{part} · head {head}").format(part=PART_TITLE[kind], head=ctx.head),
                             row_name=N_("query"), col_name=N_("key"))
