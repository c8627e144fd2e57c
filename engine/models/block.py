"""A Transformer layer: attention (+ cross-attention) and FFN, each wrapped in Add & Norm.

Pre-norm (GPT-2, Llama): x + f(norm(x)). Post-norm (the paper, BERT, Marian): norm(x + f(x)).
Sandwich (Gemma 2/3): x + norm_after(f(norm_before(x))). Sub-layer-post (OLMo-2):
x + norm_after(f(x)). Either way `hook_resid_mid` is what flows into the FFN sub-layer and
`hook_resid_post` is the block's output (the reference's hidden_states[L+1]). Parallel (GPT-J, GPT-NeoX, Phi,
Falcon): x + attn(norm(x)) + mlp(norm(x)), one shared norm or two; there is no resid_mid.
"""
from __future__ import annotations

import torch
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint
from .components import RESID, MLP, Attention, Norm, Rotary
from .disentangled import DisentangledAttention
from .kv_cache import LayerKV


# norm_placement -> (a norm before each sub-layer, a norm of each sub-layer's output), both inside
# the residual branch; "post" (norm after the Add, BERT / Marian) is built by _build_post.
PLACEMENTS = {"pre": (True, False), "sandwich": (True, True), "sublayer_post": (False, True)}
# cfg.attention -> the self-attention module of a block
ATTENTIONS = {"standard": Attention, "disentangled": DisentangledAttention}


def layout_of(cfg: ModelConfig) -> str:
    """Which wiring a block of this config has: "pre", "post" or "parallel" (see LAYOUTS)."""
    return "parallel" if cfg.parallel_block else "post" if cfg.norm_placement == "post" else "pre"


