"""MarianMTModel: the paper's encoder-decoder (post-norm, sinusoidal positions, shared embeddings).

What transformers' Marian does, and we mirror:
- token embeddings times √d_model when `scale_embedding`, in encoder and decoder alike;
- fixed sinusoidal positions, sin in the first half of the dimensions and cos in the second
  (not interleaved); they are not stored in the checkpoint, we compute the same table;
- post-norm layers (Add & Norm after each sub-layer), no embedding LayerNorm, no final LayerNorm;
- logits = h · Eᵀ + final_logits_bias, E the (shared) decoder embedding unless untied.
Config flags inherited from BART that transformers' Marian ignores (normalize_before,
normalize_embedding, add_final_layer_norm, ...) are refused when set to a value that would
change the architecture, rather than silently mis-running a checkpoint.

The BART family (bart.py, mbart.py, pegasus.py, m2m100.py) subclasses `Marian`: same layer
names and maps; each class overrides `fields` (its ModelConfig options) and `FIXED_FLAGS`, and
`weights` follows the config (learned positions, embedding LayerNorm, final LayerNorms, bias).
"""
from __future__ import annotations

import math

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register, strip_prefix, take
from .bert import check_activation

ATTN = {"W_Q": "q_proj", "W_K": "k_proj", "W_V": "v_proj", "W_O": "out_proj"}
# Our block's parameters -> the checkpoint's, per layer; attention modules expand through ATTN.
ENCODER_LAYER = {
    "attn": "self_attn",
    "ln1": "self_attn_layer_norm",
    "mlp.W_in": "fc1",
    "mlp.W_out": "fc2",
    "ln2": "final_layer_norm",
}
DECODER_LAYER = {
    **ENCODER_LAYER,
    "cross_attn": "encoder_attn",
    "ln_cross": "encoder_attn_layer_norm",
}
NORMS = ("ln1", "ln2", "ln_cross")
# Encoder and decoder must agree on these, because we build both from one ModelConfig.
SAME = (("encoder_attention_heads", "decoder_attention_heads"), ("encoder_ffn_dim", "decoder_ffn_dim"))


def _first(x):
    return x[0] if isinstance(x, (list, tuple)) and x else x


def _shared(hf: dict) -> bool:
    """transformers (v5) ties encoder, decoder and output tables only when tie_word_embeddings."""
    return bool(hf.get("share_encoder_decoder_embeddings", True) and hf.get("tie_word_embeddings", True))


