"""BertModel / BertForMaskedLM: post-norm encoder with word + position + segment embeddings.

Every matrix is an nn.Linear ([out, in]) like ours, so the mapping is a plain rename.
BertModel has no head (its output is the last hidden state; the pooler is not used);
BertForMaskedLM adds dense + activation + LayerNorm and the tied decoder with its own bias.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ...models.activations import ACTIVATIONS
from ..registry import register, strip_prefix, take

# Our block's parameter -> the checkpoint's, under encoder.layer.{i}.
LAYER = {
    "attn.W_Q": "attention.self.query",
    "attn.W_K": "attention.self.key",
    "attn.W_V": "attention.self.value",
    "attn.W_O": "attention.output.dense",
    "mlp.W_in": "intermediate.dense",
    "mlp.W_out": "output.dense",
}
LAYER_NORMS = {"ln1": "attention.output.LayerNorm", "ln2": "output.LayerNorm"}



def check_activation(name: str, arch: str) -> str:
    if name not in ACTIVATIONS:
        raise UnsupportedArchitecture(
            f"{arch} uses activation {name!r}, which is not supported; supported: "
            f"{', '.join(sorted(ACTIVATIONS))}"
        )
    return name


def _layer_norm_names(tensors) -> dict[str, torch.Tensor]:
    """Old TF-converted checkpoints call LayerNorm parameters gamma/beta."""
    out = {}
    for k, v in tensors.items():
        if k.endswith("LayerNorm.gamma"):
            k = k[: -len("gamma")] + "weight"
        elif k.endswith("LayerNorm.beta"):
            k = k[: -len("beta")] + "bias"
        out[k] = v
    return out


@register("BertModel")
class Bert:
    architecture = "BertModel"
    head = "none"
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
            "max_position_embeddings", "layer_norm_eps", "type_vocab_size", "hidden_act", "tie_word_embeddings"}
    # Config values that describe a BERT variant we do not build: key -> (accepted values, why).
    REFUSED = {
        "position_embedding_type": (("absolute", None), "only absolute position embeddings are supported"),
        "is_decoder": ((False, None), "a BERT used as a causal decoder is not supported"),
        "add_cross_attention": ((False, None), "a BERT with cross-attention is not supported"),
    }

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        return ModelConfig(
            family="encoder",
            architecture=cls.architecture,
            vocab_size=hf["vocab_size"],
            d_model=hf["hidden_size"],
            n_layers=hf["num_hidden_layers"],
            n_heads=hf["num_attention_heads"],
            d_mlp=hf["intermediate_size"],
            n_ctx=hf.get("max_position_embeddings", 512),
            positional="learned",
            norm="layernorm",
            norm_eps=hf.get("layer_norm_eps", 1e-12),
            norm_placement="post",
            final_norm=False,
            embed_norm=True,
            token_types=hf.get("type_vocab_size", 2),
            activation=check_activation(hf.get("hidden_act", "gelu"), cls.architecture),
            tie_embeddings=hf.get("tie_word_embeddings", True),
            lm_head=cls.head,
            lm_head_bias=cls.head == "mlm",
            pad_token_id=hf.get("pad_token_id"),
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=hf.get("eos_token_id"),
            mask_token_id=hf.get("mask_token_id"),  # usually absent: the loader asks the tokenizer
        )

    @classmethod
    def weights(cls, tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = _layer_norm_names(strip_prefix(tensors, ("bert.",)))
        sd = {
            "embed.W_E": take(t, "embeddings.word_embeddings.weight"),
            "pos_embed.W_pos": take(t, "embeddings.position_embeddings.weight"),
            "ln_embed.w": take(t, "embeddings.LayerNorm.weight"),
            "ln_embed.b": take(t, "embeddings.LayerNorm.bias"),
        }
        if cfg.token_types:
            sd["token_type_embed.weight"] = take(t, "embeddings.token_type_embeddings.weight")
        for i in range(cfg.n_layers):
            p, o = f"encoder.layer.{i}.", f"blocks.{i}."
            for ours, theirs in LAYER.items():
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


@register("BertForMaskedLM")
class BertMaskedLM(Bert):
    architecture = "BertForMaskedLM"
    head = "mlm"

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        p = "cls.predictions."
        sd = {
            "mlm_head.dense.weight": take(t, p + "transform.dense.weight"),
            "mlm_head.dense.bias": take(t, p + "transform.dense.bias"),
            "mlm_head.ln.w": take(t, p + "transform.LayerNorm.weight"),
            "mlm_head.ln.b": take(t, p + "transform.LayerNorm.bias"),
        }
        # forward adds decoder.bias; tied checkpoints store it once, as cls.predictions.bias
        bias_name = p + "decoder.bias" if p + "decoder.bias" in t else p + "bias"
        sd["unembed.b_U"] = take(t, bias_name)
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, p + "decoder.weight")
        return sd
