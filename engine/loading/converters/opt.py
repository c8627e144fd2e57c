"""OPTForCausalLM (facebook/opt-*): learned positions offset by 2, pre- or post-norm LayerNorm, ReLU.

Positions: transformers derives them from the attention mask's cumsum (position = number of
real tokens before, + 2); for an unpadded prompt that is position + 2, which is what our
LearnedPosEmbed with pos_offset=2 computes. word_embed_proj_dim != hidden_size (OPT-350m):
embeddings of that width, projected in to d_model before layer 0 and out after the last
(hook_project_in / hook_project_out). Every matrix is an nn.Linear ([out, in]) as ours.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from .common import decoder_shape
from ..registry import register, strip_prefix, take
from .bert import check_activation

ARCH = "OPTForCausalLM"
LINEARS = {"attn.W_Q": "self_attn.q_proj", "attn.W_K": "self_attn.k_proj", "attn.W_V": "self_attn.v_proj",
           "attn.W_O": "self_attn.out_proj", "mlp.W_in": "fc1", "mlp.W_out": "fc2"}
# pre-norm: ln1 before attention, ln2 before the FFN; post-norm: after each Add; same names either way
NORMS = {"ln1": "self_attn_layer_norm", "ln2": "final_layer_norm"}


@register(ARCH)
class OPT:
    IGNORED = {"prefix": "a text prefix for generation pipelines, not part of the model"}
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "ffn_dim",
            "max_position_embeddings", "do_layer_norm_before", "_remove_final_layer_norm", "word_embed_proj_dim",
            "activation_function", "enable_bias", "layer_norm_elementwise_affine", "tie_word_embeddings"}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        d = hf["hidden_size"]
        pre = bool(hf.get("do_layer_norm_before", True))
        bias = bool(hf.get("enable_bias", True))
        return ModelConfig(
            **decoder_shape(hf, ARCH, d_mlp=hf["ffn_dim"]),
            positional="learned",
            pos_offset=2,
            d_embed=hf.get("word_embed_proj_dim") or d,  # != d_model: project_in / project_out (OPT-350m)
            norm="layernorm",
            norm_eps=1e-5,  # nn.LayerNorm's default; OPT's config has no eps
            norm_placement="pre" if pre else "post",
            final_norm=pre and not hf.get("_remove_final_layer_norm", False),
            activation=check_activation(hf.get("activation_function", "relu"), ARCH),
            attn_bias=bias,
            attn_out_bias=bias,
            mlp_bias=bias,
            tie_embeddings=bool(hf.get("tie_word_embeddings", True)),
            extra={"norm_affine": bool(hf.get("layer_norm_elementwise_affine", True))},
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("model.decoder.", "decoder."))  # lm_head.weight keeps its name
        affine = cfg.extra.get("norm_affine", True)
        sd = {"embed.W_E": take(t, "embed_tokens.weight"), "pos_embed.W_pos": take(t, "embed_positions.weight")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")

        def norm(ours: str, theirs: str) -> None:
            if affine:
                sd[ours + ".w"], sd[ours + ".b"] = take(t, theirs + ".weight"), take(t, theirs + ".bias")
            else:  # elementwise_affine=False: γ = 1, β = 0 gives exactly the non-affine LayerNorm
                sd[ours + ".w"], sd[ours + ".b"] = torch.ones(cfg.d_model), torch.zeros(cfg.d_model)

        if cfg.final_norm:
            norm("ln_final", "final_layer_norm")
        if cfg.d_embed != cfg.d_model:
            sd["project_in.weight"] = take(t, "project_in.weight")  # [d_model, d_embed]
            sd["project_out.weight"] = take(t, "project_out.weight")  # [d_embed, d_model]
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            for ours, theirs in LINEARS.items():
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                if cfg.attn_bias:
                    sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            for ours, theirs in NORMS.items():
                norm(o + ours, p + theirs)
        return sd