class Block(nn.Module):
    def __init__(
        self,
        cfg: ModelConfig,
        causal: bool,
        rotary: Rotary | None = None,
        cross_kv_ref: str | None = None,
        window: int | None = None,
        layer: int = 0,
    ):
        super().__init__()
        self.layout = layout_of(cfg)
        self.pre_norm = self.layout != "post"
        self.layer = layer
        self.has_cross = cross_kv_ref is not None
        self.window = window
        self.hook_resid_pre = HookPoint("residual stream entering the layer", RESID)
        LAYOUTS[self.layout][0](self, cfg, causal, rotary, cross_kv_ref)
        self.hook_mlp_out = HookPoint("FFN output = post·W_out + b_out", RESID, ["mlp.hook_post"])

    # --- construction ----------------------------------------------------------------
    def _attn_out_hook(self, prefix: str, what: str) -> HookPoint:
        return HookPoint(f"{what} output = concat(z)·W_O + b_O", RESID, [f"{prefix}.hook_z"])

    def _build_pre(self, cfg, causal, rotary, cross_kv_ref):
        before, after = PLACEMENTS[cfg.norm_placement]
        attn_norm = before and (cfg.first_attn_norm or self.layer > 0)  # ModernBERT: none in layer 0
        self.ln1 = Norm(cfg, "../hook_resid_pre", what="before attention: " * after) if attn_norm else None
        attn_in = "../ln1.hook_normalized" if attn_norm else "../hook_resid_pre"
        self.attn = ATTENTIONS[cfg.attention](cfg, attn_in, causal=causal, rotary=rotary, window=self.window,
                                              layer=self.layer)
        self.hook_attn_out = self._attn_out_hook("attn", "attention")
        self.ln1_post = Norm(cfg, "../hook_attn_out", what="after attention: ") if after else None
        added = "ln1_post.hook_normalized" if after else "hook_attn_out"
        self.hook_resid_mid = HookPoint(
            f"Add: resid_mid = resid_pre + {'norm(attn_out)' if after else 'attn_out'}",
            RESID,
            ["hook_resid_pre", added],
        )
        after_attn = "hook_resid_mid"
        if cross_kv_ref:
            self.ln_cross = Norm(cfg, "../hook_resid_mid")
            self.cross_attn = Attention(cfg, "../ln_cross.hook_normalized", kv_ref=cross_kv_ref, causal=False)
            self.hook_cross_attn_out = self._attn_out_hook("cross_attn", "cross-attention")
            self.hook_resid_mid_cross = HookPoint(
                "Add: resid_mid_cross = resid_mid + cross_attn_out",
                RESID,
                ["hook_resid_mid", "hook_cross_attn_out"],
            )
            after_attn = "hook_resid_mid_cross"
        self.ln2 = Norm(cfg, f"../{after_attn}", what="before the FFN: " * after) if before else None
        self.mlp = MLP(cfg, "../ln2.hook_normalized" if before else f"../{after_attn}")
        self.ln2_post = Norm(cfg, "../hook_mlp_out", what="after the FFN: ") if after else None
        added = "ln2_post.hook_normalized" if after else "hook_mlp_out"
        self.hook_resid_post = HookPoint(
            f"Add: resid_post = resid_mid + {'norm(mlp_out)' if after else 'mlp_out'}",
            RESID,
            [after_attn, added],
        )

    def _build_post(self, cfg, causal, rotary, cross_kv_ref):
        self.attn = ATTENTIONS[cfg.attention](cfg, "../hook_resid_pre", causal=causal, rotary=rotary,
                                              window=self.window, layer=self.layer)
        self.hook_attn_out = self._attn_out_hook("attn", "attention")
        self.hook_attn_add = HookPoint(
            "Add: resid_pre + attn_out", RESID, ["hook_resid_pre", "hook_attn_out"]
        )
        self.ln1 = Norm(cfg, "../hook_attn_add")
        self.hook_resid_mid = HookPoint("Norm: resid_mid = LayerNorm(resid_pre + attn_out)", RESID, ["ln1.hook_normalized"])
        after_attn = "hook_resid_mid"
        if cross_kv_ref:
            self.cross_attn = Attention(cfg, "../hook_resid_mid", kv_ref=cross_kv_ref, causal=False)
            self.hook_cross_attn_out = self._attn_out_hook("cross_attn", "cross-attention")
            self.hook_cross_attn_add = HookPoint(
                "Add: resid_mid + cross_attn_out", RESID, ["hook_resid_mid", "hook_cross_attn_out"]
            )
            self.ln_cross = Norm(cfg, "../hook_cross_attn_add")
            self.hook_resid_mid_cross = HookPoint(
                "Norm: LayerNorm(resid_mid + cross_attn_out)", RESID, ["ln_cross.hook_normalized"]
            )
            after_attn = "hook_resid_mid_cross"
        self.mlp = MLP(cfg, f"../{after_attn}")
        self.hook_mlp_add = HookPoint("Add: resid_mid + mlp_out", RESID, [after_attn, "hook_mlp_out"])
        self.ln2 = Norm(cfg, "../hook_mlp_add")
        self.hook_resid_post = HookPoint("Norm: resid_post = LayerNorm(resid_mid + mlp_out)", RESID, ["ln2.hook_normalized"])

    def _build_parallel(self, cfg, causal, rotary, cross_kv_ref):
        """Attention and MLP both read resid_pre (through one shared norm, or ln1 / ln2)."""
        if cross_kv_ref:
            raise ValueError("a parallel block has no cross-attention")
        self.ln1 = Norm(cfg, "../hook_resid_pre")
        self.attn = Attention(cfg, "../ln1.hook_normalized", causal=causal, rotary=rotary, layer=self.layer)
        self.hook_attn_out = self._attn_out_hook("attn", "attention")
        self.shared_norm = cfg.parallel_norms == 1
        if self.shared_norm:
            self.mlp = MLP(cfg, "../ln1.hook_normalized")
        else:
            self.ln2 = Norm(cfg, "../hook_resid_pre")
            self.mlp = MLP(cfg, "../ln2.hook_normalized")
        self.hook_resid_post = HookPoint(
            "Add (parallel): resid_post = resid_pre + attn_out + mlp_out",
            RESID,
            ["hook_resid_pre", "hook_attn_out", "hook_mlp_out"],
        )

    # --- forward -----------------------------------------------------------------------
    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None = None,
        rope: "RopeTables | None" = None,
        cache: LayerKV | None = None,
        enc_out: torch.Tensor | None = None,
        enc_mask: torch.Tensor | None = None,
        cross_cache: LayerKV | None = None,
    ) -> torch.Tensor:
        """x: [batch, pos, d_model] -> [batch, pos, d_model]."""
        x = self.hook_resid_pre(x)
        return LAYOUTS[self.layout][1](self, x, mask, rope, cache, enc_out, enc_mask, cross_cache)

    def _forward_pre(self, x, mask, rope, cache, enc_out, enc_mask, cross_cache):
        h = self.ln1(x) if self.ln1 is not None else x
        a = self.hook_attn_out(self.attn(h, mask=mask, rope=rope, cache=cache))
        if self.ln1_post is not None:
            a = self.ln1_post(a)
        x = self.hook_resid_mid(x + a)
        if self.has_cross:
            c = self.cross_attn(self.ln_cross(x), kv_x=enc_out, mask=enc_mask, cache=cross_cache)
            x = self.hook_resid_mid_cross(x + self.hook_cross_attn_out(c))
        m = self.hook_mlp_out(self.mlp(self.ln2(x) if self.ln2 is not None else x))
        if self.ln2_post is not None:
            m = self.ln2_post(m)
        return self.hook_resid_post(x + m)

    def _forward_post(self, x, mask, rope, cache, enc_out, enc_mask, cross_cache):
        a = self.hook_attn_out(self.attn(x, mask=mask, rope=rope, cache=cache))
        x = self.hook_resid_mid(self.ln1(self.hook_attn_add(x + a)))
        if self.has_cross:
            c = self.hook_cross_attn_out(
                self.cross_attn(x, kv_x=enc_out, mask=enc_mask, cache=cross_cache)
            )
            x = self.hook_resid_mid_cross(self.ln_cross(self.hook_cross_attn_add(x + c)))
        m = self.hook_mlp_out(self.mlp(x))
        return self.hook_resid_post(self.ln2(self.hook_mlp_add(x + m)))

    def _forward_parallel(self, x, mask, rope, cache, enc_out, enc_mask, cross_cache):
        h = self.ln1(x)
        a = self.hook_attn_out(self.attn(h, mask=mask, rope=rope, cache=cache))
        m = self.hook_mlp_out(self.mlp(h if self.shared_norm else self.ln2(x)))
        return self.hook_resid_post(x + a + m)


# layout -> (builder, forward); Block.__init__ picks one by layout_of(cfg)
LAYOUTS = {
    "pre": (Block._build_pre, Block._forward_pre),
    "post": (Block._build_post, Block._forward_post),
    "parallel": (Block._build_parallel, Block._forward_parallel),
}
