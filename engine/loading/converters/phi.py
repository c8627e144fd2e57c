"""PhiForCausalLM (Phi-1, Phi-1.5, Phi-2): one LayerNorm feeding attention and MLP in parallel,
partial rotary (rotate-half on the first partial_rotary_factor·d_head dims), biases everywhere,
a dense lm_head with a bias. qk_layernorm (a LayerNorm on q and k) is refused by name."""
from __future__ import annotations

import torch

from ...config import ModelConfig
from .common import decoder_shape
from ..registry import register, strip_prefix, take
from .bert import check_activation
from .rope_default import plain_rope_theta, rotary_dim_of

ARCH = "PhiForCausalLM"
LINEARS = {"attn.W_Q": "self_attn.q_proj", "attn.W_K": "self_attn.k_proj", "attn.W_V": "self_attn.v_proj",
           "attn.W_O": "self_attn.dense", "mlp.W_in": "mlp.fc1", "mlp.W_out": "mlp.fc2"}


@register(ARCH)
class Phi:
    USED = {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
            "num_key_value_heads", "hidden_act", "max_position_embeddings", "layer_norm_eps",
            "tie_word_embeddings", "rope_parameters", "rope_theta", "rope_scaling", "partial_rotary_factor"}
    REFUSED = {"qk_layernorm": ((False, None), "the LayerNorm on q and k is not implemented")}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        d, h = hf["hidden_size"], hf["num_attention_heads"]
        return ModelConfig(
            **decoder_shape(hf, ARCH),
            positional="rope",
            rope_theta=plain_rope_theta(hf, ARCH),
            rotary_dim=rotary_dim_of(hf, d // h, 0.5, ARCH),
            norm="layernorm",
            norm_eps=hf.get("layer_norm_eps", 1e-5),
            activation=check_activation(hf.get("hidden_act", "gelu_new"), ARCH),
            tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
            lm_head_bias=True,
            parallel_block=True,
            parallel_norms=1,
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("model.",))  # lm_head.* keep their names
        sd = {"embed.W_E": take(t, "embed_tokens.weight"), "ln_final.w": take(t, "final_layernorm.weight"),
              "ln_final.b": take(t, "final_layernorm.bias"), "unembed.b_U": take(t, "lm_head.bias")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for ours, theirs in LINEARS.items():
                for kind in ("weight", "bias"):
                    sd[f"{o}{ours}.{kind}"] = take(t, f"{p}{theirs}.{kind}")
            sd[o + "ln1.w"] = take(t, p + "input_layernorm.weight")
            sd[o + "ln1.b"] = take(t, p + "input_layernorm.bias")
        return sd
