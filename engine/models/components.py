"""Building blocks with hook points after every operation.

Parameter names are ours and family-neutral; converters map checkpoints onto them.
Extra work done only for display (per-head results, norm statistics, explicit attention
matrices) is computed only when a hook asks for it, so an unhooked run stays as fast as
the reference.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint
from . import rope
from .activations import ACTIVATIONS
from .few_rows import Linear, linear
from .fusion import FusableMixin
from .kv_cache import LayerKV
from .one_query import one_query_attention
from .relative_bias import describe_bias, with_bias

RESID = ("batch", "pos", "d_model")


class Embed(nn.Module):
    """Token embedding table; the owning stack records its output as hook_embed."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.W_E = nn.Parameter(torch.empty(cfg.vocab_size, cfg.d_embed))  # [vocab, d_embed] (d_embed = d_model but in OPT-350m)
        self.scale = cfg.embed_scale
        self.scale_in_dtype = cfg.embed_scale_in_dtype  # Gemma: the factor rounded to the compute dtype

    def describe(self) -> str:
        desc = "token embedding: row W_E[id] for each token"
        if self.scale != 1.0:
            desc += f", times √d_model = {self.scale:.4g}"
        return desc

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = F.embedding(ids, self.W_E)  # [batch, pos, d_embed]
        if self.scale == 1.0:
            return x
        return x * (torch.tensor(self.scale, dtype=x.dtype) if self.scale_in_dtype else self.scale)


def skip_pad_positions(ids: torch.Tensor, pad: int) -> torch.Tensor:
    """RoBERTa's position ids [batch, pos]: the k-th non-pad token gets pad + k, a pad token gets pad
    (transformers' create_position_ids_from_input_ids)."""
    keep = ids.ne(pad).long()  # [batch, pos]
    return torch.cumsum(keep, dim=1) * keep + pad


class LearnedPosEmbed(nn.Module):
    description = "learned positional embedding: row W_pos[position]"
    axes = ("pos", "d_model")

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.offset = cfg.pos_offset
        width = cfg.d_embed if cfg.embed_factorised else cfg.d_model  # ALBERT / ELECTRA: at d_embed
        self.W_pos = nn.Parameter(torch.empty(cfg.n_ctx + self.offset, width))  # [n_ctx + offset, d_model]
        self.pad = cfg.pad_token_id if cfg.pos_skip_pad else None
        if self.pad is not None:  # the table row depends on the ids: one row set per sequence
            self.description = (f"learned positional embedding: row W_pos[cumsum(id ≠ pad)·(id ≠ pad) + {self.pad}]"
                                f" (padding tokens get row {self.pad})")
            self.axes = ("batch", "pos", "d_model")
        if cfg.embed_factorised:
            self.axes = self.axes[:-1] + ("d_embed",)

    def describe(self) -> str:
        if self.pad is not None:  # the rows are counted from the ids (skip_pad_positions)
            return self.description
        return self.description + (f" (rows start at {self.offset}: position p reads row p + {self.offset})"
                                   if self.offset else "")

    def forward(self, positions: torch.Tensor, ids: torch.Tensor | None = None) -> torch.Tensor:
        if self.pad is not None and ids is not None:
            return self.W_pos[skip_pad_positions(ids, self.pad)]  # [batch, pos, d_model]
        return self.W_pos[positions + self.offset]  # [pos, d_model]


def sinusoidal_table(n_positions: int, dim: int) -> torch.Tensor:
    """The paper's encoding, laid out as Marian does: sin in the first half, cos in the second."""
    pos = torch.arange(n_positions, dtype=torch.float64)[:, None]
    j = torch.arange(dim, dtype=torch.float64)[None, :]
    angle = pos / torch.pow(10000.0, 2 * torch.div(j, 2, rounding_mode="floor") / dim)
    table = torch.zeros(n_positions, dim, dtype=torch.float64)
    half = dim // 2 + dim % 2
    table[:, :half] = torch.sin(angle[:, 0::2])
    table[:, half:] = torch.cos(angle[:, 1::2])
    return table.float()


class SinusoidalPosEmbed(nn.Module):
    description = "sinusoidal positional encoding: sin(pos/10000^(2i/d)) | cos(pos/10000^(2i/d))"
    axes = ("pos", "d_model")

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.shape = (cfg.n_ctx, cfg.d_model)
        self.register_buffer("table", sinusoidal_table(*self.shape), persistent=False)

    def init_buffers(self) -> None:
        self.table = sinusoidal_table(*self.shape).to(self.table.device)

    def describe(self) -> str:
        return self.description

    def forward(self, positions: torch.Tensor, ids: torch.Tensor | None = None) -> torch.Tensor:
        return self.table[positions]  # [pos, d_model]


def fairseq_sinusoidal_table(n_rows: int, dim: int, pad: int) -> torch.Tensor:
    """fairseq's (tensor2tensor's) table, as transformers' M2M100 builds it in float32: frequencies
    10000^(−i/(half − 1)), all sines then all cosines, a zero column when dim is odd, row `pad` zero."""
    half = dim // 2
    freq = torch.exp(torch.arange(half, dtype=torch.int64).float() * -(math.log(10000) / (half - 1)))
    angle = torch.arange(n_rows, dtype=torch.int64).float()[:, None] * freq[None, :]  # [rows, half]
    table = torch.cat([torch.sin(angle), torch.cos(angle)], dim=1)  # [rows, 2*half]
    if dim % 2:
        table = torch.cat([table, torch.zeros(n_rows, 1)], dim=1)  # [rows, dim]
    table[pad] = 0
    return table


