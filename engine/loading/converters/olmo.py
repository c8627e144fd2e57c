"""OlmoForCausalLM: Llama with LayerNorms that have no weight and no bias (eps 1e-5, in float32)
and an optional clamp of q, k and v to [−clip_qkv, clip_qkv] right after the projections."""
from __future__ import annotations

from dataclasses import replace

from ...config import ModelConfig
from ..registry import register
from .llama import Llama


@register("OlmoForCausalLM")
class Olmo(Llama):
    USED = (Llama.USED - {"rms_norm_eps", "mlp_bias"}) | {"clip_qkv"}
    LAYER_NORMS: dict[str, str] = {}  # nothing stored: the norms have no parameters
    FINAL_NORM = None

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        clip = hf.get("clip_qkv")
        return replace(Llama.config(hf), architecture="OlmoForCausalLM", norm="layernorm_np", norm_eps=1e-5,
                       mlp_bias=False, clip_qkv=float(clip) if clip is not None else None)
