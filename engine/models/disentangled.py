"""DeBERTa-v2's disentangled attention: q·kᵀ plus two relative-position terms, each a hook point.

    score(i, j) = q_i·k_j  +  q_i·K_r[δ(i, j)]  (c2p: content → position)
                           +  k_j·Q_r[δ(i, j)]  (p2c: position → content)
    scaled = score / √(d_head · (1 + number of terms))

δ(i, j) is the bucket of the distance i − j (log-spaced beyond position_buckets / 2), shifted
into a row of the relative embedding table; K_r and Q_r are that table through the position key /
query projections (the content W_K / W_Q with share_att_key). The table is shared by every layer
and built once per forward by the stack (RelativeEmbedding); each layer's DisentangledAttention
receives it in the slot RoPE tables take in other models.

DeBERTa-v2's large checkpoints add a convolution after layer 0 (ConvLayer, conv_kernel_size > 0):
layer 1 reads LayerNorm(layer-0 output + act(conv1d(embeddings))).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint
from .activations import ACTIVATIONS
from .components import RESID, Attention, Norm

PAT = ("batch", "head", "query_pos", "key_pos")


def log_bucket(rel: torch.Tensor, bucket_size: int, max_position: int) -> torch.Tensor:
    """Distances within ±bucket_size/2 kept as they are; farther ones log-spaced up to max_position
    (transformers' make_log_bucket_position, operation for operation)."""
    sign = torch.sign(rel)
    mid = bucket_size // 2
    abs_pos = torch.where((rel < mid) & (rel > -mid), torch.tensor(mid - 1).type_as(rel), torch.abs(rel))
    log_pos = torch.ceil(torch.log(abs_pos / mid) / torch.log(torch.tensor((max_position - 1) / mid)) * (mid - 1)) + mid
    return torch.where(abs_pos <= mid, rel.type_as(log_pos), log_pos * sign).to(torch.long)


class RelPos(NamedTuple):
    """What every layer's disentangled attention needs for one forward."""

    table: torch.Tensor  # [2·span, d_model]: the relative embeddings (normalised with norm_rel_ebd)
    index: torch.Tensor  # [query_pos, key_pos]: the table row of each pair, clamp(δ(i, j) + span)


def spans(cfg: ModelConfig) -> tuple[int, int, int]:
    """(position_buckets, max_relative_positions, span): the table holds 2·span rows."""
    max_rel = cfg.max_relative_positions if cfg.max_relative_positions >= 1 else cfg.n_ctx
    buckets = cfg.position_buckets
    return buckets, max_rel, buckets if buckets > 0 else max_rel


class RelativeEmbedding(nn.Module):
    """The relative embedding table (optionally LayerNorm-ed) and the bucketed distance index."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.buckets, self.max_rel, self.span = spans(cfg)
        self.eps = cfg.norm_eps
        self.W_rel = nn.Parameter(torch.empty(2 * self.span, cfg.d_model))  # [2·span, d_model]
        self.norm = cfg.norm_rel_ebd
        if self.norm:
            self.w = nn.Parameter(torch.ones(cfg.d_model))
            self.b = nn.Parameter(torch.zeros(cfg.d_model))
        rows = f"{2 * self.span} rows, distance buckets −{self.span}…{self.span - 1}"
        what = "LayerNorm(W_rel)" if self.norm else "W_rel"
        self.hook_rel_table = HookPoint(  # [2·span, d_model]
            f"relative-position embeddings = {what} ({rows}), shared by every layer", ("rel_pos", "d_model"))

    def index(self, n: int, device) -> torch.Tensor:
        """[n, n] table rows: clamp(δ(i, j) + span, 0, 2·span − 1)."""
        pos = torch.arange(n, device=device)
        rel = pos[:, None] - pos[None, :]  # [query, key]: i − j
        if self.buckets > 0 and self.max_rel > 0:
            rel = log_bucket(rel, self.buckets, self.max_rel)
        return torch.clamp(rel + self.span, 0, 2 * self.span - 1)

    def forward(self, n: int, device) -> RelPos:
        table = self.W_rel
        if self.norm:
            table = F.layer_norm(table, (table.shape[-1],), self.w, self.b, self.eps)
        return RelPos(self.hook_rel_table(table), self.index(n, device))


TERMS = {  # pos_att_type -> (hook kind, description)
    "c2p": ("hook_c2p",
            "c2p = q_i · K_r[δ(i,j)]: content → position (the query against the key's relative distance)"),
    "p2c": ("hook_p2c",
            "p2c = k_j · Q_r[δ(i,j)]: position → content (the key against the query's relative distance)"),
}


class DisentangledAttention(Attention):
    """Attention whose scores gain the c2p / p2c terms before one shared divisor."""

    def __init__(self, cfg: ModelConfig, input_ref: str, **kw):
        super().__init__(cfg, input_ref, **kw)
        d, h, dh = cfg.d_model, cfg.n_heads, cfg.d_head
        factor = 1 + len(cfg.pos_att_type)  # transformers counts the terms even without relative_attention
        self.divisor = math.sqrt(dh * factor)
        self.sdpa_scale = 1.0 / self.divisor
        self.terms = tuple(cfg.pos_att_type) if cfg.rel_attention else ()
        self.share_att_key = cfg.share_att_key
        if not self.share_att_key:
            if "c2p" in self.terms:
                self.W_pos_K = nn.Linear(d, h * dh)
            if "p2c" in self.terms:
                self.W_pos_Q = nn.Linear(d, h * dh)
        qn = "hook_rot_q" if self.rotary else "hook_q"
        kn = "hook_rot_k" if self.rotary else "hook_k"
        src = {"c2p": qn, "p2c": kn}
        for t in self.terms:
            kind, what = TERMS[t]
            proj = ("W_K" if t == "c2p" else "W_Q") if self.share_att_key else ("W_pos_K" if t == "c2p" else "W_pos_Q")
            table = "../../../rel_embed.hook_rel_table"  # the stack's (blocks.L.attn -> the stack)
            setattr(self, kind, HookPoint(f"{what}; δ = bucketed i − j, rows of the relative table · {proj}",
                                          PAT, [src[t], table]))
        self.score_terms = {TERMS[t][0]: t for t in self.terms}  # hook kind -> term (the consistency test asks)
        added = "".join(f" + {t}" for t in self.terms)
        root = "√d_head" if factor == 1 else f"√(d_head · {factor})"
        why = "" if factor == 1 else f" (1 + {factor - 1} position term{'s' * (factor > 2)})"
        self.hook_attn_scaled.description = (
            f"scaled = (q·kᵀ{added}) / {root}{why} = scores / {self.divisor:.4g}")
        self.hook_attn_scaled.input_refs = ("hook_attn_scores", *self.score_terms)
        self._explicit_hooks += tuple(getattr(self, k) for k in self.score_terms)
        self._rel: RelPos | None = None

    def term_projection(self, term: str) -> nn.Linear:
        """The projection of the relative table for c2p (position keys) or p2c (position queries)."""
        if self.share_att_key:
            return self.W_K if term == "c2p" else self.W_Q
        return self.W_pos_K if term == "c2p" else self.W_pos_Q

    def forward(self, x, kv_x=None, mask=None, rope=None, cache=None):
        """rope: the stack's RelPos for this forward (there is no rotary in DeBERTa)."""
        self._rel = rope
        try:
            return super().forward(x, kv_x, mask, None, cache)
        finally:
            self._rel = None

    def position_terms(self, q: torch.Tensor, k: torch.Tensor) -> list[torch.Tensor]:
        """q [batch, head, query_pos, d_head], k [batch, head, key_pos, d_head] -> each term [b, h, q, k]."""
        if not self.terms:
            return []
        rel = self._rel
        out = []
        nq, nk = q.shape[-2], k.shape[-2]
        idx = rel.index[:nq, :nk]  # [query, key]
        for t in self.terms:
            rows = rel.table.shape[0]
            proj = self.term_projection(t)(rel.table).view(rows, self.n_heads, self.d_head)  # [2·span, head, d_head]
            if t == "c2p":
                full = torch.einsum("bhqd,rhd->bhqr", q, proj)  # [batch, head, query, 2·span]
                term = full.gather(-1, idx.expand(*full.shape[:2], nq, nk))
            else:
                full = torch.einsum("bhkd,rhd->bhkr", k, proj)  # [batch, head, key, 2·span]
                term = full.gather(-1, idx.T.expand(*full.shape[:2], nk, nq)).transpose(-1, -2)  # [b, h, q, k]
            out.append(getattr(self, TERMS[t][0])(term))
        return out

    def scale_scores(self, scores: torch.Tensor, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        total = scores
        for term in self.position_terms(q, k):
            total = total + term
        return total / self.divisor

    side_records = False  # its fused kernel takes the position terms as a bias: recorded matrices go the textbook way

    def attend(self, qh, k_all, v_all, mask, pos_bias=None):
        if not self.terms or any(hp.fns for hp in self._explicit_hooks):
            return super().attend(qh, k_all, v_all, mask, pos_bias)
        bias = sum(self.position_terms(qh, k_all)) / self.divisor  # [batch, head, query, key]
        if mask is not None:
            bias = bias.masked_fill(~mask, float("-inf"))
        z = F.scaled_dot_product_attention(qh, k_all, v_all, attn_mask=bias, scale=self.sdpa_scale)
        return z.transpose(1, 2)  # [batch, head, pos, d_head] -> [batch, pos, head, d_head]


class ConvLayer(nn.Module):
    """DeBERTa-v2's n-gram branch: act(conv1d over positions of the embeddings), added to layer 0's
    output and LayerNorm-ed; padding positions are zero on the way in and out."""

    def __init__(self, cfg: ModelConfig, embed_ref: str, layer0_ref: str):
        super().__init__()
        k, g, d = cfg.conv_kernel, cfg.conv_groups, cfg.d_model
        self.kernel, self.groups, self.act_name = k, g, cfg.conv_act
        self.act = ACTIVATIONS[cfg.conv_act]
        self.weight = nn.Parameter(torch.empty(d, d // g, k))  # [out, in / groups, kernel]
        self.bias = nn.Parameter(torch.zeros(d))
        self.hook_conv = HookPoint(
            f"conv = {cfg.conv_act}(conv1d(embeddings)): kernel {k} over neighbouring positions"
            + (f", {g} channel groups" if g > 1 else ""), RESID, [embed_ref])
        self.hook_conv_add = HookPoint("Add: layer-0 output + conv", RESID, [layer0_ref, "hook_conv"])
        self.ln = Norm(cfg, "../hook_conv_add")

    def forward(self, x: torch.Tensor, embedded: torch.Tensor, key_padding: torch.Tensor | None) -> torch.Tensor:
        """x: layer 0's output, embedded: the embeddings, both [batch, pos, d_model]; key_padding [batch, pos]."""
        keep = key_padding.to(x.dtype)[..., None] if key_padding is not None else None  # [batch, pos, 1]
        src = embedded if keep is None else embedded * keep
        out = F.conv1d(src.transpose(1, 2), self.weight, self.bias, padding=(self.kernel - 1) // 2,
                       groups=self.groups).transpose(1, 2)  # [batch, d_model, pos] -> [batch, pos, d_model]
        if keep is not None:
            out = out * keep
        y = self.ln(self.hook_conv_add(x + self.hook_conv(self.act(out))))
        return y if keep is None else y * keep
