"""BertModel / BertForMaskedLM / BertForSequenceClassification: post-norm encoder with word +
position + segment embeddings.

Every matrix is an nn.Linear ([out, in]) like ours, so the mapping is a plain rename.
BertModel has no head (its output is the last hidden state; the pooler is not used);
BertForMaskedLM adds dense + activation + LayerNorm and the tied decoder with its own bias;
BertForSequenceClassification adds the pooler (tanh(dense([CLS]))) and the classifier.
The BERT-like families (RoBERTa, DistilBERT, ALBERT, ELECTRA) subclass these classes and
change the names and options that differ.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ...models.activations import ACTIVATIONS
from ..registry import register, strip_prefix, take
from .classify import Classifier

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


def linear(sd: dict, t, ours: str, theirs: str, bias: bool = True) -> None:
    """Copy one nn.Linear (weight and bias) from the checkpoint's `theirs` to our `ours`."""
    sd[ours + ".weight"] = take(t, theirs + ".weight")
    if bias:
        sd[ours + ".bias"] = take(t, theirs + ".bias")


def norm(sd: dict, t, ours: str, theirs: str) -> None:
    sd[ours + ".w"] = take(t, theirs + ".weight")
    sd[ours + ".b"] = take(t, theirs + ".bias")


@register("BertModel")
class Bert:
    architecture = "BertModel"
    head = "none"
    PREFIXES = ("bert.",)  # the base model's name inside a model with a head
    EMBEDDINGS = "embeddings."
    LAYER, LAYER_NORMS = LAYER, LAYER_NORMS
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
        return ModelConfig(**cls.fields(hf))

    @classmethod
    def fields(cls, hf: dict) -> dict:
        """ModelConfig keyword arguments; a subclass updates the ones its family changes."""
        return dict(
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
        t = _layer_norm_names(strip_prefix(tensors, cls.PREFIXES))
        sd = cls.embedding_weights(t, cfg)
        for i in range(cfg.n_layers):
            sd.update(cls.layer_weights(t, cfg, i))
        sd.update(cls.head_weights(t, cfg))
        return sd

    @classmethod
    def embedding_weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        e = cls.EMBEDDINGS
        sd = {
            "embed.W_E": take(t, e + "word_embeddings.weight"),
            "pos_embed.W_pos": take(t, e + "position_embeddings.weight"),
        }
        norm(sd, t, "ln_embed", e + "LayerNorm")
        if cfg.token_types:
            sd["token_type_embed.weight"] = take(t, e + "token_type_embeddings.weight")
        return sd

    @classmethod
    def layer_weights(cls, t, cfg: ModelConfig, i: int) -> dict[str, torch.Tensor]:
        """Layer i's tensors, named blocks.{i}.…"""
        sd: dict[str, torch.Tensor] = {}
        p, o = cls.layer_prefix(i), f"blocks.{i}."
        for ours, theirs in cls.LAYER.items():
            linear(sd, t, o + ours, p + theirs)
        for ours, theirs in cls.LAYER_NORMS.items():
            norm(sd, t, o + ours, p + theirs)
        return sd

    @staticmethod
    def layer_prefix(i: int) -> str:
        return f"encoder.layer.{i}."

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
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "mlm_head.dense", p + "transform.dense")
        norm(sd, t, "mlm_head.ln", p + "transform.LayerNorm")
        sd.update(decoder_weights(t, cfg, p + "decoder", p + "bias"))
        return sd


def decoder_weights(t, cfg: ModelConfig, decoder: str, shared_bias: str) -> dict[str, torch.Tensor]:
    """The MLM decoder: forward adds decoder.bias; tied checkpoints may store it once, as `shared_bias`."""
    sd = {"unembed.b_U": take(t, decoder + ".bias" if decoder + ".bias" in t else shared_bias)}
    if not cfg.tie_embeddings:
        sd["unembed.W_U"] = take(t, decoder + ".weight")
    return sd


@register("BertForSequenceClassification")
class BertClassifier(Classifier, Bert):
    """The pooler tanh(dense([CLS])), then `classifier`: one score per id2label name."""

    architecture = "BertForSequenceClassification"
    USED = Bert.USED | Classifier.USED
    IGNORED = {"classifier_dropout": "dropout is off at inference"}
    REFUSED = {**Bert.REFUSED, **Classifier.REFUSED}

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), **cls.classifier_fields(hf, cls.architecture)}

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "classifier.dense", "pooler.dense")
        linear(sd, t, "classifier.out", "classifier")
        return sd
