"""Olmo2ForCausalLM: Llama with the RMSNorms moved to the sub-layers' outputs (x + norm(f(x)), no
norm before a sub-layer) and an RMSNorm of the whole q and k projections (all heads together,
not per head) before RoPE."""
from __future__ import annotations

from dataclasses import replace

import torch

from ...config import ModelConfig
from ..registry import register
from .llama import Llama
from .qwen3 import qk_norm_weights

OUTPUT_NORMS = {"ln1_post.w": "post_attention_layernorm.weight", "ln2_post.w": "post_feedforward_layernorm.weight"}


@register("Olmo2ForCausalLM")
class Olmo2(Llama):
    USED = Llama.USED - {"mlp_bias"}
    LAYER_NORMS = OUTPUT_NORMS

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        return replace(Llama.config(hf), architecture="Olmo2ForCausalLM", norm_placement="sublayer_post",
                       qk_norm="whole", mlp_bias=False)

    @classmethod
    def weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        return super().weights(t, cfg) | qk_norm_weights(t, cfg)
