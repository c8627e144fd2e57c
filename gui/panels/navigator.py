"""Pipeline navigator: the model's computation in order, built from the trace's step names.

Steps outside the layers are top-level rows; each layer is a collapsible group. The current
step is selected and bold; breakpoints (on the step or on its kind) show a red dot.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem

from ..stepping import Breakpoints
from engine.hook_names import kind_of, layer_key

from ..trace_store import TOKENS
from ..i18n import N_, tr

KIND_LABEL = {
    TOKENS: N_("tokenization"),
    "hook_embed": N_("embedding"),
    "hook_pos_embed": N_("positional encoding"),
    "hook_token_type_embed": N_("segment embedding"),
    "hook_embed_sum": N_("sum of embeddings"),
    "hook_rel_table": N_("relative-position embeddings"),
    "hook_project_in": N_("project in (to d_model)"),
    "hook_project_out": N_("project out (to d_embed)"),
    "hook_scale": N_("norm statistic"),
    "hook_normalized": N_("normalized"),
    "hook_q": N_("Q"), "hook_k": N_("K"), "hook_v": N_("V"),
    "hook_rot_q": N_("Q rotated (RoPE)"), "hook_rot_k": N_("K rotated (RoPE)"),
    "hook_q_clipped": N_("Q clipped"), "hook_k_clipped": N_("K clipped"), "hook_v_clipped": N_("V clipped"),
    "hook_q_normed": N_("Q normalised"), "hook_k_normed": N_("K normalised"),
    "hook_attn_capped": N_("soft-cap tanh(x/c)·c"),
    "hook_logits_uncapped": N_("raw logits (before soft-cap)"),
    "hook_attn_scores": N_("scores Q·Kᵀ"),
    "hook_c2p": N_("c2p: content → position"),
    "hook_p2c": N_("p2c: position → content"),
    "hook_attn_scaled": N_("÷ scale"),
    "hook_pos_bias": N_("relative position bias"),
    "hook_attn_biased": N_("+ position bias"),
    "hook_in_scaled": N_("rescale (× d_model^-0.5)"),
    "hook_attn_masked": N_("mask (−∞)"),
    "hook_pattern": N_("softmax"),
    "hook_z": N_("weighted sum of V (z)"),
    "hook_result": N_("per-head output (W_O)"),
    "hook_attn_out": N_("attention output"),
    "hook_cross_attn_out": N_("cross-attention output"),
    "hook_resid_pre": N_("residual in"),
    "hook_resid_mid": N_("residual after attention"),
    "hook_resid_mid_cross": N_("residual after cross-attention"),
    "hook_attn_add": N_("Add (attention)"),
    "hook_cross_attn_add": N_("Add (cross-attention)"),
    "hook_mlp_add": N_("Add (FFN)"),
    "hook_conv": N_("convolution (n-gram branch)"),
    "hook_conv_add": N_("Add (convolution)"),
    "hook_pre": N_("FFN pre-activation"),
    "hook_pre_linear": N_("FFN up"),
    "hook_post": N_("FFN activation"),
    "hook_mlp_out": N_("FFN output"),
    "hook_resid_post": N_("residual out"),
    "hook_logits": N_("logits → softmax"),
    "hook_out": N_("encoder output"),
    "hook_transform": N_("MLM transform"),
    "hook_first": N_("first token ([CLS] / <s>)"),
    "hook_pooled": N_("pooled (dense + activation)"),
    "hook_class_logits": N_("class logits"),
    "hook_class_probs": N_("label probabilities"),
}


def kind_label(kind: str) -> str:
    return tr(KIND_LABEL[kind]) if kind in KIND_LABEL else kind.removeprefix("hook_")


# A step whose description starts with one of these is labelled by it instead of by its kind:
# a model that does not scale its scores (T5) has a scaling step that says "no scaling", not "÷ scale".
DESCRIPTION_LABELS = (N_("no scaling"),)


def step_label(name: str, description: str = "") -> str:
    """'blocks.0.attn.hook_pattern' -> 'attn · softmax'; 'hook_embed' -> 'embedding'."""
    key = layer_key(name)
    rel = name[len(key) + 1:] if key else name
    module = rel.rsplit(".", 1)[0] if "." in rel else ""
    what = next((tr(d) for d in DESCRIPTION_LABELS if description.startswith(d)), kind_label(kind_of(name)))
    return f"{module} · {what}" if module else what


def group_label(key: str, shared: dict[str, str]) -> str:
    """'blocks.3' -> 'layer 3', or 'layer 3 · weights shared with layer 0' when it runs another's."""
    label = key.replace("blocks.", tr("layer "))
    if key in shared:
        label += tr(" · weights shared with ") + shared[key].replace("blocks.", tr("layer "))
    return label


