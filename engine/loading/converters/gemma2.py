"""Gemma2ForCausalLM: Gemma with sandwich norms (a norm before and after each sub-layer),
attention scale query_pre_attn_scalar^−½, attention-logit and final-logit soft-capping
(tanh(x / c) · c) and alternating sliding-window / global layers (`layer_types`)."""
from __future__ import annotations

from dataclasses import replace

from ...config import ModelConfig
from ...errors import ModelLoadError
from ..registry import register
from .gemma import Gemma, gemma_base

LAYER_TYPES = ("full_attention", "sliding_attention")

# our name in a block <- Hugging Face name in `model.layers.N.`: before / after each sub-layer
SANDWICH_NORMS = {
    "ln1.w": "input_layernorm.weight",
    "ln1_post.w": "post_attention_layernorm.weight",
    "ln2.w": "pre_feedforward_layernorm.weight",
    "ln2_post.w": "post_feedforward_layernorm.weight",
}


def layer_types(hf: dict, pattern: int) -> list[str]:
    """Per-layer types, or as the config class derives them: every `pattern`-th layer global."""
    n = hf["num_hidden_layers"]
    types = hf.get("layer_types") or [
        "sliding_attention" if (i + 1) % pattern else "full_attention" for i in range(n)
    ]
    if len(types) != n or set(types) - set(LAYER_TYPES):
        raise ModelLoadError(f"layer_types {types!r} is not one of {LAYER_TYPES} per layer ({n} layers)")
    return list(types)


def sandwich_config(hf: dict, architecture: str, pattern: int) -> ModelConfig:
    cfg = gemma_base(hf, architecture, hf.get("hidden_activation", "gelu_pytorch_tanh"))
    scalar = hf.get("query_pre_attn_scalar", 256)
    return replace(
        cfg,
        mlp_bias=False,
        norm_placement="sandwich",
        attn_scale=float(scalar) ** -0.5,
        attn_softcap=hf.get("attn_logit_softcapping"),
        final_softcap=hf.get("final_logit_softcapping"),
        sliding_window=hf.get("sliding_window"),
        layer_types=layer_types(hf, pattern),
    )


@register("Gemma2ForCausalLM")
class Gemma2(Gemma):
    USED = (Gemma.USED - {"hidden_act"}) | {
        "hidden_activation", "query_pre_attn_scalar", "sliding_window", "layer_types",
        "final_logit_softcapping", "attn_logit_softcapping"}
    LAYER_NORMS = SANDWICH_NORMS

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        return sandwich_config(hf, "Gemma2ForCausalLM", pattern=2)
