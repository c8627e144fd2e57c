"""GPT2LMHeadModel / GPT2Model: Conv1D weights are [in, out], so every matrix is transposed."""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ..registry import register, strip_prefix, take


@register("GPT2LMHeadModel", "GPT2Model")
class GPT2:
    USED = {"vocab_size", "n_embd", "n_layer", "n_head", "n_inner", "n_positions", "n_ctx",
            "layer_norm_epsilon", "activation_function", "tie_word_embeddings", "scale_attn_weights",
            "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"}
    IGNORED = {f"summary_{k}": "GPT2DoubleHeadsModel's classification head, not loaded"
               for k in ("type", "use_proj", "activation", "proj_to_labels", "first_dropout")}
    REFUSED = {
        "add_cross_attention": ((False, None), "a GPT-2 with cross-attention is not implemented"),
    }

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        d = hf["n_embd"]
        return ModelConfig(
            family="decoder",
            architecture="GPT2LMHeadModel",
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["n_layer"],
            n_heads=hf["n_head"],
            d_mlp=hf.get("n_inner") or 4 * d,
            n_ctx=hf.get("n_positions", hf.get("n_ctx", 1024)),
            positional="learned",
            norm="layernorm",
            norm_eps=hf.get("layer_norm_epsilon", 1e-5),
            activation=hf.get("activation_function", "gelu_new"),
            tie_embeddings=bool(hf.get("tie_word_embeddings", True)),
            attn_scale=None if hf.get("scale_attn_weights", True) else 1.0,
            attn_scale_by_layer=bool(hf.get("scale_attn_by_inverse_layer_idx", False)),
            # q·k and softmax in float32 (the same numbers in float32; matters in half precision)
            attn_upcast=bool(hf.get("reorder_and_upcast_attn", False)),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            pad_token_id=hf.get("pad_token_id"),
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("transformer.",))
        d = cfg.d_model
        sd = {
            "embed.W_E": take(t, "wte.weight"),
            "pos_embed.W_pos": take(t, "wpe.weight"),
            "ln_final.w": take(t, "ln_f.weight"),
            "ln_final.b": take(t, "ln_f.bias"),
        }
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        for i in range(cfg.n_layers):
            p, o = f"h.{i}.", f"blocks.{i}."
            w_qkv = take(t, p + "attn.c_attn.weight")  # [d_model, 3*d_model] (Conv1D: in, out)
            b_qkv = take(t, p + "attn.c_attn.bias")
            for j, name in enumerate(("W_Q", "W_K", "W_V")):
                sd[o + f"attn.{name}.weight"] = w_qkv[:, j * d:(j + 1) * d].T
                sd[o + f"attn.{name}.bias"] = b_qkv[j * d:(j + 1) * d]
            sd[o + "attn.W_O.weight"] = take(t, p + "attn.c_proj.weight").T
            sd[o + "attn.W_O.bias"] = take(t, p + "attn.c_proj.bias")
            sd[o + "ln1.w"] = take(t, p + "ln_1.weight")
            sd[o + "ln1.b"] = take(t, p + "ln_1.bias")
            sd[o + "ln2.w"] = take(t, p + "ln_2.weight")
            sd[o + "ln2.b"] = take(t, p + "ln_2.bias")
            sd[o + "mlp.W_in.weight"] = take(t, p + "mlp.c_fc.weight").T
            sd[o + "mlp.W_in.bias"] = take(t, p + "mlp.c_fc.bias")
            sd[o + "mlp.W_out.weight"] = take(t, p + "mlp.c_proj.weight").T
            sd[o + "mlp.W_out.bias"] = take(t, p + "mlp.c_proj.bias")
        return sd
