"""Stack: embeddings + positions + N blocks + optional final norm.

Used as the whole body of decoder-only and encoder-only models, and twice (encoder,
decoder) in encoder-decoder models, so hook names come out as `blocks.0...` or
`encoder.blocks.0...` / `decoder.blocks.0...` without any hand-written names.
"""
from __future__ import annotations

from dataclasses import replace

import torch
from torch import nn
from torch.nn.modules.module import _global_forward_hooks, _global_forward_pre_hooks  # dicts, mutated in place

from ..config import ModelConfig
from ..hooks import HookPoint
from .block import Block
from .components import RESID, CausalMask, Embed, FairseqSinusoidalPosEmbed, LearnedPosEmbed, Norm, Rotary, SinusoidalPosEmbed
from .disentangled import ConvLayer, RelativeEmbedding
from .fusion import GENERATION
from .kv_cache import KVCache
from .relative_bias import RelativePositionBias, with_bias

POSITIONAL = {"learned": LearnedPosEmbed, "sinusoidal": SinusoidalPosEmbed,
              "sinusoidal_fairseq": FairseqSinusoidalPosEmbed}
# cfg.attention -> a table every layer's attention reads (handed over in the RoPE slot), built once per forward
RELATIVE = {"disentangled": RelativeEmbedding}


def build_mask(
    q_len: int,
    k_len: int,
    causal: bool,
    key_padding: torch.Tensor | None,
    device: torch.device,
    window: int | None = None,
) -> torch.Tensor | None:
    """Boolean mask [batch|1, 1, q_len, k_len], True = may attend; None when all may attend.

    A sliding window (causal only) keeps keys j of query i with i − j < window, as transformers
    does; a cached decode step (q_len 1) then masks the keys older than the window. Without
    `causal`, a window keeps keys with |i − j| < window on both sides (ModernBERT's local layers)."""
    mask = None
    if not causal and window is not None and k_len > 1:
        q_idx = torch.arange(q_len, device=device)[:, None] + k_len - q_len
        k_idx = torch.arange(k_len, device=device)[None, :]
        mask = ((q_idx - k_idx).abs() < window)[None, None]  # [1, 1, q, k]
    if causal and (q_len > 1 or (window is not None and k_len > window)):
        past = k_len - q_len
        q_idx = torch.arange(q_len, device=device)[:, None] + past
        k_idx = torch.arange(k_len, device=device)[None, :]
        allowed = k_idx <= q_idx  # [q, k]
        if window is not None:
            allowed = allowed & (q_idx - k_idx < window)
        mask = allowed[None, None]  # [1, 1, q, k]
        if past == 0 and (window is None or k_len <= window):
            mask = mask.as_subclass(CausalMask)  # exactly the triangle: SDPA may skip it (is_causal)
    if key_padding is not None and not bool(key_padding.all()):
        pad = key_padding.bool()[:, None, None, :]  # [batch, 1, 1, k]
        mask = pad if mask is None else (mask & pad)
    return mask


