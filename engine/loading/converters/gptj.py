"""GPTJForCausalLM (EleutherAI/gpt-j-6b): interleaved rotary on the first rotary_dim dims of each
head, one LayerNorm feeding attention and MLP in parallel, no q/k/v/o biases, an untied lm_head
with a bias. transformers computes q·kᵀ and the softmax in float32 (attn_upcast does the same)."""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register, strip_prefix, take
from .bert import check_activation

ARCH = "GPTJForCausalLM"
LINEARS = {"attn.W_Q": "attn.q_proj", "attn.W_K": "attn.k_proj", "attn.W_V": "attn.v_proj",
           "attn.W_O": "attn.out_proj", "mlp.W_in": "mlp.fc_in", "mlp.W_out": "mlp.fc_out"}


@register(ARCH)
class GPTJ:
    USED = {"vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "rotary_dim", "n_inner",
            "activation_function", "layer_norm_epsilon", "tie_word_embeddings"}
    IGNORED = {"tokenizer_class": "names the tokenizer, read from tokenizer.json",
               **{f"summary_{k}": "a classification head's settings, not loaded"
                  for k in ("type", "use_proj", "activation", "proj_to_labels", "first_dropout")}}
    # keys of gpt-j-6b's config.json that transformers' GPT-J no longer reads: it always rotates and scales
    REFUSED = {"rotary": ((True, None), "GPT-J without rotary positions is not implemented"),
               "scale_attn_weights": ((True, None), "GPT-J without the 1/√d_head scale is not implemented")}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        d, h = hf["n_embd"], hf["n_head"]
        rot = hf.get("rotary_dim")
        if not rot:  # transformers then builds tables of n_embd dims and cannot apply them to a head
            raise UnsupportedArchitecture(f"{ARCH} with rotary_dim={rot!r} is not supported: set rotary_dim")
        return ModelConfig(
            family="decoder",
            architecture=ARCH,
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["n_layer"],
            n_heads=h,
            d_mlp=hf.get("n_inner") or 4 * d,
            n_ctx=hf.get("n_positions", 2048),
            positional="rope",
            rope_theta=10000.0,  # fixed in GPT-J
            rotary_dim=rot,
            rope_interleaved=True,
            norm="layernorm",
            norm_eps=hf.get("layer_norm_epsilon", 1e-5),
            activation=check_activation(hf.get("activation_function", "gelu_new"), ARCH),
            attn_bias=False,
            attn_out_bias=False,
            mlp_bias=True,
            tie_embeddings=bool(hf.get("tie_word_embeddings", False)),
            lm_head_bias=True,
            parallel_block=True,
            parallel_norms=1,
            attn_upcast=True,
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            pad_token_id=hf.get("pad_token_id"),
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("transformer.",))  # lm_head.* keep their names
        sd = {"embed.W_E": take(t, "wte.weight"), "ln_final.w": take(t, "ln_f.weight"),
              "ln_final.b": take(t, "ln_f.bias"), "unembed.b_U": take(t, "lm_head.bias")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"h.{i}.", f"blocks.{i}."
            for ours, theirs in LINEARS.items():
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                if ours.startswith("mlp"):
                    sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            sd[o + "ln1.w"], sd[o + "ln1.b"] = take(t, p + "ln_1.weight"), take(t, p + "ln_1.bias")
        return sd
