"""ModernBertModel / ModernBertForMaskedLM: a pre-norm encoder with RoPE, alternating global and
local (bidirectional sliding-window) attention layers with a RoPE base each, a GeGLU FFN and
LayerNorms without bias; layer 0 has no norm before its attention (the embeddings are normalised
already). The MLM head is dense + activation + LayerNorm, then the (tied) decoder with its bias.

Packed checkpoint matrices are split by name: Wqkv -> W_Q, W_K, W_V; Wi -> (the activated half,
W_gate; the linear half, W_in). Biases a flag switches off are loaded as zeros, so the numbers are
the reference's and the shown formulas stay the plain ones.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register, strip_prefix, take
from .bert import check_activation

DEFAULT_THETA = {"full_attention": 160_000.0, "sliding_attention": 10_000.0}  # transformers' defaults
OLD_THETA_KEY = {"full_attention": "global_rope_theta", "sliding_attention": "local_rope_theta"}


def rope_thetas(hf: dict, arch: str) -> dict[str, float]:
    """θ per layer type from transformers 5's rope_parameters or the older global_/local_rope_theta;
    a RoPE scaling type is refused by name."""
    params = hf.get("rope_parameters") or {}
    out = {}
    for kind in DEFAULT_THETA:
        p = dict(params.get(kind) or {})
        if hf.get("rope_scaling"):
            p.update(hf["rope_scaling"])
        rope_type = p.get("rope_type") or p.get("type") or "default"
        if rope_type != "default":
            raise UnsupportedArchitecture(
                f"{arch} with rope_parameters of type {rope_type!r} ({kind}) is not supported: only plain RoPE")
        out[kind] = float(p.get("rope_theta") or hf.get(OLD_THETA_KEY[kind]) or DEFAULT_THETA[kind])
    return out


def layer_types(hf: dict) -> list[str]:
    """Given, or transformers' rule: every global_attn_every_n_layers-th layer (from 0) is global."""
    if hf.get("layer_types"):
        return list(hf["layer_types"])
    every = hf.get("global_attn_every_n_layers", 3)
    return ["sliding_attention" if i % every else "full_attention" for i in range(hf["num_hidden_layers"])]


def local_attention(hf: dict) -> int:
    """The local layers' whole window; a config may state its half instead (transformers' sliding_window)."""
    if "local_attention" not in hf and hf.get("sliding_window"):
        return 2 * hf["sliding_window"]
    return hf.get("local_attention", 128)


