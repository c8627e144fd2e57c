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

KIND_LABEL = {
    TOKENS: "tokenization",
    "hook_embed": "embedding",
    "hook_pos_embed": "positional encoding",
    "hook_token_type_embed": "segment embedding",
    "hook_embed_sum": "sum of embeddings",
    "hook_rel_table": "relative-position embeddings",
    "hook_project_in": "project in (to d_model)",
    "hook_project_out": "project out (to d_embed)",
    "hook_scale": "norm statistic",
    "hook_normalized": "normalized",
    "hook_q": "Q", "hook_k": "K", "hook_v": "V",
    "hook_rot_q": "Q rotated (RoPE)", "hook_rot_k": "K rotated (RoPE)",
    "hook_q_clipped": "Q clipped", "hook_k_clipped": "K clipped", "hook_v_clipped": "V clipped",
    "hook_q_normed": "Q normalised", "hook_k_normed": "K normalised",
    "hook_attn_capped": "soft-cap tanh(x/c)·c",
    "hook_logits_uncapped": "raw logits (before soft-cap)",
    "hook_attn_scores": "scores Q·Kᵀ",
    "hook_c2p": "c2p: content → position",
    "hook_p2c": "p2c: position → content",
    "hook_attn_scaled": "÷ scale",
    "hook_attn_masked": "mask (−∞)",
    "hook_pattern": "softmax",
    "hook_z": "weighted sum of V (z)",
    "hook_result": "per-head output (W_O)",
    "hook_attn_out": "attention output",
    "hook_cross_attn_out": "cross-attention output",
    "hook_resid_pre": "residual in",
    "hook_resid_mid": "residual after attention",
    "hook_resid_mid_cross": "residual after cross-attention",
    "hook_attn_add": "Add (attention)",
    "hook_cross_attn_add": "Add (cross-attention)",
    "hook_mlp_add": "Add (FFN)",
    "hook_conv": "convolution (n-gram branch)",
    "hook_conv_add": "Add (convolution)",
    "hook_pre": "FFN pre-activation",
    "hook_pre_linear": "FFN up",
    "hook_post": "FFN activation",
    "hook_mlp_out": "FFN output",
    "hook_resid_post": "residual out",
    "hook_logits": "logits → softmax",
    "hook_out": "encoder output",
    "hook_transform": "MLM transform",
}


def kind_label(kind: str) -> str:
    return KIND_LABEL.get(kind, kind.removeprefix("hook_"))


def step_label(name: str) -> str:
    """'blocks.0.attn.hook_pattern' -> 'attn · softmax'; 'hook_embed' -> 'embedding'."""
    key = layer_key(name)
    rel = name[len(key) + 1:] if key else name
    module = rel.rsplit(".", 1)[0] if "." in rel else ""
    return f"{module} · {kind_label(kind_of(name))}" if module else kind_label(kind_of(name))


class Navigator(QTreeWidget):
    stepActivated = Signal(int)
    toggleBreakpoint = Signal(str)
    toggleKindBreakpoint = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.order: list[str] = []
        self.items: list[QTreeWidgetItem] = []
        self.current = -1
        self.itemClicked.connect(self._clicked)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_order(self, order: list[str]) -> None:
        if order == self.order:
            return
        self.clear()
        self.order, self.items, self.current = list(order), [], -1
        tops: list[QTreeWidgetItem] = []
        groups: dict[str, QTreeWidgetItem] = {}
        for i, name in enumerate(order):  # build off-tree, then insert once (fast for 700+ steps)
            key = layer_key(name)
            item = QTreeWidgetItem([step_label(name)])
            item.setToolTip(0, name)
            item.setData(0, Qt.UserRole, i)
            if key is None:
                tops.append(item)
            else:
                if key not in groups:
                    g = QTreeWidgetItem([key.replace("blocks.", "layer ")])
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
            label = step_label(name)
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
        menu.addAction("Toggle breakpoint here (F9)", lambda: self.toggleBreakpoint.emit(name))
        if name != TOKENS:
            kind = kind_of(name)
            menu.addAction(f"Break on every “{kind_label(kind)}” (Ctrl+F9)",
                           lambda: self.toggleKindBreakpoint.emit(kind))
        menu.exec(self.viewport().mapToGlobal(pos))