class Navigator(QTreeWidget):
    stepActivated = Signal(int)
    toggleBreakpoint = Signal(str)
    toggleKindBreakpoint = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.order: list[str] = []
        self.descriptions: dict[str, str] = {}
        self.items: list[QTreeWidgetItem] = []
        self.current = -1
        self.itemClicked.connect(self._clicked)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_order(self, order: list[str], shared: dict[str, str] | None = None,
                  descriptions: dict[str, str] | None = None) -> None:
        """shared: layer key -> the layer whose weights it runs (the model's shared_weights, ALBERT);
        descriptions: step name -> its description, where known (some steps label themselves by it)."""
        shared = dict(shared or {})
        if order == self.order and shared == getattr(self, "shared", {}):
            return
        self.clear()
        self.descriptions = dict(descriptions or {})
        self.order, self.items, self.current, self.shared = list(order), [], -1, shared
        tops: list[QTreeWidgetItem] = []
        groups: dict[str, QTreeWidgetItem] = {}
        for i, name in enumerate(order):  # build off-tree, then insert once (fast for 700+ steps)
            key = layer_key(name)
            item = QTreeWidgetItem([step_label(name, self.descriptions.get(name, ""))])
            item.setToolTip(0, name)
            item.setData(0, Qt.UserRole, i)
            if key is None:
                tops.append(item)
            else:
                if key not in groups:
                    g = QTreeWidgetItem([group_label(key, shared)])
                    if key in shared:
                        g.setToolTip(0, tr("this layer has no weights of its own: it runs {layer}'s parameters "
                                           "(its inputs, and so every step, are its own)").format(layer=shared[key]))
                    g.setData(0, Qt.UserRole, i)
                    groups[key] = g
                    tops.append(g)
                groups[key].addChild(item)
            self.items.append(item)
        self.addTopLevelItems(tops)

    def set_current(self, i: int) -> None:
        if not (0 <= i < len(self.items)):
            return
        if 0 <= self.current < len(self.items):
            f = self.items[self.current].font(0)
            f.setBold(False)
            self.items[self.current].setFont(0, f)
        item = self.items[i]
        f = item.font(0)
        f.setBold(True)
        item.setFont(0, f)
        self.current = i
        if item.parent() is not None:
            item.parent().setExpanded(True)
        self.setCurrentItem(item)
        self.scrollToItem(item)

    def show_breakpoints(self, bps: Breakpoints) -> None:
        red, none = QBrush(QColor(210, 30, 30)), QBrush()
        for name, item in zip(self.order, self.items):
            hit = bps.hit(name)
            label = step_label(name, self.descriptions.get(name, ""))
            item.setText(0, ("● " + label) if hit else label)
            item.setForeground(0, red if hit else none)

    def _clicked(self, item: QTreeWidgetItem) -> None:
        i = item.data(0, Qt.UserRole)
        if i is not None:
            self.stepActivated.emit(int(i))

    def _menu(self, pos) -> None:
        item = self.itemAt(pos)
        i = item.data(0, Qt.UserRole) if item else None
        if i is None or item.childCount():
            return
        name = self.order[int(i)]
        menu = QMenu(self)
        menu.addAction(tr("Toggle breakpoint here (F9)"), lambda: self.toggleBreakpoint.emit(name))
        if name != TOKENS:
            kind = kind_of(name)
            menu.addAction(tr("Break on every “{kind}” (Ctrl+F9)").format(kind=kind_label(kind)),
                           lambda: self.toggleKindBreakpoint.emit(kind))
        menu.exec(self.viewport().mapToGlobal(pos))