class FairseqSinusoidalPosEmbed(nn.Module):
    """M2M100 / NLLB positions: counted over the non-pad tokens from pos_pad_id + 1; a pad token
    reads the zero row pos_pad_id. Positions depend on the ids, so the output has a batch axis."""

    description = ("sinusoidal positional encoding (fairseq): sin(row·10000^(−i/(d/2−1))) | cos(…), "
                   "row = pad id + 1 + position among non-pad tokens; a pad token's row is zero")
    axes = RESID

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        if cfg.pos_pad_id is None:
            raise ValueError("sinusoidal_fairseq positions need pos_pad_id (the padding token id)")
        self.pad = cfg.pos_pad_id
        self.shape = (cfg.n_ctx + self.pad + 1, cfg.d_model)  # rows up to the last position's
        self.register_buffer("table", fairseq_sinusoidal_table(*self.shape, self.pad), persistent=False)

    def init_buffers(self) -> None:
        self.table = fairseq_sinusoidal_table(*self.shape, self.pad).to(self.table.device)

    def describe(self) -> str:
        return self.description.replace("pad id", f"pad id {self.pad}")

    def forward(self, positions: torch.Tensor, ids: torch.Tensor | None = None) -> torch.Tensor:
        """positions [pos] (from the cache length on), ids [batch, pos] -> [batch, pos, d_model].

        As transformers: (cumsum of non-pad over this call's tokens + cache length) · non-pad + pad."""
        token = (ids != self.pad).long()  # [batch, pos]
        rows = (torch.cumsum(token, dim=1) + positions[:1]) * token + self.pad  # [batch, pos]
        return self.table[rows]  # [batch, pos, d_model]


class RopeTables(NamedTuple):
    """What rotate() needs for one forward: the tables and how they are laid out over a head."""

    cos: torch.Tensor  # [1, pos, 1, rotary_dim]
    sin: torch.Tensor  # [1, pos, 1, rotary_dim], signed: the partner's minus sign folded in
    dim: int  # rotary_dim: the first `dim` dims of each head rotate, the rest pass through
    interleaved: bool  # GPT-J pairs (2i, 2i+1); otherwise rotate-half pairs (i, i + dim/2)