@register("ModernBertModel")
class ModernBert:
    architecture = "ModernBertModel"
    head = "none"
    USED = {"vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
            "hidden_activation", "max_position_embeddings", "norm_eps", "norm_bias", "attention_bias", "mlp_bias",
            "layer_types", "rope_parameters", "local_attention", "global_rope_theta", "local_rope_theta",
            "global_attn_every_n_layers", "rope_theta", "rope_scaling", "decoder_bias", "classifier_bias",
            "classifier_activation", "tie_word_embeddings", "sliding_window"}
    IGNORED = {
        "initializer_cutoff_factor": "weights are loaded, not initialised",
        "classifier_pooling": "pools for classification heads only",
        "deterministic_flash_attn": "a flash-attention kernel setting: same numbers",
        "sparse_prediction": "training only: drops unmasked positions from the loss",
        "sparse_pred_ignore_index": "training only (the loss's ignore index)",
        "reference_compile": "torch.compile of the reference: same numbers",
        "repad_logits_with_grad": "training only",
        "layer_norm_eps": "transformers' ModernBERT reads norm_eps, not this older key",
        "position_embedding_type": "transformers' ModernBERT always uses RoPE and ignores this key",
    }
    REFUSED = {}

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        theta = rope_thetas(hf, cls.architecture)
        types = layer_types(hf)
        if len(types) != hf["num_hidden_layers"]:
            raise UnsupportedArchitecture(
                f"{cls.architecture}: layer_types names {len(types)} layers, the model has {hf['num_hidden_layers']}")
        act = check_activation(hf.get("hidden_activation", "gelu"), cls.architecture)
        return ModelConfig(
            family="encoder",
            architecture=cls.architecture,
            vocab_size=hf["vocab_size"],
            d_model=hf["hidden_size"],
            n_layers=hf["num_hidden_layers"],
            n_heads=hf["num_attention_heads"],
            d_mlp=hf["intermediate_size"],
            n_ctx=hf.get("max_position_embeddings", 8192),
            positional="rope",
            rope_theta=theta["full_attention"],
            rope_local_theta=theta["sliding_attention"],
            norm="layernorm",
            norm_eps=hf.get("norm_eps", 1e-5),
            norm_placement="pre",
            final_norm=True,
            embed_norm=True,
            first_attn_norm=False,
            activation=act,
            gated_mlp=True,
            attn_bias=bool(hf.get("attention_bias", False)),
            attn_out_bias=bool(hf.get("attention_bias", False)),
            mlp_bias=bool(hf.get("mlp_bias", False)),
            layer_types=types,
            sliding_window=local_attention(hf) // 2 + 1,  # |i − j| ≤ local_attention / 2
            bidirectional_window=True,
            tie_embeddings=hf.get("tie_word_embeddings", True),
            lm_head=cls.head,
            lm_head_bias=cls.head == "mlm" and bool(hf.get("decoder_bias", True)),
            head_activation=check_activation(hf.get("classifier_activation", "gelu"), cls.architecture),
            pad_token_id=hf.get("pad_token_id"),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            mask_token_id=hf.get("mask_token_id"),
            extra={"norm_bias": bool(hf.get("norm_bias", False)),
                   "classifier_bias": bool(hf.get("classifier_bias", False))},
        )

    @classmethod
    def weights(cls, tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(tensors, ("model.",))
        sd = {"embed.W_E": take(t, "embeddings.tok_embeddings.weight")}
        sd.update(cls._norm(t, "embeddings.norm", "ln_embed", cfg))
        h, dh, m = cfg.n_heads, cfg.d_head, cfg.d_mlp
        for i in range(cfg.n_layers):
            p, o = f"layers.{i}.", f"blocks.{i}."
            if i > 0:
                sd.update(cls._norm(t, p + "attn_norm", o + "ln1", cfg))
            sd.update(cls._norm(t, p + "mlp_norm", o + "ln2", cfg))
            qkv = take(t, p + "attn.Wqkv.weight")  # [3·heads·d_head, d_model]: q, k, v stacked
            for name, w in zip(("W_Q", "W_K", "W_V"), qkv.split(h * dh, dim=0)):
                sd[f"{o}attn.{name}.weight"] = w
            sd[o + "attn.W_O.weight"] = take(t, p + "attn.Wo.weight")
            if cfg.attn_bias:
                for name, b in zip(("W_Q", "W_K", "W_V"), take(t, p + "attn.Wqkv.bias").split(h * dh)):
                    sd[f"{o}attn.{name}.bias"] = b
                sd[o + "attn.W_O.bias"] = take(t, p + "attn.Wo.bias")
            wi = take(t, p + "mlp.Wi.weight")  # [2·d_mlp, d_model]: the activated half, then the linear half
            sd[o + "mlp.W_gate.weight"], sd[o + "mlp.W_in.weight"] = wi.split(m, dim=0)
            sd[o + "mlp.W_out.weight"] = take(t, p + "mlp.Wo.weight")
            if cfg.mlp_bias:
                sd[o + "mlp.W_gate.bias"], sd[o + "mlp.W_in.bias"] = take(t, p + "mlp.Wi.bias").split(m)
                sd[o + "mlp.W_out.bias"] = take(t, p + "mlp.Wo.bias")
        sd.update(cls._norm(t, "final_norm", "ln_final", cfg))
        sd.update(cls.head_weights(t, cfg))
        return sd

    @staticmethod
    def _norm(t, theirs: str, ours: str, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        """A LayerNorm's weight, and its bias (zeros when norm_bias is off: the same numbers)."""
        w = take(t, theirs + ".weight")
        b = take(t, theirs + ".bias") if cfg.extra["norm_bias"] else torch.zeros_like(w)
        return {ours + ".w": w, ours + ".b": b}

    @classmethod
    def head_weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        return {}


@register("ModernBertForMaskedLM")
class ModernBertMaskedLM(ModernBert):
    architecture = "ModernBertForMaskedLM"
    head = "mlm"

    @classmethod
    def head_weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        w = take(t, "head.dense.weight")
        sd = {"mlm_head.dense.weight": w,
              "mlm_head.dense.bias": take(t, "head.dense.bias") if cfg.extra["classifier_bias"]
              else torch.zeros(w.shape[0], dtype=w.dtype)}
        sd.update(cls._norm(t, "head.norm", "mlm_head.ln", cfg))
        if cfg.lm_head_bias:
            sd["unembed.b_U"] = take(t, "decoder.bias")
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "decoder.weight")
        return sd
