"""DebertaV2Model / DebertaV2ForMaskedLM (DeBERTa-v2 and v3): BERT's post-norm encoder with
disentangled attention (engine/models/disentangled.py): relative-position c2p / p2c score terms
from one relative embedding table shared by every layer, log-bucketed distances, one divisor
√(d_head · (1 + terms)); the v2 checkpoints' convolution after layer 0 (conv_kernel_size).
Absolute positions are added to the input only with position_biased_input.

The MLM head comes in two layouts: `legacy` (cls.predictions.transform + decoder, transformers'
default) and the newer lm_predictions.lm_head (always tied to the word embeddings).
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register, strip_prefix, take
from .bert import check_activation

LAYER = {  # ours -> theirs, under encoder.layer.{i}.
    "attn.W_Q": "attention.self.query_proj",
    "attn.W_K": "attention.self.key_proj",
    "attn.W_V": "attention.self.value_proj",
    "attn.W_O": "attention.output.dense",
    "mlp.W_in": "intermediate.dense",
    "mlp.W_out": "output.dense",
}
POS_PROJ = {"c2p": ("attn.W_pos_K", "attention.self.pos_key_proj"),
            "p2c": ("attn.W_pos_Q", "attention.self.pos_query_proj")}
LAYER_NORMS = {"ln1": "attention.output.LayerNorm", "ln2": "output.LayerNorm"}
TERMS = ("c2p", "p2c")


def pos_att_types(value) -> list[str]:
    """"p2c|c2p" (old configs) or ["c2p", "p2c"] -> a list; anything else is refused by name."""
    if value is None:
        return []
    types = [x.strip() for x in value.lower().split("|")] if isinstance(value, str) else list(value)
    bad = [t for t in types if t not in TERMS]
    if bad:
        raise UnsupportedArchitecture(
            f"DeBERTa-v2 with pos_att_type {bad} is not supported: only c2p and p2c exist in transformers")
    return types


def _pos_att_ok(value) -> bool:
    try:
        pos_att_types(value)
    except (UnsupportedArchitecture, AttributeError, TypeError):
        return False
    return True


def _norm_rel_ebd(value) -> bool:
    parts = [x.strip() for x in (value or "none").lower().split("|")]
    return "layer_norm" in parts


@register("DebertaV2Model")
class DebertaV2:
    architecture = "DebertaV2Model"
    head = "none"
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "layer_norm_eps", "type_vocab_size", "hidden_act", "tie_word_embeddings",
            "relative_attention", "max_relative_positions", "position_biased_input", "pos_att_type",
            "position_buckets", "share_att_key", "norm_rel_ebd", "legacy", "embedding_size", "conv_kernel_size",
            "conv_groups", "conv_act", "attention_head_size"}
    IGNORED = {
        "pooler_hidden_act": "the pooler feeds classification heads only",
        "pooler_hidden_size": "the pooler feeds classification heads only",
        "z_steps": "transformers sets z_steps = 0 and never reads it from the config",
    }
    REFUSED = {
        "pos_att_type": (_pos_att_ok, "only c2p and p2c terms exist in DeBERTa-v2"),
    }

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        d = hf["hidden_size"]
        emb = hf.get("embedding_size")
        if emb not in (None, d):
            raise UnsupportedArchitecture(
                f"{cls.architecture} with embedding_size={emb} (≠ hidden_size {d}) is not supported: "
                "the embedding projection (embed_proj) is not implemented")
        head = hf.get("attention_head_size")
        if head not in (None, d // hf["num_attention_heads"]):  # deberta-v2-xlarge states the usual 64
            raise UnsupportedArchitecture(
                f"{cls.architecture} with attention_head_size={head} (≠ hidden_size / heads) is not supported")
        buckets = hf.get("position_buckets", -1)
        return ModelConfig(
            family="encoder",
            architecture=cls.architecture,
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["num_hidden_layers"],
            n_heads=hf["num_attention_heads"],
            d_mlp=hf["intermediate_size"],
            n_ctx=hf.get("max_position_embeddings", 512),
            positional="learned" if hf.get("position_biased_input", True) else "none",
            norm="layernorm",
            norm_eps=hf.get("layer_norm_eps", 1e-7),
            norm_placement="post",
            final_norm=False,
            embed_norm=True,
            token_types=hf.get("type_vocab_size", 0),
            activation=check_activation(hf.get("hidden_act", "gelu"), cls.architecture),
            tie_embeddings=hf.get("tie_word_embeddings", True) or not hf.get("legacy", True),
            lm_head=cls.head,
            lm_head_bias=cls.head == "mlm",
            pad_token_id=hf.get("pad_token_id"),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            mask_token_id=hf.get("mask_token_id"),
            attention="disentangled",
            rel_attention=bool(hf.get("relative_attention", False)),
            pos_att_type=pos_att_types(hf.get("pos_att_type")),
            position_buckets=buckets if buckets is not None else -1,
            max_relative_positions=hf.get("max_relative_positions", -1),
            share_att_key=bool(hf.get("share_att_key", False)),
            norm_rel_ebd=_norm_rel_ebd(hf.get("norm_rel_ebd")),
            conv_kernel=hf.get("conv_kernel_size") or 0,
            conv_groups=hf.get("conv_groups", 1),
            conv_act=check_activation(hf.get("conv_act", "tanh"), f"{cls.architecture} (conv_act)"),
            extra={"mlm_layout": "legacy" if hf.get("legacy", True) else "lm_predictions"},
        )

    @classmethod
    def weights(cls, tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(tensors, ("deberta.",))
        sd = {
            "embed.W_E": take(t, "embeddings.word_embeddings.weight"),
            "ln_embed.w": take(t, "embeddings.LayerNorm.weight"),
            "ln_embed.b": take(t, "embeddings.LayerNorm.bias"),
        }
        if cfg.positional == "learned":
            sd["pos_embed.W_pos"] = take(t, "embeddings.position_embeddings.weight")
        if cfg.token_types:
            sd["token_type_embed.weight"] = take(t, "embeddings.token_type_embeddings.weight")
        if cfg.rel_attention:
            sd["rel_embed.W_rel"] = take(t, "encoder.rel_embeddings.weight")
            if cfg.norm_rel_ebd:
                sd["rel_embed.w"] = take(t, "encoder.LayerNorm.weight")
                sd["rel_embed.b"] = take(t, "encoder.LayerNorm.bias")
        if cfg.conv_kernel:
            sd["conv.weight"] = take(t, "encoder.conv.conv.weight")
            sd["conv.bias"] = take(t, "encoder.conv.conv.bias")
            sd["conv.ln.w"] = take(t, "encoder.conv.LayerNorm.weight")
            sd["conv.ln.b"] = take(t, "encoder.conv.LayerNorm.bias")
        layer = dict(LAYER)
        if cfg.rel_attention and not cfg.share_att_key:
            layer.update(POS_PROJ[term] for term in cfg.pos_att_type)
        for i in range(cfg.n_layers):
            p, o = f"encoder.layer.{i}.", f"blocks.{i}."
            for ours, theirs in layer.items():
                sd[o + ours + ".weight"] = take(t, p + theirs + ".weight")
                sd[o + ours + ".bias"] = take(t, p + theirs + ".bias")
            for ours, theirs in LAYER_NORMS.items():
                sd[o + ours + ".w"] = take(t, p + theirs + ".weight")
                sd[o + ours + ".b"] = take(t, p + theirs + ".bias")
        sd.update(cls.head_weights(t, cfg))
        return sd

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        return {}


@register("DebertaV2ForMaskedLM")
class DebertaV2MaskedLM(DebertaV2):
    architecture = "DebertaV2ForMaskedLM"
    head = "mlm"

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        if cfg.extra["mlm_layout"] == "legacy":  # cls.predictions.{transform.dense, transform.LayerNorm, decoder}
            p, dense, ln = "cls.predictions.", "transform.dense", "transform.LayerNorm"
            bias = p + "decoder.bias" if p + "decoder.bias" in t else p + "bias"
        else:  # lm_predictions.lm_head.{dense, LayerNorm, bias}, always tied to the word embeddings
            p, dense, ln = "lm_predictions.lm_head.", "dense", "LayerNorm"
            bias = p + "bias"
        sd = {
            "mlm_head.dense.weight": take(t, p + dense + ".weight"),
            "mlm_head.dense.bias": take(t, p + dense + ".bias"),
            "mlm_head.ln.w": take(t, p + ln + ".weight"),
            "mlm_head.ln.b": take(t, p + ln + ".bias"),
            "unembed.b_U": take(t, bias),
        }
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, p + "decoder.weight")
        return sd
