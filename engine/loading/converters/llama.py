"""LlamaForCausalLM (SmolLM/SmolLM2, TinyLlama, ...): RMSNorm, RoPE, grouped-query attention, SwiGLU.

nn.Linear weights are [out, in] in both Hugging Face and our model, so every matrix is copied
as is; only the names change. The GGUF loader builds the same Hugging Face names and reuses
`weights()`.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import ModelLoadError
from ..registry import register, strip_prefix, take

# Rope variants we compute exactly. Others (linear, dynamic, yarn, llama3, longrope...) change
# the angles, so running them with plain RoPE would give wrong numbers: refuse them instead.
SUPPORTED_ROPE = ("default",)

# our name in a block <- Hugging Face name in `model.layers.N.` (weights and optional biases)
LAYER_MATRICES = {
    "attn.W_Q": "self_attn.q_proj",
    "attn.W_K": "self_attn.k_proj",
    "attn.W_V": "self_attn.v_proj",
    "attn.W_O": "self_attn.o_proj",
    "mlp.W_gate": "mlp.gate_proj",
    "mlp.W_in": "mlp.up_proj",
    "mlp.W_out": "mlp.down_proj",
}
LAYER_NORMS = {"ln1.w": "input_layernorm.weight", "ln2.w": "post_attention_layernorm.weight"}
BIAS_FLAG = {"attn.W_O": "attn_out_bias"}  # else the `<attn|mlp>_bias` flag of the module


def rope_settings(hf: dict) -> tuple[float, str]:
    """(theta, type) from either transformers 4 (`rope_theta`, `rope_scaling`) or 5 (`rope_parameters`)."""
    params = hf.get("rope_parameters") or {}
    scaling = hf.get("rope_scaling") or {}
    kind = params.get("rope_type") or scaling.get("rope_type") or scaling.get("type") or "default"
    theta = params.get("rope_theta", hf.get("rope_theta", 10000.0))
    if kind not in SUPPORTED_ROPE:
        raise ModelLoadError(
            f"this checkpoint uses RoPE scaling of type {kind!r}, which the playground does not "
            f"implement (supported: {', '.join(SUPPORTED_ROPE)})"
        )
    return float(theta), kind


@register("LlamaForCausalLM")
class Llama:
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "head_dim", "intermediate_size", "max_position_embeddings", "rope_parameters", "rope_theta",
            "rope_scaling", "rms_norm_eps", "hidden_act", "attention_bias", "mlp_bias", "tie_word_embeddings"}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        theta, _ = rope_settings(hf)
        act = hf.get("hidden_act", "silu")
        if act not in ("silu", "swish"):
            raise ModelLoadError(f"Llama with activation {act!r} is not supported (only silu)")
        d, h = hf["hidden_size"], hf["num_attention_heads"]
        attn_bias = bool(hf.get("attention_bias", False))
        return ModelConfig(
            family="decoder",
            architecture="LlamaForCausalLM",
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["num_hidden_layers"],
            n_heads=h,
            n_kv_heads=hf.get("num_key_value_heads") or h,
            d_head=hf.get("head_dim") or d // h,
            d_mlp=hf["intermediate_size"],
            n_ctx=hf.get("max_position_embeddings", 2048),
            positional="rope",
            rope_theta=theta,
            norm="rmsnorm",
            norm_eps=hf.get("rms_norm_eps", 1e-6),
            activation="silu",
            gated_mlp=True,
            attn_bias=attn_bias,
            attn_out_bias=attn_bias,
            mlp_bias=bool(hf.get("mlp_bias", False)),
            tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            pad_token_id=hf.get("pad_token_id"),
        )

    LAYER_NORMS = LAYER_NORMS  # a subclass with other norms (sandwich, none) overrides these
    FINAL_NORM: str | None = "norm.weight"

    @classmethod
    def weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("model.",))  # lm_head.weight has no prefix and keeps its name
        sd = {"embed.W_E": take(t, "embed_tokens.weight")}
        if cls.FINAL_NORM:
            sd["ln_final.w"] = take(t, cls.FINAL_NORM)
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for ours, theirs in LAYER_MATRICES.items():
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                if getattr(cfg, BIAS_FLAG.get(ours, ours.split(".")[0] + "_bias")):
                    sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            for ours, theirs in cls.LAYER_NORMS.items():
                sd[o + ours] = take(t, p + theirs)
        return sd
