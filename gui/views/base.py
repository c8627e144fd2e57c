"""What a view is given (StepContext) and how a step's tensor becomes a labelled matrix.

Slicing rules are keyed by the step's axes (declared by its HookPoint), so a new hook shape
needs one entry in SLICERS, not a branch per architecture.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.hook_names import kind_of, layer_key, sibling

from ..trace_store import TraceStore
from ..i18n import N_, tr


@dataclass
class StepContext:
    store: TraceStore
    name: str
    head: int = 0
    position: int = -1  # -1 = last
    tokenizer: object = None
    extra: dict = field(default_factory=dict)  # lens / thumbnails results, when computed

    @property
    def layer(self) -> str | None:
        return layer_key(self.name)

    @property
    def kind(self) -> str:
        return kind_of(self.name)

    def pos(self, n: int) -> int:
        """The selected position, clamped into [0, n)."""
        p = self.position if self.position >= 0 else n + self.position
        return min(max(p, 0), n - 1)

    def sibling(self, kind: str) -> str:
        """The hook named `kind` in the same module: ('blocks.0.attn.hook_q', 'hook_k')."""
        return sibling(self.name, kind)


@dataclass
class Matrix:
    data: np.ndarray  # [rows, cols], exactly the trace's values
    rows: list[str]
    cols: list[str] | None
    row_name: str
    col_name: str
    note: str = ""


def _np(t) -> np.ndarray:
    return t.detach().float().cpu().numpy()


def kv_head(ctx: StepContext, n_heads_in_tensor: int) -> tuple[int, str]:
    """The head index into a tensor; for GQA k/v tensors, the kv head serving the query head."""
    h = ctx.head
    kv_of = ctx.store.meta.get("kv_head_of_head") or []
    if kv_of and n_heads_in_tensor != len(kv_of) and h < len(kv_of):
        kvh = kv_of[h]
        served = [q for q, k in enumerate(kv_of) if k == kvh]
        return kvh, tr("kv head {kv} serves query heads {first}–{last}").format(kv=kvh, first=served[0], last=served[-1])
    return min(h, n_heads_in_tensor - 1), ""


def _resid(ctx, name, t):  # [batch, pos, feature]
    feat = ctx.store.step(name).axes[-1]
    return Matrix(_np(t[0]), ctx.store.tokens_for(name), None, N_("position"), feat)


def _table(ctx, name, t):  # [pos, d_model | d_embed]
    return Matrix(_np(t), ctx.store.tokens_for(name), None, N_("position"), ctx.store.step(name).axes[-1])


def _first_token(ctx, name, t):  # [batch, d_model]: one vector per sequence (a classifier's [CLS])
    toks = ctx.store.tokens_for(name)
    return Matrix(_np(t[:1]), [tr("first token {token}").format(token=repr(toks[0])) if toks else tr("first token")], None, "", "d_model")


def _per_label(ctx, name, t):  # [batch, label]
    return Matrix(_np(t[:1]), [kind_of(name).removeprefix("hook_")], ctx.store.meta.get("label_names") or None,
                  "", N_("label"))


def _per_head(ctx, name, t):  # [batch, pos, head, d_head | d_model]
    h, note = kv_head(ctx, t.shape[2])
    toks = ctx.store.key_tokens_for(name) if kind_of(name) in ("hook_k", "hook_v", "hook_rot_k") else ctx.store.tokens_for(name)
    return Matrix(_np(t[0, :, h, :]), toks, None, N_("position"), ctx.store.step(name).axes[-1], note)


def _pattern(ctx, name, t):  # [batch, head, query_pos, key_pos]
    h, note = kv_head(ctx, t.shape[1])
    return Matrix(_np(t[0, h]), ctx.store.tokens_for(name), ctx.store.key_tokens_for(name),
                  N_("query"), N_("key"), note)


def _rel_table(ctx, name, t):  # [2·span, d_model]: row r is the relative distance (bucket) r − span
    span = t.shape[0] // 2
    return Matrix(_np(t), [f"{r - span:+d}" for r in range(t.shape[0])], None, N_("relative distance"), "d_model")


SLICERS: dict[tuple[str, ...], Callable] = {
    ("batch", "pos", "d_model"): _resid,
    ("batch", "pos", "d_mlp"): _resid,
    ("batch", "pos", "d_embed"): _resid,  # OPT-350m's narrower embedding and project_out
    ("batch", "pos", "1"): _resid,
    ("pos", "d_model"): _table,
    ("pos", "d_embed"): _table,  # ALBERT / ELECTRA: positions at the embedding width
    ("batch", "d_model"): _first_token,
    ("batch", "label"): _per_label,
    ("rel_pos", "d_model"): _rel_table,  # DeBERTa's relative-position embeddings
    ("batch", "pos", "head", "d_head"): _per_head,
    ("batch", "pos", "head", "d_model"): _per_head,
    ("batch", "head", "query_pos", "key_pos"): _pattern,
}


def matrix(ctx: StepContext, name: str | None = None) -> Matrix | None:
    """The 2-D slice of a step for the selected head, or None when the step is not captured."""
    name = name or ctx.name
    step = ctx.store.step(name, ctx.head)
    if step is None:
        return None
    if getattr(step, "heads", None) is not None:  # a long prompt's recomputation of this head only
        return Matrix(_np(step.tensor[0, step.heads.index(ctx.head)]), ctx.store.tokens_for(name),
                      ctx.store.key_tokens_for(name), "query", "key")
    fn = SLICERS.get(tuple(step.axes))
    if fn is None:
        return None
    return fn(ctx, name, step.tensor)


class View(QWidget):
    """Base: `show_step(ctx)` redraws from the context; `name` is the render/registry name."""

    name = ""
    heatmaps = 0  # Heatmaps it holds: the window prebuilds that many while idle (Heatmap.take)

    def _layout_with_note(self) -> QVBoxLayout:
        """The shared frame of a view: a margin-less column whose first row is `self.note`."""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        return lay

    def show_step(self, ctx: StepContext) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