class Rotary(nn.Module):
    """RoPE tables: rotate-half (Llama, GPT-NeoX) or interleaved pairs (GPT-J), over all of a
    head or its first rotary_dim dims (partial rotary)."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.spec = rope.RopeSpec.of(cfg)
        rope.check(self.spec)
        self.dim = self.spec.dim
        self.interleaved = cfg.rope_interleaved
        self.init_buffers()

    def describe(self) -> str:
        """The rotation in words, for the hook_rot_q / hook_rot_k descriptions."""
        desc = f"angle = position · θ_i, {rope.describe(self.spec)}"
        if self.dim < self.cfg.d_head:
            desc += f"; first {self.dim} of {self.cfg.d_head} dims per head rotate, the rest pass through"
        if self.interleaved:
            desc += "; pairs (2i, 2i+1) (GPT-J)"
        return desc

    def init_buffers(self) -> None:
        """The tables at load-time frequencies for every position (cos and sin already × the
        type's attention scaling, in float32, as transformers multiplies them)."""
        if rope.tables_deferred():  # built on meta: computed when the model is filled (rope.tables_later)
            half = rope.inv_freq(self.spec)[0].shape[0]
            self.register_buffer("cos", torch.empty(self.cfg.n_ctx, half, device="meta"), persistent=False)
            self.register_buffer("sin", torch.empty(self.cfg.n_ctx, half, device="meta"), persistent=False)
            return
        device = self.cos.device if hasattr(self, "cos") else None
        t = torch.arange(self.cfg.n_ctx, dtype=torch.float32)
        cos, sin = self._angles(t, *rope.inv_freq(self.spec))
        self.register_buffer("cos", cos.to(device), persistent=False)  # [n_ctx, rotary_dim/2]
        self.register_buffer("sin", sin.to(device), persistent=False)

    @staticmethod
    def _angles(t: torch.Tensor, inv_freq: torch.Tensor, scaling: float) -> tuple[torch.Tensor, torch.Tensor]:
        freqs = t[:, None] * inv_freq.to(t.device)  # [pos, rotary_dim/2]
        return freqs.cos() * scaling, freqs.sin() * scaling

    def tables(self, positions: torch.Tensor, dtype: torch.dtype) -> RopeTables:
        """cos and signed sin for these (ascending) positions, each [1, pos, 1, rotary_dim]; once per forward.

        The sign of the partner's −x is folded into sin, so rotate() is x·cos + partner(x)·sin:
        three tensor ops instead of six, per head group and layer. A type whose frequencies
        depend on the sequence length (dynamic, longrope) computes them for this forward's
        seq_len = last position + 1 when they differ from the load-time ones."""
        if self.spec.kind in rope.LENGTH_DEPENDENT:
            seq_len = int(positions[-1]) + 1
            if rope.varies_at(self.spec, seq_len):
                cos, sin = self._angles(positions.float(), *rope.inv_freq(self.spec, seq_len))
                return self._layout(cos[None, :, None, :].to(dtype), sin[None, :, None, :].to(dtype))
        cos = self.cos[positions][None, :, None, :].to(dtype)  # [1, pos, 1, rotary_dim/2]
        sin = self.sin[positions][None, :, None, :].to(dtype)
        return self._layout(cos, sin)

    def _layout(self, cos: torch.Tensor, sin: torch.Tensor) -> RopeTables:
        """[.., rotary_dim/2] angles -> [.., rotary_dim] tables in the pairing's order."""
        if self.interleaved:  # (c0, c0, c1, c1, ...) and (−s0, s0, −s1, s1, ...)
            cos2 = cos.repeat_interleave(2, dim=-1)  # [1, pos, 1, rotary_dim]
            sin2 = torch.stack((-sin, sin), dim=-1).flatten(-2)  # [1, pos, 1, rotary_dim/2, 2] -> [.., rotary_dim]
        else:  # (c, c) and (−s, s) halves
            cos2 = torch.cat((cos, cos), dim=-1)  # [1, pos, 1, rotary_dim]
            sin2 = torch.cat((-sin, sin), dim=-1)
        return RopeTables(cos2, sin2, self.dim, self.interleaved)


def _partner(x: torch.Tensor, interleaved: bool) -> torch.Tensor:
    """Each dim's rotation partner: x[i + d/2] (rotate-half) or x[i ^ 1] (interleaved pairs)."""
    if interleaved:
        return x.unflatten(-1, (-1, 2)).flip(-1).flatten(-2)  # [.., d/2, 2] pairs swapped -> [.., d]
    return x.roll(x.shape[-1] // 2, dims=-1)


def rotate(x: torch.Tensor, rope: RopeTables) -> torch.Tensor:
    """RoPE on x: [batch, pos, head, d_head]: x·cos + partner(x)·signed sin on the first
    rope.dim dims, the rest unchanged.

    Rotate-half's (−x2, x1)·sin == roll(x, d/2)·(−sin₁, sin₂) exactly (a sign moved, no
    rounding); GPT-J's rotate_every_two (−x₂ᵢ₊₁, x₂ᵢ)·sin likewise with pairs swapped."""
    cos, sin, dim, interleaved = rope
    if dim == x.shape[-1]:
        return x * cos + _partner(x, interleaved) * sin
    x_rot, x_pass = x[..., :dim], x[..., dim:]  # [batch, pos, head, rotary_dim], [.., d_head - rotary_dim]
    return torch.cat((x_rot * cos + _partner(x_rot, interleaved) * sin, x_pass), dim=-1)


@dataclass(frozen=True)
class NormKind:
    """One normalisation: its function (x, w, b, eps) -> y, its parameters and its formula."""

    fn: Callable
    formula: str
    rms: bool  # the statistic is rms(x) (else the std)
    weight: bool = True
    bias: bool = False  # the default when a converter does not say


def rms_norm(x: torch.Tensor, w: torch.Tensor, b: None, eps: float) -> torch.Tensor:
    if x.dtype == torch.float32:
        return F.rms_norm(x, (x.shape[-1],), w, eps)  # one kernel
    # half precision: normalise in float32, as Llama does (xf·rsqrt(mean(xf²) + eps)); F.rms_norm
    # without a weight is that formula in one kernel (the same bits: tests/engine/test_one_query.py)
    return w * F.rms_norm(x.float(), (x.shape[-1],), None, eps).to(x.dtype)


def rms_norm_1p(x: torch.Tensor, w: torch.Tensor, b: None, eps: float) -> torch.Tensor:
    """Gemma's RMSNorm: the weight is stored as an offset from 1, all in float32."""
    xf = x.float()
    y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return (y * (1.0 + w.float())).to(x.dtype)


def layer_norm(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, eps: float) -> torch.Tensor:
    return F.layer_norm(x, (x.shape[-1],), w, b, eps)


def layer_norm_np(x: torch.Tensor, w: None, b: None, eps: float) -> torch.Tensor:
    """OLMo's LayerNorm without weight or bias, in float32."""
    return F.layer_norm(x.float(), (x.shape[-1],), None, None, eps).to(x.dtype)


NORM_KINDS: dict[str, NormKind] = {
    "layernorm": NormKind(layer_norm, "LayerNorm: (x − mean) / std · γ + β", rms=False, bias=True),
    "rmsnorm": NormKind(rms_norm, "RMSNorm: x / rms(x) · γ", rms=True),
    "rmsnorm_1p": NormKind(rms_norm_1p, "RMSNorm with offset weight: x / rms(x) · (1 + γ)", rms=True),
    "layernorm_np": NormKind(
        layer_norm_np, "LayerNorm without parameters: (x − mean) / std", rms=False, weight=False
    ),
}
NORMALIZE = {k: v.fn for k, v in NORM_KINDS.items()}  # Norm.kind -> (x, w, b, eps) -> y


class Norm(nn.Module):
    """A normalisation of NORM_KINDS; records the per-position scale (std or rms) on request."""

    def __init__(self, cfg: ModelConfig, input_ref: str, bias: bool | None = None, what: str = "",
                 dim: int | None = None):
        """dim: the width normalised (None = d_model; ALBERT's embeddings and MLM head: d_embed)."""
        super().__init__()
        self.kind = cfg.norm
        kind = NORM_KINDS[cfg.norm]
        self.eps = cfg.norm_eps
        width = cfg.d_model if dim is None else dim
        self.w = nn.Parameter(torch.ones(width)) if kind.weight else None
        has_bias = kind.bias if bias is None else bias
        self.b = nn.Parameter(torch.zeros(width)) if has_bias and kind.weight else None
        stat = "rms(x) per position" if kind.rms else "std(x) per position"
        self.hook_scale = HookPoint(stat, ("batch", "pos", "1"), [input_ref])
        axes = RESID if width == cfg.d_model else ("batch", "pos", "d_embed")
        self.hook_normalized = HookPoint(what + kind.formula, axes, [input_ref])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.hook_scale.active:
            xf = x.float()
            if NORM_KINDS[self.kind].rms:
                s = (xf.pow(2).mean(-1, keepdim=True) + self.eps).sqrt()
            else:
                d = xf - xf.mean(-1, keepdim=True)  # two cheap passes: ~10× faster than var()
                s = ((d * d).mean(-1, keepdim=True) + self.eps).sqrt()
            self.hook_scale(s.to(x.dtype))
        return self.hook_normalized(NORMALIZE[self.kind](x, self.w, self.b, self.eps))


class QKNorm(nn.Module):
    """RMSNorm of q or k before RoPE: over each head's d_head (Qwen3, Gemma 3), or over the whole
    projection of all heads (OLMo-2). Uses the model's RMSNorm kind (Gemma's is (1 + w))."""

    def __init__(self, cfg: ModelConfig, n_heads: int):
        super().__init__()
        self.whole = cfg.qk_norm == "whole"
        self.kind, self.eps = cfg.norm, cfg.norm_eps
        self.w = nn.Parameter(torch.ones(cfg.d_head * (n_heads if self.whole else 1)))
        self.fn = NORMALIZE[cfg.norm]

    def apply(self, x: torch.Tensor) -> torch.Tensor:
        """x: [batch, pos, head, d_head] -> same shape."""
        if not self.whole:
            return self.fn(x, self.w, None, self.eps)
        b, p, n, dh = x.shape
        y = self.fn(x.reshape(b, p, n * dh), self.w, None, self.eps)  # all heads at once: [b, p, n*d_head]
        return y.view(b, p, n, dh)  # [batch, pos, head, d_head]


def soft_cap(x: torch.Tensor, cap: float) -> torch.Tensor:
    """tanh(x / cap) · cap: squashes values into (−cap, cap), nearly linear near 0 (Gemma 2)."""
    return torch.tanh(x / cap) * cap


def attention_divisor(cfg: ModelConfig, layer: int) -> tuple[float, float | None, str]:
    """(divisor of q·k, the scale to hand SDPA (None = its own 1/√d_head), the divisor in words).

    cfg.attn_scale replaces 1/√d_head (1.0: GPT-2's scale_attn_weights=False); with
    cfg.attn_scale_by_layer the scores are also divided by (layer + 1) (GPT-2's
    scale_attn_by_inverse_layer_idx)."""
    if cfg.attn_scale is None:
        divisor, what = math.sqrt(cfg.d_head), "√d_head"
    else:
        divisor = 1.0 / cfg.attn_scale  # e.g. Gemma's √query_pre_attn_scalar, written as a root below
        what = "1 (unscaled)" if cfg.attn_scale == 1.0 else f"√{divisor * divisor:.4g}"
    if cfg.attn_scale_by_layer:
        divisor *= layer + 1
        what = f"({what} · (layer + 1 = {layer + 1}))"
    default = cfg.attn_scale is None and not cfg.attn_scale_by_layer
    return divisor, None if default else 1.0 / divisor, what


def scaling_description(cfg: ModelConfig, divisor: float, what: str) -> str:
    """The scaling step in words; a model that does not scale says so rather than showing ÷ 1."""
    if divisor == 1.0 and not cfg.attn_scale_by_layer:
        where = f" in {cfg.unscaled_by}" if cfg.unscaled_by else ""
        return f"no scaling{where}: scaled = scores, q·kᵀ is not divided by √d_head"
    return f"scaled = scores / {what} = scores / {divisor:.4g}"


# Decode steps (one query position) on the CPU in these dtypes attend in float32, as `upcast` does:
# there torch's bfloat16 SDPA kernel took ~150 µs of CPU a layer for 4 beams × 9 heads × 34 keys
# (float16 ~300 µs, 300 keys ~1.4 ms) and ~59 µs for one row; the float32 one ~45, ~41, ~270 and
# ~34 µs, conversions included (SmolLM2's shapes, 1 thread). Prompts keep the half kernel.
UPCAST_DECODE = {torch.bfloat16, torch.float16}


class CausalMask(torch.Tensor):
    """A boolean mask [1, 1, n, n] that is exactly the causal triangle (no past, window or padding).

    Why: handed `is_causal=True` instead of the matrix, SDPA's CPU kernel skips the blocks above
    the diagonal and converts no mask: about half the attention time of a long prefill (2,000
    tokens on smollm2-135m: 200 vs 370 ms a layer), the path transformers takes. Masked-out keys
    contribute exact zeros either way, so z has the same bits (tests/engine/test_causal_mask.py).
    Any operation on it returns a plain tensor (no __torch_function__), so only the mask
    build_mask made is marked."""

    __torch_function__ = torch._C._disabled_torch_function_impl


def sdpa(q, k, v, mask, gqa: bool, scale: float | None, upcast: bool) -> torch.Tensor:
    """Fused attention: q [batch, head, q_pos, d_head], k/v [batch, kv_head, k_pos, d_head] ->
    z [batch, q_pos, head, d_head]. upcast: computed in float32, returned in v's dtype."""
    dtype = v.dtype
    if upcast or (q.shape[2] == 1 and dtype in UPCAST_DECODE and q.device.type == "cpu"):
        q, k, v = q.float(), k.float(), v.float()
        if mask is not None and mask.is_floating_point():  # an additive bias (T5) in the model's dtype
            mask = mask.float()
    if q.shape[2] == 1:  # one query (a decode step): the fastest exact way per dtype (one_query.py)
        z = one_query_attention(q, k, v, mask, gqa, scale)  # [batch, head, 1, d_head]
    elif isinstance(mask, CausalMask) and q.shape[-2] == k.shape[-2]:
        z = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=gqa, scale=scale)
    else:
        z = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=gqa, scale=scale)
    return z.to(dtype).transpose(1, 2)  # [batch, head, pos, d_head] -> [batch, pos, head, d_head]


