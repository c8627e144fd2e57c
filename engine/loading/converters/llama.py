"""LlamaForCausalLM (SmolLM/SmolLM2, TinyLlama, ...): RMSNorm, RoPE, grouped-query attention, SwiGLU.

nn.Linear weights are [out, in] in both Hugging Face and our model, so every matrix is copied
as is; only the names change. The GGUF loader builds the same Hugging Face names and reuses
`weights()`.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import ModelLoadError
from ...models import rope
from ..registry import register, strip_prefix, take

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


# The types whose parameters name an original (pre-extension) context length; transformers
# prefers a top-level `original_max_position_embeddings` (Phi-3 keeps it there) over the dict's.
ORIGINAL_LENGTH_TYPES = ("llama3", "yarn", "longrope")


def rope_settings(hf: dict, aliases: dict[str, str] | None = None) -> tuple[float, str, dict]:
    """(theta, type, parameters) from transformers 5 (`rope_parameters`) or 4 (`rope_theta` +
    `rope_scaling`), resolved as transformers' standardize_rope_params does; a type we do not
    implement, or one missing a parameter, is refused by name (ModelLoadError). `aliases`: a
    family's old names for a type (Phi-3 reads "su" and "yarn" as longrope)."""
    params = dict(hf.get("rope_scaling") or hf.get("rope_parameters") or {})
    kind = params.pop("rope_type", None) or params.get("type") or "default"
    kind = (aliases or {}).get(kind, kind)
    params.pop("type", None)
    theta = float(params.pop("rope_theta", None) or hf.get("rope_theta") or 10000.0)
    if "partial_rotary_factor" not in params and hf.get("partial_rotary_factor") is not None:
        params["partial_rotary_factor"] = hf["partial_rotary_factor"]
    params["max_position_embeddings"] = hf.get("max_position_embeddings", 2048)
    if kind in ORIGINAL_LENGTH_TYPES:
        params["original_max_position_embeddings"] = (
            hf.get("original_max_position_embeddings") or params.get("original_max_position_embeddings")
            or params["max_position_embeddings"]
        )
    rope.check(rope.RopeSpec(kind, theta, 2, params))
    return theta, kind, params


def context_length(hf: dict, kind: str, params: dict) -> int:
    """Positions we accept: max_position_embeddings, times the factor for dynamic NTK (its
    purpose is to run past max_position_embeddings, where its frequencies change)."""
    n = params["max_position_embeddings"]
    return int(n * params["factor"]) if kind == "dynamic" else n


def rotary_dim(params: dict, d_head: int, partial: bool) -> int:
    """int(d_head · partial_rotary_factor), as transformers' rope functions size the rotation.
    A family whose attention rotates whole heads (partial=False: Llama) refuses a fraction."""
    factor = params.get("partial_rotary_factor", 1.0)
    if factor != 1.0 and not partial:
        raise ModelLoadError(f"partial_rotary_factor={factor!r} is not supported here: this family rotates whole heads")
    return int(d_head * factor)


@register("LlamaForCausalLM")
class Llama:
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "head_dim", "intermediate_size", "max_position_embeddings", "rope_parameters", "rope_theta",
            "rope_scaling", "original_max_position_embeddings", "rms_norm_eps", "hidden_act", "attention_bias", "mlp_bias", "tie_word_embeddings"}

    PARTIAL_ROTARY = False  # whether the family's attention rotates only part of each head
    ROPE_ALIASES: dict[str, str] = {}  # the family's old names of RoPE types

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        theta, kind, params = rope_settings(hf, cls.ROPE_ALIASES)
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
            d_head=(dh := hf.get("head_dim") or d // h),
            d_mlp=hf["intermediate_size"],
            n_ctx=context_length(hf, kind, params),
            positional="rope",
            rope_theta=theta,
            rope_type=kind,
            rope_params=params,
            rotary_dim=rotary_dim(params, dh, cls.PARTIAL_ROTARY),
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

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("model.",))  # lm_head.weight has no prefix and keeps its name
        sd = {"embed.W_E": take(t, "embed_tokens.weight"), "ln_final.w": take(t, "norm.weight")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for ours, theirs in LAYER_MATRICES.items():
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                bias = ours.startswith("mlp") and cfg.mlp_bias or ours.startswith("attn") and cfg.attn_bias
                if bias:
                    sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            for ours, theirs in LAYER_NORMS.items():
                sd[o + ours] = take(t, p + theirs)
        return sd
