"""DistilBertModel / DistilBertForMaskedLM / DistilBertForSequenceClassification: BERT without
token types, with its own names (q_lin, sa_layer_norm, ffn.lin1, …), LayerNorm eps fixed at 1e-12.

The MLM head is vocab_transform + activation + vocab_layer_norm + vocab_projector (tied, with a
bias); the classifier is pre_classifier + ReLU + classifier on the first token.
`sinusoidal_pos_embds` only chooses how the position table is *initialised*: the table is a
parameter saved in the checkpoint (position_embeddings.weight), which we read as stored.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ..registry import register
from .bert import Bert, BertClassifier, check_activation, decoder_weights, linear, norm
from .classify import Classifier

LAYER = {
    "attn.W_Q": "attention.q_lin",
    "attn.W_K": "attention.k_lin",
    "attn.W_V": "attention.v_lin",
    "attn.W_O": "attention.out_lin",
    "mlp.W_in": "ffn.lin1",
    "mlp.W_out": "ffn.lin2",
}
LAYER_NORMS = {"ln1": "sa_layer_norm", "ln2": "output_layer_norm"}


@register("DistilBertModel")
class DistilBert(Bert):
    architecture = "DistilBertModel"
    PREFIXES = ("distilbert.",)
    LAYER, LAYER_NORMS = LAYER, LAYER_NORMS
    USED = {"vocab_size", "max_position_embeddings", "n_layers", "n_heads", "dim", "hidden_dim", "activation",
            "tie_word_embeddings"}
    IGNORED = {"sinusoidal_pos_embds": "initialisation only: the table is stored as position_embeddings.weight"}
    REFUSED: dict = {}

    @classmethod
    def fields(cls, hf: dict) -> dict:
        act = check_activation(hf.get("activation", "gelu"), cls.architecture)
        return {**super().fields({
            "vocab_size": hf["vocab_size"], "hidden_size": hf["dim"], "num_hidden_layers": hf["n_layers"],
            "num_attention_heads": hf["n_heads"], "intermediate_size": hf["hidden_dim"],
            "max_position_embeddings": hf.get("max_position_embeddings", 512), "layer_norm_eps": 1e-12,
            "type_vocab_size": 0, "hidden_act": act, "tie_word_embeddings": hf.get("tie_word_embeddings", True),
            "pad_token_id": hf.get("pad_token_id")})}

    @staticmethod
    def layer_prefix(i: int) -> str:
        return f"transformer.layer.{i}."


@register("DistilBertForMaskedLM")
class DistilBertMaskedLM(DistilBert):
    architecture = "DistilBertForMaskedLM"
    head = "mlm"

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "mlm_head.dense", "vocab_transform")
        norm(sd, t, "mlm_head.ln", "vocab_layer_norm")
        sd.update(decoder_weights(t, cfg, "vocab_projector", "vocab_projector.bias"))
        return sd


@register("DistilBertForSequenceClassification")
class DistilBertClassifier(BertClassifier, DistilBert):
    """pre_classifier + ReLU + classifier on the first token."""

    architecture = "DistilBertForSequenceClassification"
    POOLER = "relu"
    USED = DistilBert.USED | Classifier.USED
    IGNORED = DistilBert.IGNORED
    REFUSED = dict(Classifier.REFUSED)

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "classifier.dense", "pre_classifier")
        linear(sd, t, "classifier.out", "classifier")
        return sd
