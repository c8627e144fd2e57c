"""Qwen2ForCausalLM (Qwen2, Qwen2.5): Llama with biases on q, k and v (not on the output
projection), and an optional sliding window on the layers from `max_window_layers` on.

transformers' modular_qwen2.py changes exactly these: Qwen2Attention(LlamaAttention) adds the
q/k/v biases and the per-layer window (`layer_types`; derived from `use_sliding_window`,
`sliding_window` and `max_window_layers` when a config predates it).
"""
from __future__ import annotations

from dataclasses import replace

from ...config import ModelConfig
from ...errors import ModelLoadError
from ..registry import register
from .llama import Llama

LAYER_TYPES = ("full_attention", "sliding_attention")


def window_layers(hf: dict) -> tuple[int | None, list[str] | None]:
    """(window, per-layer types) as Qwen2Config.__post_init__ derives them; (None, None) = all full."""
    window = hf.get("sliding_window") if hf.get("use_sliding_window", False) else None
    if window is None:
        return None, None
    n = hf["num_hidden_layers"]
    types = hf.get("layer_types") or [
        "sliding_attention" if i >= hf.get("max_window_layers", n) else "full_attention" for i in range(n)
    ]
    bad = sorted(set(types) - set(LAYER_TYPES))
    if bad or len(types) != n:
        raise ModelLoadError(f"layer_types {types!r} is not one of {LAYER_TYPES} per layer ({n} layers)")
    return int(window), list(types)


@register("Qwen2ForCausalLM")
class Qwen2(Llama):
    USED = (Llama.USED - {"attention_bias", "mlp_bias"}) | {
        "use_sliding_window", "sliding_window", "max_window_layers", "layer_types"}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        window, types = window_layers(hf)
        cfg = replace(Llama.config(hf), architecture="Qwen2ForCausalLM", attn_bias=True, attn_out_bias=False,
                      mlp_bias=False)
        return replace(cfg, sliding_window=window, layer_types=types)
