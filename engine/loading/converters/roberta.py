"""RobertaModel / RobertaForMaskedLM / RobertaForSequenceClassification: BERT with positions offset
by padding_idx and its own heads (transformers' modular_roberta subclasses BERT the same way).

Positions: the k-th non-pad token reads row padding_idx + k of the position table, a pad token
row padding_idx (create_position_ids_from_input_ids), so max_position_embeddings − padding_idx − 1
tokens fit. The LM head is dense + GELU (always the exact GELU) + layer_norm + the tied decoder
with its bias; the classification head is dense, tanh, out_proj on <s>.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register
from .bert import Bert, BertClassifier, decoder_weights, linear, norm
from .classify import Classifier


@register("RobertaModel")
class Roberta(Bert):
    architecture = "RobertaModel"
    PREFIXES = ("roberta.",)
    USED = Bert.USED | {"pad_token_id"}  # the position ids count from it

    @classmethod
    def fields(cls, hf: dict) -> dict:
        f = super().fields(hf)
        pad = hf.get("pad_token_id")
        if not isinstance(pad, int) or pad < 0:
            raise UnsupportedArchitecture(f"{cls.architecture} needs pad_token_id (its positions start after it), not {pad!r}")
        n_pos = hf.get("max_position_embeddings", 512)
        return {**f, "pos_skip_pad": True, "pos_offset": pad + 1, "n_ctx": n_pos - pad - 1}


@register("RobertaForMaskedLM")
class RobertaMaskedLM(Roberta):
    architecture = "RobertaForMaskedLM"
    head = "mlm"

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), "head_activation": "gelu"}  # RobertaLMHead calls gelu, not hidden_act

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "mlm_head.dense", "lm_head.dense")
        norm(sd, t, "mlm_head.ln", "lm_head.layer_norm")
        sd.update(decoder_weights(t, cfg, "lm_head.decoder", "lm_head.bias"))
        return sd


@register("RobertaForSequenceClassification")
class RobertaClassifier(BertClassifier, Roberta):
    """dense, tanh, out_proj on <s> (RobertaClassificationHead)."""

    architecture = "RobertaForSequenceClassification"
    USED = Roberta.USED | Classifier.USED

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "classifier.dense", "classifier.dense")
        linear(sd, t, "classifier.out", "classifier.out_proj")
        return sd
