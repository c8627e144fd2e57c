"""GemmaForCausalLM: Llama with embeddings times √d_model (rounded to the compute dtype, as Gemma
does), RMSNorms whose weight is an offset from 1 (x / rms(x) · (1 + w)), a tanh-GELU gated FFN
(GeGLU) and tied embeddings by default."""
from __future__ import annotations

import math
from dataclasses import replace

from ...config import ModelConfig
from ..registry import register
from .bert import check_activation
from .llama import Llama

# Gemma 1 configs of the first releases say "gelu" and mean the tanh approximation (transformers
# rewrites it so too, GemmaConfig.__post_init__).
LEGACY_ACT = {"gelu": "gelu_pytorch_tanh"}


def gemma_base(hf: dict, architecture: str, act: str) -> ModelConfig:
    """Llama's reading of the shared fields, then what every Gemma changes."""
    cfg = Llama.config({**hf, "hidden_act": "silu"})  # the FFN activation is set below
    return replace(
        cfg,
        architecture=architecture,
        activation=check_activation(act, architecture),
        norm="rmsnorm_1p",
        embed_scale=math.sqrt(cfg.d_model),
        embed_scale_in_dtype=True,
        tie_embeddings=bool(hf.get("tie_word_embeddings", True)),
    )


@register("GemmaForCausalLM")
class Gemma(Llama):
    USED = Llama.USED - {"mlp_bias"}
    REFUSED = {"use_bidirectional_attention": ((None, False), "bidirectional attention is not implemented")}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        act = hf.get("hidden_act", "gelu_pytorch_tanh")
        return replace(gemma_base(hf, "GemmaForCausalLM", LEGACY_ACT.get(act, act)), mlp_bias=False)
