"""ElectraModel / ElectraForMaskedLM (the generator): BERT with factorised embeddings.

The word, position and segment embeddings and their LayerNorm are embedding_size wide;
embeddings_project (a Linear with a bias) maps them to hidden_size (absent when the two are
equal). The MLM head, generator_predictions, is dense (hidden -> embedding_size) + GELU (always
GELU, whatever hidden_act says) + LayerNorm, then generator_lm_head (tied, with a bias).
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ..registry import register, take
from .bert import Bert, linear, norm

SUMMARY = "ElectraForMultipleChoice's sequence summary only"


@register("ElectraModel")
class Electra(Bert):
    architecture = "ElectraModel"
    PREFIXES = ("electra.",)
    USED = Bert.USED | {"embedding_size"}
    IGNORED = {k: SUMMARY for k in ("summary_type", "summary_use_proj", "summary_activation")}

    @classmethod
    def fields(cls, hf: dict) -> dict:
        d_embed = hf.get("embedding_size") or hf["hidden_size"]  # equal: no embeddings_project
        return {**super().fields(hf), "d_embed": d_embed, "embed_factorised": d_embed != hf["hidden_size"]}

    @classmethod
    def embedding_weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd = super().embedding_weights(t, cfg)
        if cfg.embed_factorised:
            linear(sd, t, "project_in", "embeddings_project")
        return sd


@register("ElectraForMaskedLM")
class ElectraMaskedLM(Electra):
    architecture = "ElectraForMaskedLM"
    head = "mlm"

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), "head_activation": "gelu"}  # ElectraGeneratorPredictions: get_activation("gelu")

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "mlm_head.dense", "generator_predictions.dense")
        norm(sd, t, "mlm_head.ln", "generator_predictions.LayerNorm")
        sd["unembed.b_U"] = take(t, "generator_lm_head.bias")
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "generator_lm_head.weight")
        return sd