@register("MarianMTModel")
class Marian:
    ARCH = "MarianMTModel"
    # BART-family flags: key -> value that matches what this class actually computes.
    FIXED_FLAGS = {
        "normalize_before": False,
        "normalize_embedding": False,
        "layernorm_embedding": False,
        "add_final_layer_norm": False,
        "static_position_embeddings": True,
    }
    LAYOUT = "Marian is post-norm, with fixed sinusoidal positions and no extra LayerNorms"
    USED = {"vocab_size", "d_model", "encoder_layers", "decoder_layers", "encoder_attention_heads",
            "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "max_position_embeddings",
            "scale_embedding", "activation_function", "tie_word_embeddings",
            "share_encoder_decoder_embeddings", "decoder_vocab_size", *FIXED_FLAGS}
    REFUSED = {"is_decoder": ((False, None), "a Marian decoder used alone is not supported")}
    # generation settings this class reads; hf_folder takes them from generation_config.json when
    # the folder has one (as transformers does). Marian's forced_eos_token_id is not applied yet.
    GENERATION_KEYS: tuple[str, ...] = ("decoder_start_token_id",)

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        cls.check(hf)
        return ModelConfig(**cls.fields(hf))

    @classmethod
    def check(cls, hf: dict) -> None:
        for key, ok in cls.FIXED_FLAGS.items():
            if key in hf and hf[key] is not None and bool(hf[key]) != ok:
                raise UnsupportedArchitecture(
                    f"{cls.ARCH} with {key}={hf[key]!r} is not supported ({cls.LAYOUT})"
                )
        for a, b in SAME:
            if a in hf and b in hf and hf[a] != hf[b]:
                raise UnsupportedArchitecture(
                    f"{cls.ARCH} with {a}={hf[a]} but {b}={hf[b]} is not supported (they must be equal)"
                )
        shared = hf.get("share_encoder_decoder_embeddings", True)
        dec_vocab = hf.get("decoder_vocab_size") or hf["vocab_size"]
        if not shared and dec_vocab != hf["vocab_size"]:
            raise UnsupportedArchitecture(
                f"{cls.ARCH} with separate source/target vocabularies ({hf['vocab_size']} vs {dec_vocab}) "
                "is not supported"
            )

    @classmethod
    def fields(cls, hf: dict) -> dict:
        """The ModelConfig keywords; a subclass changes the few that differ."""
        d = hf["d_model"]
        return dict(
            family="encoder-decoder",
            architecture=cls.ARCH,
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["encoder_layers"],
            n_decoder_layers=hf["decoder_layers"],
            n_heads=hf["encoder_attention_heads"],
            d_mlp=hf["encoder_ffn_dim"],
            n_ctx=hf.get("max_position_embeddings", 1024),
            positional="sinusoidal",
            norm="layernorm",
            norm_eps=1e-5,  # nn.LayerNorm's default; the config has no eps
            norm_placement="post",
            final_norm=False,
            embed_scale=math.sqrt(d) if hf.get("scale_embedding", False) else 1.0,
            activation=check_activation(hf.get("activation_function", "gelu"), cls.ARCH),
            tie_embeddings=hf.get("tie_word_embeddings", True),
            lm_head="linear",
            lm_head_bias=True,  # final_logits_bias (zeros when the checkpoint lacks it)
            pad_token_id=hf.get("pad_token_id"),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=_first(hf.get("eos_token_id")),
            decoder_start_token_id=hf.get("decoder_start_token_id", hf.get("pad_token_id")),
            extra={"shared_embeddings": _shared(hf)},
        )

    @staticmethod
    def weights(tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(tensors, ("model.",))
        sd = _embeddings(t, cfg)
        for stack, n, layer in (
            ("encoder", cfg.n_layers, ENCODER_LAYER),
            ("decoder", cfg.n_decoder_layers, DECODER_LAYER),
        ):
            sd.update(_stack_extras(t, stack, cfg))
            for i in range(n):
                sd.update(_layer(t, f"{stack}.layers.{i}.", f"{stack}.blocks.{i}.", layer))
        if cfg.lm_head_bias:
            bias = t.get("final_logits_bias")
            if bias is None:  # transformers treats it as optional (zeros)
                bias = torch.zeros(1, cfg.vocab_size)
            sd["unembed.b_U"] = bias.reshape(-1)  # [1, vocab] -> [vocab]
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        return sd


def _stack_extras(t, stack: str, cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """What a stack stores besides its layers, as the config says it has: learned positions,
    the embedding LayerNorm (layernorm_embedding), the final LayerNorm (layer_norm)."""
    sd = {}
    if cfg.positional == "learned":
        sd[f"{stack}.pos_embed.W_pos"] = take(t, f"{stack}.embed_positions.weight")
    for ours, theirs, on in (("ln_embed", "layernorm_embedding", cfg.embed_norm),
                             ("ln_final", "layer_norm", cfg.final_norm)):
        if on:
            sd[f"{stack}.{ours}.w"] = take(t, f"{stack}.{theirs}.weight")
            sd[f"{stack}.{ours}.b"] = take(t, f"{stack}.{theirs}.bias")
    return sd


def _embeddings(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
    """Shared: one table, stored as shared.weight (or only as a stack's copy). Separate: each
    stack's own embed_tokens, falling back to shared.weight where a checkpoint stores only that."""
    if cfg.extra.get("shared_embeddings", True):
        names = ("shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
        enc = dec = take(t, next((n for n in names if n in t), names[0]))
    else:
        enc, dec = (
            take(t, name if name in t else "shared.weight")
            for name in ("encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
        )
    return {"encoder.embed.W_E": enc, "decoder.embed.W_E": dec}


def _layer(t, src: str, dst: str, mapping: dict[str, str]) -> dict[str, torch.Tensor]:
    sd = {}
    for ours, theirs in mapping.items():
        if ours in NORMS:
            sd[dst + ours + ".w"] = take(t, src + theirs + ".weight")
            sd[dst + ours + ".b"] = take(t, src + theirs + ".bias")
        elif ours in ("attn", "cross_attn"):
            for w, proj in ATTN.items():
                for kind in ("weight", "bias"):
                    sd[f"{dst}{ours}.{w}.{kind}"] = take(t, f"{src}{theirs}.{proj}.{kind}")
        else:
            for kind in ("weight", "bias"):
                sd[f"{dst}{ours}.{kind}"] = take(t, f"{src}{theirs}.{kind}")
    return sd
