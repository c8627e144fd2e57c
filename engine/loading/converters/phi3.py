"""Phi3ForCausalLM (Phi-3, Phi-3.5 mini/medium): Llama with fused weights, partial rotary and LongRoPE.

transformers' Phi3 is Mistral with one `qkv_proj` matrix (rows: q heads, then k, then v) and one
`gate_up_proj` (rows: gate, then up); we split them back into our separate matrices (the model
may fuse them again for speed, with the same numbers). RoPE: `partial_rotary_factor`, and
`longrope` (short/long factors), which older configs call "su" or "yarn".
"""
from __future__ import annotations

from dataclasses import replace

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register
from .llama import Llama


@register("Phi3ForCausalLM")
class Phi3(Llama):
    USED = Llama.USED | {"partial_rotary_factor", "sliding_window"}
    PARTIAL_ROTARY = True
    ROPE_ALIASES = {"su": "longrope", "yarn": "longrope"}  # transformers' Phi3Config renames them

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        hf = {"rms_norm_eps": 1e-5, "original_max_position_embeddings": 4096, **hf}  # Phi3Config's defaults
        window, n_ctx = hf.get("sliding_window"), hf.get("max_position_embeddings", 4096)
        if window is not None and window < n_ctx:  # a window as long as the context changes nothing
            raise UnsupportedArchitecture(
                f"Phi3ForCausalLM with sliding_window={window!r} is not supported: sliding-window attention "
                f"shorter than the context ({n_ctx}) is not implemented for Phi-3"
            )
        cfg = super().config(hf)
        # transformers' Phi3ForCausalLM.prepare_inputs_for_generation drops the cache when the
        # sequence first passes original_max_position_embeddings: LongRoPE's factors switch there
        refresh = cfg.rope_params["original_max_position_embeddings"] if cfg.rope_type == "longrope" else None
        # no biases anywhere in Phi-3 (its config has no bias switches)
        return replace(cfg, architecture="Phi3ForCausalLM", attn_bias=False, attn_out_bias=False, mlp_bias=False,
                       rope_refresh_length=refresh)

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = dict(t)
        q, kv = cfg.n_heads * cfg.d_head, cfg.n_kv_heads * cfg.d_head
        for name in [n for n in t if n.endswith("self_attn.qkv_proj.weight")]:
            layer = name[: -len("qkv_proj.weight")]
            # [(head + 2*kv_head)*d_head, d_model] -> q [head*d_head, ..], k and v [kv_head*d_head, ..]
            t[layer + "q_proj.weight"], t[layer + "k_proj.weight"], t[layer + "v_proj.weight"] = (
                t.pop(name).split([q, kv, kv], dim=0)
            )
        for name in [n for n in t if n.endswith("mlp.gate_up_proj.weight")]:
            layer = name[: -len("gate_up_proj.weight")]
            # [2*d_mlp, d_model] -> gate [d_mlp, d_model], up [d_mlp, d_model]
            t[layer + "gate_proj.weight"], t[layer + "up_proj.weight"] = t.pop(name).chunk(2, dim=0)
        return Llama.weights(t, cfg)
