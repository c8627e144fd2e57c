"""StableLmForCausalLM (StableLM-2, StableLM-3B-4E1T): Llama-like SwiGLU and grouped-query
attention, but LayerNorm, partial rotary, optional q/k/v biases (use_qkv_bias) and an optional
parallel residual with one norm (use_parallel_residual). The per-head q/k LayerNorms
(qk_layernorm) are refused by name."""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from .common import decoder_shape
from ..registry import register, strip_prefix, take
from .rope_default import plain_rope_theta, rotary_dim_of
from .llama import LAYER_MATRICES

ARCH = "StableLmForCausalLM"


@register(ARCH)
class StableLm:
    USED = {"vocab_size", "intermediate_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
            "num_key_value_heads", "hidden_act", "max_position_embeddings", "layer_norm_eps",
            "tie_word_embeddings", "rope_parameters", "rope_theta", "rope_scaling", "partial_rotary_factor",
            "use_qkv_bias", "use_parallel_residual"}
    REFUSED = {"qk_layernorm": ((False, None), "the per-head LayerNorms on q and k are not implemented")}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        d, h = hf["hidden_size"], hf["num_attention_heads"]
        act = hf.get("hidden_act", "silu")
        if act not in ("silu", "swish"):
            raise UnsupportedArchitecture(f"{ARCH} with hidden_act={act!r} is not supported (only silu)")
        parallel = bool(hf.get("use_parallel_residual", False))
        return ModelConfig(
            **decoder_shape(hf, ARCH, n_ctx=4096),
            positional="rope",
            rope_theta=plain_rope_theta(hf, ARCH),
            rotary_dim=rotary_dim_of(hf, d // h, 0.25, ARCH),
            norm="layernorm",
            norm_eps=hf.get("layer_norm_eps", 1e-5),
            activation="silu",
            gated_mlp=True,
            attn_bias=bool(hf.get("use_qkv_bias", False)),
            attn_out_bias=False,
            mlp_bias=False,
            tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
            parallel_block=parallel,
            parallel_norms=1,
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("model.",))  # lm_head.weight keeps its name
        sd = {"embed.W_E": take(t, "embed_tokens.weight"),
              "ln_final.w": take(t, "norm.weight"), "ln_final.b": take(t, "norm.bias")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        norms = {"ln1": "input_layernorm"} if cfg.parallel_block else {
            "ln1": "input_layernorm", "ln2": "post_attention_layernorm"}
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for ours, theirs in LAYER_MATRICES.items():  # Llama's names: q/k/v/o_proj, gate/up/down_proj
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                if cfg.attn_bias and ours in ("attn.W_Q", "attn.W_K", "attn.W_V"):
                    sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            for ours, theirs in norms.items():
                sd[o + ours + ".w"] = take(t, p + theirs + ".weight")
                sd[o + ours + ".b"] = take(t, p + theirs + ".bias")
        return sd