class Stack(nn.Module):
    def __init__(self, cfg: ModelConfig, n_layers: int, causal: bool, cross_kv_ref: str | None = None):
        super().__init__()
        self.cfg = cfg
        self.causal = causal
        self.embed = Embed(cfg)
        projected = cfg.d_embed != cfg.d_model or cfg.embed_factorised
        # ALBERT / ELECTRA (embed_factorised): every embedding and their LayerNorm at d_embed, then
        # project_in (with a bias); OPT-350m: project_in right after the token embedding, no bias
        self.factorised = cfg.embed_factorised
        embed_axes = ("batch", "pos", "d_embed") if projected else RESID
        self.hook_embed = HookPoint(self.embed.describe(), embed_axes)  # [batch, pos, d_embed]
        self.project_in = nn.Linear(cfg.d_embed, cfg.d_model, bias=self.factorised) if projected else None
        if projected:  # embeddings narrower than the residual stream
            src = "ln_embed.hook_normalized" if self.factorised and cfg.embed_norm else "hook_embed"
            what = "the normalised embedding sum" if self.factorised else "embedding"
            self.hook_project_in = HookPoint(
                f"project_in: {what} (d_embed = {cfg.d_embed}) · W_inᵀ{' + b' * self.factorised}"
                f" -> d_model = {cfg.d_model}", RESID, [src])
        pos_cls = POSITIONAL.get(cfg.positional)
        self.pos_embed = pos_cls(cfg) if pos_cls else None
        if self.pos_embed is not None:
            # [pos, d_model], or [batch, pos, d_model] when positions depend on the ids (RoBERTa, fairseq)
            self.hook_pos_embed = HookPoint(self.pos_embed.describe(), self.pos_embed.axes)
        segment_axes = embed_axes if self.factorised else RESID
        if cfg.token_types:
            self.token_type_embed = nn.Embedding(cfg.token_types, cfg.d_embed if self.factorised else cfg.d_model)
            self.hook_token_type_embed = HookPoint("segment (token type) embedding", segment_axes)
        self.rotary = Rotary(cfg) if cfg.positional == "rope" else None
        # T5: one relative-position table per stack (bidirectional in the encoder, causal in the decoder)
        self.rel_bias = RelativePositionBias(cfg, bidirectional=not causal) if cfg.rel_pos_buckets else None
        # sliding-window layers may have their own RoPE base (Gemma 3's rope_local_base_freq)
        local = cfg.rope_local_theta is not None and self.rotary is not None
        # (plain RoPE there: Gemma 3 scales only its global layers' frequencies)
        plain = dict(rope_theta=cfg.rope_local_theta, rope_type="default", rope_params={})
        self.rotary_local = Rotary(replace(cfg, **plain)) if local else None
        windowed = causal or cfg.bidirectional_window  # an encoder's windows: ModernBERT's local layers
        sliding = [windowed and cfg.layer_type(i) == "sliding_attention" for i in range(n_layers)]
        self.windows = [cfg.sliding_window if s else None for s in sliding]  # per layer
        if cfg.embed_norm:
            sources = ["hook_embed"] + (["hook_pos_embed"] if self.pos_embed is not None else [])
            sources += ["hook_token_type_embed"] if cfg.token_types else []
            self.hook_embed_sum = HookPoint("sum of the embeddings", segment_axes, sources)
            self.ln_embed = Norm(cfg, "../hook_embed_sum", dim=cfg.d_embed if self.factorised else None)
        self.local_rope = [s and local for s in sliding]  # per layer: uses rotary_local
        rel_cls = RELATIVE.get(cfg.attention) if cfg.rel_attention else None
        self.rel_embed = rel_cls(cfg) if rel_cls else None
        nope = set(cfg.nope_layers)  # layers whose attention rotates nothing (SmolLM3's NoPE layers)
        self.blocks = nn.ModuleList(
            Block(cfg, causal=causal, cross_kv_ref=cross_kv_ref, window=self.windows[i], layer=i,
                  rotary=None if i in nope else self.rotary_local if self.local_rope[i] else self.rotary)
            for i in range(n_layers)
        )
        embedded = "../ln_embed.hook_normalized" if cfg.embed_norm else "../hook_embed"
        self.conv = ConvLayer(cfg, embedded, "../blocks.0.hook_resid_post") if cfg.conv_kernel else None
        last = f"../blocks.{n_layers - 1}.hook_resid_post"
        self.ln_final = Norm(cfg, last) if cfg.final_norm else None
        # (a factorised model's MLM head maps back to d_embed itself)
        self.project_out = nn.Linear(cfg.d_model, cfg.d_embed, bias=False) if projected and not self.factorised else None
        if self.project_out is not None:
            src = "ln_final.hook_normalized" if cfg.final_norm else last.removeprefix("../")
            self.hook_project_out = HookPoint(
                f"project_out: final hidden state · W_outᵀ -> d_embed = {cfg.d_embed} (the unembedding's width)",
                embed_axes, [src])

    def link_inputs(self, prefix: str) -> None:
        """After naming: say where each block's resid_pre comes from."""
        if self.factorised:
            first = (f"{prefix}hook_project_in",)
        elif self.cfg.embed_norm:
            first = (f"{prefix}ln_embed.hook_normalized",)
        else:
            first = (f"{prefix}hook_project_in" if self.project_in is not None else f"{prefix}hook_embed",)
            if self.pos_embed is not None:
                first += (f"{prefix}hook_pos_embed",)
        for i, blk in enumerate(self.blocks):
            blk.hook_resid_pre.inputs = first if i == 0 else (f"{prefix}blocks.{i - 1}.hook_resid_post",)
            if i == 1 and self.conv is not None:  # DeBERTa-v2's ConvLayer sits between layers 0 and 1
                blk.hook_resid_pre.inputs = (f"{prefix}conv.ln.hook_normalized",)
            blk.hook_resid_pre.description = (
                "residual stream entering layer 0 = token embedding + position"
                if i == 0 and not self.cfg.embed_norm and self.pos_embed is not None
                else blk.hook_resid_pre.description
            )

    def forward(
        self,
        ids: torch.Tensor,
        *,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        cache: KVCache | None = None,
        enc_out: torch.Tensor | None = None,
        enc_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """ids: [batch, pos] -> hidden [batch, pos, d_model]."""
        b, p = ids.shape
        past = cache.length if cache is not None else 0
        positions = torch.arange(past, past + p, device=ids.device)
        if past + p > self.cfg.n_ctx:
            raise ValueError(
                f"sequence of {past + p} tokens is longer than the context window ({self.cfg.n_ctx})"
            )
        x = self.hook_embed(self.embed(ids))
        if self.project_in is not None and not self.factorised:
            x = self.hook_project_in(self.project_in(x))  # [batch, pos, d_embed] -> [batch, pos, d_model]
        if self.pos_embed is not None:
            x = x + self.hook_pos_embed(self.pos_embed(positions, ids))
        if self.cfg.token_types:
            tt = token_type_ids if token_type_ids is not None else torch.zeros_like(ids)
            x = x + self.hook_token_type_embed(self.token_type_embed(tt))
        if self.cfg.embed_norm:
            x = self.ln_embed(self.hook_embed_sum(x))
        if self.factorised:
            x = self.hook_project_in(self.project_in(x))  # [batch, pos, d_embed] -> [batch, pos, d_model]
        masks = {w: build_mask(p, past + p, self.causal, attention_mask, ids.device, w) for w in set(self.windows)}
        mask = [masks[w] for w in self.windows]  # per layer
        rope = self.rotary.tables(positions, x.dtype) if self.rotary is not None else None
        if self.rotary_local is not None:
            local = self.rotary_local.tables(positions, x.dtype)
            rope = [local if lr else rope for lr in self.local_rope]
        else:
            rope = [rope] * len(self.blocks)  # per layer
        if self.rel_embed is not None:  # DeBERTa: the relative table and distance index, shared by all layers
            rope = [self.rel_embed(past + p, ids.device)] * len(self.blocks)
        pos_bias = self.rel_bias(positions, past + p) if self.rel_bias is not None else None  # [1, head, p, past+p]
        if pos_bias is not None:  # T5 (no rotary): every layer adds the same bias, handed in the RoPE slot
            rope = [pos_bias] * len(self.blocks)
        if cache is not None and p == 1 and not self.blocks_hooked():
            if pos_bias is not None:  # the fast step's SDPA takes the bias as its additive mask
                mask = [with_bias(m, pos_bias) for m in mask]
            x = self.fast_blocks()(x, mask, rope, cache, enc_out, enc_mask)  # a decode step
        else:
            x = self._run_blocks(x, mask, rope, cache, enc_out, enc_mask, key_padding=attention_mask)
        if self.ln_final is not None:
            x = self.ln_final(x)
        if self.project_out is not None:
            x = self.hook_project_out(self.project_out(x))  # [batch, pos, d_model] -> [batch, pos, d_embed]
        return x

    def _run_blocks(self, x, mask, rope, cache, enc_out, enc_mask, key_padding=None) -> torch.Tensor:
        """Through the modules: every hook point sees its tensor. mask, rope: one per layer."""
        embedded = x
        for i, blk in enumerate(self.blocks):
            x = blk(
                x,
                mask=mask[i],
                rope=rope[i],
                cache=cache.self_attn[i] if cache is not None else None,
                enc_out=enc_out,
                enc_mask=enc_mask,
                cross_cache=cache.cross_attn[i] if cache is not None and cache.cross_attn else None,
            )
            if i == 0 and self.conv is not None:
                x = self.conv(x, embedded, key_padding)
        return x

    # --- the fast decode step (see fast_step.py) ----------------------------------------
    def blocks_hooked(self) -> bool:
        """Whether anything inside the blocks would see a step: a function on a hook point
        (capture, intervention) or a torch forward hook (someone else's instrumentation).

        Checked every decode step, so it looks at a flat list of the containers themselves
        (hook points' `fns` lists, modules' hook dicts: all filled and emptied in place)."""
        watch = self.__dict__.get("_block_hooks")
        if watch is None:
            watch = []
            for m in self.blocks.modules():
                watch += [m.fns] if isinstance(m, HookPoint) else [m._forward_hooks, m._forward_pre_hooks]
            watch += [_global_forward_hooks, _global_forward_pre_hooks]
            self.__dict__["_block_hooks"] = watch
        return any(watch)

    def fast_blocks(self):
        """The blocks as closures over their current parameters; built on first use, and again
        after the stack was moved (_apply) or any module was fused / unfused since."""
        cached = self.__dict__.get("_fast_blocks")
        if cached is None or cached[0] != GENERATION.value:
            from .fast_step import blocks_step

            cached = self.__dict__["_fast_blocks"] = (GENERATION.value, blocks_step(self.blocks))
        return cached[1]

    def __getstate__(self):
        """A copy (deepcopy, pickle) builds its own closures: these point at this stack's tensors."""
        state = self.__dict__.copy()
        state.pop("_fast_blocks", None)
        return state

    def _apply(self, fn, recurse=True):
        self.__dict__.pop("_fast_blocks", None)  # moved / re-fused tensors: build the closures again
        return super()._apply(fn, recurse)
