"""Qwen3ForCausalLM: Qwen2's per-layer window, Llama's `attention_bias` (q, k, v and o together),
and an RMSNorm of each head's q and k before RoPE (`self_attn.q_norm` / `k_norm`, over d_head).
"""
from __future__ import annotations

from dataclasses import replace

import torch

from ...config import ModelConfig
from ..registry import register, strip_prefix, take
from .llama import Llama
from .qwen2 import window_layers


@register("Qwen3ForCausalLM")
class Qwen3(Llama):
    USED = (Llama.USED - {"mlp_bias"}) | {"use_sliding_window", "sliding_window", "max_window_layers", "layer_types"}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        window, types = window_layers(hf)
        cfg = replace(Llama.config(hf), architecture="Qwen3ForCausalLM", mlp_bias=False, qk_norm="head")
        return replace(cfg, sliding_window=window, layer_types=types)

    @classmethod
    def weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd = super().weights(t, cfg)
        return sd | qk_norm_weights(t, cfg)


def qk_norm_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """`layers.N.self_attn.q_norm.weight` / `k_norm.weight` -> `blocks.N.attn.q_norm.w` / `k_norm.w`."""
    t = strip_prefix(t, ("model.",))
    sd = {}
    for i in range(cfg.n_layers):
        for which in ("q", "k"):
            sd[f"blocks.{i}.attn.{which}_norm.w"] = take(t, f"layers.{i}.self_attn.{which}_norm.weight")
    return sd
