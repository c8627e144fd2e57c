"""GPTNeoXForCausalLM (Pythia, GPT-NeoX-20B): partial rotary, LayerNorm, parallel residual.

use_parallel_residual (the default): x + attn(ln1(x)) + mlp(ln2(x)), two LayerNorms reading
the same residual; otherwise a sequential pre-norm block. The fused query_key_value matrix holds,
per head, that head's q, then k, then v rows ([head, 3, d_head] out features), as Falcon's
plain multi-head layout, so Falcon's split serves it.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from .common import decoder_shape
from ..registry import register, strip_prefix, take
from .bert import check_activation
from .falcon import split_qkv
from .rope_default import plain_rope_theta, rotary_dim_of

ARCH = "GPTNeoXForCausalLM"
MATRICES = {"attn.W_O": "attention.dense", "mlp.W_in": "mlp.dense_h_to_4h", "mlp.W_out": "mlp.dense_4h_to_h"}
NORMS = {"ln1": "input_layernorm", "ln2": "post_attention_layernorm"}


@register(ARCH)
class GPTNeoX:
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "hidden_act", "max_position_embeddings", "layer_norm_eps", "tie_word_embeddings",
            "use_parallel_residual", "rope_parameters", "rope_theta", "rope_scaling", "rotary_pct",
            "rotary_emb_base", "partial_rotary_factor", "attention_bias"}
    IGNORED = {"is_decoder": "GPTNeoXForCausalLM is causal either way (the flag is not read by its layers)",
               "use_flash_attn": "an attention kernel choice: same numbers"}

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        d, h = hf["hidden_size"], hf["num_attention_heads"]
        bias = bool(hf.get("attention_bias", True))
        parallel = bool(hf.get("use_parallel_residual", True))
        return ModelConfig(
            **decoder_shape(hf, ARCH, n_kv_heads=h),
            positional="rope",
            rope_theta=plain_rope_theta(hf, ARCH),
            rotary_dim=rotary_dim_of(hf, d // h, 0.25, ARCH),
            norm="layernorm",
            norm_eps=hf.get("layer_norm_eps", 1e-5),
            activation=check_activation(hf.get("hidden_act", "gelu"), ARCH),
            attn_bias=bias,
            attn_out_bias=bias,
            mlp_bias=True,
            tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
            parallel_block=parallel,
            parallel_norms=2,
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("gpt_neox.",))  # embed_out.weight (the head) has no prefix
        sd = {"embed.W_E": take(t, "embed_in.weight"),
              "ln_final.w": take(t, "final_layer_norm.weight"), "ln_final.b": take(t, "final_layer_norm.bias")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "embed_out.weight" if "embed_out.weight" in t else "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for kind in ("weight", "bias") if cfg.attn_bias else ("weight",):
                qkv = split_qkv(take(t, p + "attention.query_key_value." + kind), cfg)  # per head: q, k, v
                for name, part in zip(("W_Q", "W_K", "W_V"), qkv):
                    sd[f"{o}attn.{name}.{kind}"] = part
                sd[f"{o}attn.W_O.{kind}"] = take(t, f"{p}attention.dense.{kind}")
            for ours in ("mlp.W_in", "mlp.W_out"):
                for kind in ("weight", "bias"):
                    sd[f"{o}{ours}.{kind}"] = take(t, f"{p}{MATRICES[ours]}.{kind}")
            for ours, theirs in NORMS.items():
                sd[o + ours + ".w"] = take(t, p + theirs + ".weight")
                sd[o + ours + ".b"] = take(t, p + theirs + ".bias")
        return sd