class Attention(FusableMixin, nn.Module):
    """Multi-head (grouped-query) attention with every intermediate exposed.

    input_ref / kv_ref name the steps q and k, v are computed from (relative to this module).
    Options from ModelConfig, each with its own hook point: clip_qkv (q/k/v clamped), qk_norm
    (q/k RMSNorm before RoPE), attn_scale (the multiplier of q·kᵀ), attn_softcap (scores
    soft-capped before the mask); `window` (a sliding-window layer) shows in the mask.
    """

    # Recording a matrix computes it beside the fused kernel (the output keeps the fused bits). A
    # subclass whose fused kernel takes extra score terms (DeBERTa) records through the textbook path.
    side_records = True
    # engine.recompute sets this to some query heads: the matrices recorded on the side are then
    # computed for those heads only (a view shows one head; the output never depends on them).
    record_heads: tuple[int, ...] | None = None

    def __init__(
        self,
        cfg: ModelConfig,
        input_ref: str,
        kv_ref: str | None = None,
        causal: bool = True,
        rotary: Rotary | None = None,
        window: int | None = None,
        layer: int = 0,
    ):
        super().__init__()
        d, h, kvh, dh = cfg.d_model, cfg.n_heads, cfg.n_kv_heads, cfg.d_head
        self.divisor, self.sdpa_scale, scale_what = attention_divisor(cfg, layer)
        self.upcast = cfg.attn_upcast
        self.n_heads, self.n_kv_heads, self.d_head = h, kvh, dh
        self.causal = causal
        self.cross = kv_ref is not None
        self.rotary = rotary is not None
        self.window = window if not self.cross else None  # bidirectional windows: cfg.bidirectional_window
        self.clip = cfg.clip_qkv
        self.softcap = None if self.cross else cfg.attn_softcap
        self.pos_bias = cfg.rel_pos_buckets > 0 and not self.cross  # T5: a bias added to the scores
        self.W_Q = Linear(d, h * dh, bias=cfg.attn_bias)
        self.W_K = Linear(d, kvh * dh, bias=cfg.attn_bias)
        self.W_V = Linear(d, kvh * dh, bias=cfg.attn_bias)
        self.W_O = Linear(h * dh, d, bias=cfg.attn_out_bias)
        self.q_norm = QKNorm(cfg, h) if cfg.qk_norm and not self.cross else None
        self.k_norm = QKNorm(cfg, kvh) if cfg.qk_norm and not self.cross else None
        kv_ref = kv_ref or input_ref
        QKV = ("batch", "pos", "head", "d_head")
        PAT = ("batch", "head", "query_pos", "key_pos")
        src = " (decoder queries × encoder keys)" if self.cross else ""
        self.hook_q = HookPoint("q = x·W_Q + b_Q, split into heads", QKV, [input_ref])
        self.hook_k = HookPoint(
            f"k = {'encoder output' if self.cross else 'x'}·W_K + b_K (new positions)", QKV, [kv_ref]
        )
        self.hook_v = HookPoint(
            f"v = {'encoder output' if self.cross else 'x'}·W_V + b_V (new positions)", QKV, [kv_ref]
        )
        qn, kn, vn = "hook_q", "hook_k", "hook_v"
        if self.clip is not None:
            c = f"{self.clip:.4g}"
            self.hook_q_clipped = HookPoint(f"q clamped to [−{c}, {c}] (clip_qkv)", QKV, [qn])
            self.hook_k_clipped = HookPoint(f"k clamped to [−{c}, {c}] (clip_qkv)", QKV, [kn])
            self.hook_v_clipped = HookPoint(f"v clamped to [−{c}, {c}] (clip_qkv)", QKV, [vn])
            qn, kn, vn = "hook_q_clipped", "hook_k_clipped", "hook_v_clipped"
        if self.q_norm is not None:
            over = "all heads' q together" if self.q_norm.whole else "each head's q"
            formula = NORM_KINDS[cfg.norm].formula.split(": ", 1)[-1]
            self.hook_q_normed = HookPoint(f"q normalised, RMSNorm over {over}: {formula}", QKV, [qn])
            over = over.replace("q", "k")
            self.hook_k_normed = HookPoint(f"k normalised, RMSNorm over {over}: {formula}", QKV, [kn])
            qn, kn = "hook_q_normed", "hook_k_normed"
        if rotary is not None:
            how = rotary.describe()
            self.hook_rot_q = HookPoint(f"q rotated by RoPE: {how}", QKV, [qn])
            self.hook_rot_k = HookPoint(f"k rotated by RoPE: {how}", QKV, [kn])
            qn, kn = "hook_rot_q", "hook_rot_k"
        f32 = " (in float32)" if self.upcast else ""
        self.hook_attn_scores = HookPoint(f"scores = q·kᵀ{src}{f32}", PAT, [qn, kn])
        self.hook_attn_scaled = HookPoint(
            scaling_description(cfg, self.divisor, scale_what), PAT, ["hook_attn_scores"]
        )
        last = "hook_attn_scaled"
        if self.pos_bias:  # the stack computes it once per forward; every layer adds it
            self.hook_pos_bias = HookPoint(  # [1, head, query_pos, key_pos]
                describe_bias(cfg.rel_pos_buckets, cfg.rel_pos_max_distance, not causal), PAT)
            self.hook_attn_biased = HookPoint(
                "biased = scaled + relative position bias (of this head's query-key offsets)", PAT,
                [last, "hook_pos_bias"])
            last = "hook_attn_biased"
        if self.softcap is not None:
            c = f"{self.softcap:.4g}"
            self.hook_attn_capped = HookPoint(
                f"soft-capped = tanh(scaled / {c}) · {c}: scores squashed into (−{c}, {c})", PAT, [last]
            )
            last = "hook_attn_capped"
        if causal and self.window is not None:
            mask_what = (f"future positions (causal), keys {self.window} or more positions back "
                         f"(sliding window of {self.window}) and padding")
        elif self.window is not None:
            mask_what = (f"keys {self.window} or more positions away on either side "
                         f"(bidirectional sliding window, |i − j| < {self.window}) and padding")
        else:
            mask_what = "future positions (causal) and padding" if causal else "padding positions"
        self.hook_attn_masked = HookPoint(f"mask: {mask_what} set to −∞", PAT, [last])
        self.hook_pattern = HookPoint("pattern = softmax(masked) over keys", PAT, ["hook_attn_masked"])
        self.hook_z = HookPoint("z = pattern·v: weighted sum of values", QKV, ["hook_pattern", vn])
        self.hook_result = HookPoint(
            "per-head result = z_h·W_O[h] (the heads' shares of the output)",
            ("batch", "pos", "head", "d_model"),
            ["hook_z"],
        )
        self._explicit_hooks = (
            self.hook_attn_scores,
            self.hook_attn_scaled,
            self.hook_attn_masked,
            self.hook_pattern,
            self.hook_z,
        ) + ((self.hook_attn_capped,) if self.softcap is not None else ()) + (
            (self.hook_pos_bias, self.hook_attn_biased) if self.pos_bias else ())

    @property
    def softmax_scale(self) -> float:
        """The multiplier of q·kᵀ."""
        return 1 / self.divisor

    def kv_head_of_head(self) -> list[int]:
        rep = self.n_heads // self.n_kv_heads
        return [h // rep for h in range(self.n_heads)]

    def _fuse_groups(self) -> list[list[nn.Linear]]:
        return [] if self.cross else [[self.W_Q, self.W_K, self.W_V]]

    def _project_fused(self, x: torch.Tensor):
        """One matmul for q, k and v (self-attention after fuse())."""
        h, kvh, dh = self.n_heads, self.n_kv_heads, self.d_head
        b, p, _ = x.shape
        w, bias = self.fused_weights[0]
        qkv = linear(x, w, bias)  # [batch, pos, (head + 2*kv_head)*d_head]
        q, k, v = qkv.split([h * dh, kvh * dh, kvh * dh], dim=-1)
        # each [batch, pos, n*d_head] -> [batch, pos, n, d_head]
        return q.view(b, p, h, dh), k.view(b, p, kvh, dh), v.view(b, p, kvh, dh)

    def _project(self, lin: nn.Linear, x: torch.Tensor, n: int) -> torch.Tensor:
        b, p, _ = x.shape
        return lin(x).view(b, p, n, self.d_head)  # [batch, pos, head, d_head]

    # The steps between the projections and the scores; the fast decode step calls these too
    # (their hook points are inactive there), so both paths run the same operations.
    def prepare_q(self, q: torch.Tensor, rope) -> torch.Tensor:
        """q [batch, pos, head, d_head] after hook_q -> clipped, normalised, rotated."""
        if self.clip is not None:
            q = self.hook_q_clipped(q.clamp(-self.clip, self.clip))
        if self.q_norm is not None:
            q = self.hook_q_normed(self.q_norm.apply(q))
        if self.rotary:
            q = self.hook_rot_q(rotate(q, rope))
        return q

    def prepare_kv(self, k: torch.Tensor, v: torch.Tensor, rope) -> tuple[torch.Tensor, torch.Tensor]:
        """k, v [batch, pos, kv_head, d_head] after hook_k / hook_v -> what the cache stores."""
        if self.clip is not None:
            k = self.hook_k_clipped(k.clamp(-self.clip, self.clip))
            v = self.hook_v_clipped(v.clamp(-self.clip, self.clip))
        if self.k_norm is not None:
            k = self.hook_k_normed(self.k_norm.apply(k))
        if self.rotary:
            k = self.hook_rot_k(rotate(k, rope))
        return k, v

    def attend(self, qh: torch.Tensor, k_all: torch.Tensor, v_all: torch.Tensor, mask,
               pos_bias: torch.Tensor | None = None) -> torch.Tensor:
        """qh [batch, head, q_pos, d_head], k/v [batch, kv_head, k_pos, d_head] -> z [batch, q_pos, head, d_head].

        The fused kernel unless an intervention may replace a matrix or a soft-cap sits inside
        the softmax. Matrices that are only recorded are computed on the side from the same q, k
        and the mask, so recording never changes z (nor any later bit): a capture, a cheap pass
        and a layer recomputed from its stored input all carry the same residual stream.
        pos_bias: T5's relative position bias [1, head, q_pos, k_pos], added to the scores; the
        fused kernel takes it as an additive mask (with_bias, as the fast decode step does)."""
        matrices = [hp for hp in self._explicit_hooks if hp is not self.hook_z]
        explicit = not self.side_records and any(hp.fns for hp in self._explicit_hooks)
        if explicit or self.softcap is not None or any(hp.intervenes for hp in matrices):
            return self.explicit_attention(qh, k_all, v_all, mask, pos_bias)
        if any(hp.fns for hp in matrices):  # first, so a recomputation may stop at the pattern
            self.explicit_attention(qh, k_all, v_all, mask, pos_bias, side=True)
        if pos_bias is not None:
            mask = with_bias(mask, pos_bias)
        z = sdpa(qh, k_all, v_all, mask, self.n_kv_heads != self.n_heads, self.sdpa_scale, self.upcast)
        return self.hook_z(z) if self.hook_z.fns else z

    def forward(
        self,
        x: torch.Tensor,
        kv_x: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
        rope: RopeTables | None = None,
        cache: LayerKV | None = None,
    ) -> torch.Tensor:
        """x: [batch, pos, d_model]; mask: bool [batch, 1, query_pos, key_pos], True = may attend.
        T5 (no rotary) gets its relative position bias [1, head, query_pos, key_pos] in the `rope`
        slot, as DeBERTa gets its relative table (the stack builds it once per forward).

        Returns the attention output [batch, pos, d_model] (the block records it as hook_attn_out).
        """
        h, kvh, dh = self.n_heads, self.n_kv_heads, self.d_head
        pos_bias = None
        if self.pos_bias:
            pos_bias, rope = rope, None
        if self.fused_weights:
            q, k_new, v_new = self._project_fused(x)
            q = self.hook_q(q)
        else:
            q = self.hook_q(self._project(self.W_Q, x, h))
        q = self.prepare_q(q, rope)
        if cache is not None and cache.static:
            k_all, v_all = cache.view()  # [batch, kv_head, key_pos, d_head]
        else:
            if self.fused_weights:
                k, v = self.hook_k(k_new), self.hook_v(v_new)
            else:
                src = x if kv_x is None else kv_x
                k = self.hook_k(self._project(self.W_K, src, kvh))
                v = self.hook_v(self._project(self.W_V, src, kvh))
            k, v = self.prepare_kv(k, v, rope)
            k_all, v_all = k.transpose(1, 2), v.transpose(1, 2)  # [batch, kv_head, pos, d_head]
            if cache is not None:
                if self.cross:
                    cache.set_static(k_all, v_all)
                else:
                    k_all, v_all = cache.append(k_all, v_all)
        qh = q.transpose(1, 2)  # [batch, head, query_pos, d_head]
        z = self.attend(qh, k_all, v_all, mask, pos_bias)
        if self.hook_result.fns:
            w = self.W_O.weight.view(-1, h, dh)  # [d_model, head, d_head]
            result = torch.einsum("bphd,mhd->bphm", z, w)  # [batch, pos, head, d_model]
            if self.hook_result.intervenes:  # a head's share may be replaced: the output sums them
                out = self.hook_result(result).sum(dim=2)
                if self.W_O.bias is not None:
                    out = out + self.W_O.bias
                return out
            self.hook_result(result)  # recorded on the side; the output below is the usual one
        b, p = z.shape[:2]
        o = self.W_O
        return linear(z.reshape(b, p, h * dh), o.weight, o.bias)  # [batch, pos, head*d_head] -> [.., d_model]

    def scale_scores(self, scores: torch.Tensor, q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
        """scores [batch, head, query_pos, key_pos] -> scaled; a subclass adds its own score terms
        (DeBERTa's c2p / p2c, engine/models/disentangled.py) from q and k [batch, head, pos, d_head]."""
        return scores / self.divisor

    def explicit_attention(self, q, k, v, mask, pos_bias=None, side: bool = False):
        """The textbook path: every matrix materialised and passed through its hook.

        pos_bias: a bias added to the scaled scores (T5's relative positions), its own step.
        side: only the matrices are wanted (recorded beside the fused kernel's z): stop at the pattern;
        the masked matrix is filled in place unless the matrix before it is recorded (same values, no new memory)."""
        rep = self.n_heads // self.n_kv_heads
        if rep > 1:
            k = k.repeat_interleave(rep, dim=1)  # [batch, head, key_pos, d_head]
            v = v.repeat_interleave(rep, dim=1)
        if side and self.record_heads is not None:  # some heads' matrices only (the same ops per head)
            sel = list(self.record_heads)
            q, k, v = q[:, sel], k[:, sel], v[:, sel]  # [batch, len(sel), pos, d_head]
            pos_bias = pos_bias[:, sel] if pos_bias is not None else None  # [1, len(sel), q_pos, k_pos]
        if self.upcast:  # GPT-2's reorder_and_upcast_attn: scores and softmax in float32
            q, k = q.float(), k.float()
        scores = self.hook_attn_scores(q @ k.transpose(-1, -2))  # [batch, head, query_pos, key_pos]
        scaled = self.hook_attn_scaled(self.scale_scores(scores, q, k))
        last = self.hook_attn_scaled  # the step whose tensor `scaled` is now
        if pos_bias is not None:
            scaled = self.hook_attn_biased(scaled + self.hook_pos_bias(pos_bias))
            last = self.hook_attn_biased
        if self.softcap is not None:
            scaled = self.hook_attn_capped(soft_cap(scaled, self.softcap))
            last = self.hook_attn_capped
        if mask is not None:
            reuse = side and not last.fns  # in place only when nobody keeps the matrix before the mask
            scaled = scaled.masked_fill_(~mask, float("-inf")) if reuse else scaled.masked_fill(~mask, float("-inf"))
        masked = self.hook_attn_masked(scaled)
        pattern = self.hook_pattern(torch.softmax(masked.float(), dim=-1).to(v.dtype))
        if mask is not None and not bool(mask.any(-1).all()):
            pattern = torch.nan_to_num(pattern)  # a fully masked (padding) row attends nowhere
        if side:
            return None
        z = pattern @ v  # [batch, head, query_pos, d_head]
        return self.hook_z(z.transpose(1, 2))  # [batch, query_pos, head, d_head]


class MLP(FusableMixin, nn.Module):
    """Position-wise feed-forward network: the same weights at every position."""

    def __init__(self, cfg: ModelConfig, input_ref: str):
        super().__init__()
        d, m = cfg.d_model, cfg.d_mlp
        self.act_name = cfg.activation
        self.act = ACTIVATIONS[cfg.activation]
        self.gated = cfg.gated_mlp
        H = ("batch", "pos", "d_mlp")
        if self.gated:
            self.W_gate = Linear(d, m, bias=cfg.mlp_bias)
            self.W_in = Linear(d, m, bias=cfg.mlp_bias)
            self.hook_pre = HookPoint("gate = x·W_gate", H, [input_ref])
            self.hook_pre_linear = HookPoint("up = x·W_in (the gated FFN's up projection)", H, [input_ref])
            self.hook_post = HookPoint(
                f"{self.act_name}(gate) ⊙ up", H, ["hook_pre", "hook_pre_linear"]
            )
        else:
            self.W_in = Linear(d, m, bias=cfg.mlp_bias)
            self.hook_pre = HookPoint("pre = x·W_in + b_in", H, [input_ref])
            self.hook_post = HookPoint(f"post = {self.act_name}(pre)", H, ["hook_pre"])
        self.W_out = Linear(m, d, bias=cfg.mlp_bias)

    def _fuse_groups(self) -> list[list[nn.Linear]]:
        return [[self.W_gate, self.W_in]] if self.gated else []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.gated:
            if self.fused_weights:
                w, b = self.fused_weights[0]
                gate, up = linear(x, w, b).chunk(2, dim=-1)  # [batch, pos, 2*d_mlp] -> 2 × [.., d_mlp]
            else:
                gate, up = self.W_gate(x), self.W_in(x)
            gate = self.hook_pre(gate)
            up = self.hook_pre_linear(up)
            post = self.hook_post(self.act(gate) * up)
        else:
            post = self.hook_post(self.act(self.hook_pre(self.W_in(x))))
        out = self.W_out
        return linear(post, out.weight, out.bias)
