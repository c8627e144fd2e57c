"""AlbertModel / AlbertForMaskedLM: BERT with factorised embeddings and cross-layer sharing.

Embeddings (word, position, segment, LayerNorm) are embedding_size wide; the encoder's
embedding_hidden_mapping_in (a Linear with a bias, present even when the widths are equal) maps
them to hidden_size. The checkpoint stores num_hidden_groups layers (usually ONE) and layer i runs
group int(i / (num_hidden_layers / num_hidden_groups)); we still build every layer, so each
records its own hook points, with its parameters pointing at its group's tensors (ModelConfig
.shared_layers). The MLM head is dense (hidden -> embedding_size) + hidden_act + LayerNorm, then
the tied decoder with its bias.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register
from .bert import Bert, decoder_weights, linear, norm

LAYER = {
    "attn.W_Q": "attention.query",
    "attn.W_K": "attention.key",
    "attn.W_V": "attention.value",
    "attn.W_O": "attention.dense",
    "mlp.W_in": "ffn",
    "mlp.W_out": "ffn_output",
}
LAYER_NORMS = {"ln1": "attention.LayerNorm", "ln2": "full_layer_layer_norm"}


def groups_of(hf: dict, arch: str) -> list[int]:
    """Per layer, the first layer of its group: [0, 0, 0, 0] for one group of 4 layers."""
    n, g = hf["num_hidden_layers"], hf.get("num_hidden_groups", 1)
    if not isinstance(g, int) or not 1 <= g <= max(n, 1):
        raise UnsupportedArchitecture(f"{arch} with num_hidden_groups={g!r}: must be 1..num_hidden_layers ({n})")
    group = [int(i / (n / g)) for i in range(n)]  # transformers' AlbertTransformer.forward
    return [group.index(group[i]) for i in range(n)]


@register("AlbertModel")
class Albert(Bert):
    architecture = "AlbertModel"
    PREFIXES = ("albert.",)
    LAYER, LAYER_NORMS = LAYER, LAYER_NORMS
    USED = Bert.USED | {"embedding_size", "num_hidden_groups"}
    IGNORED = {"classifier_dropout_prob": "dropout is off at inference"}
    REFUSED = {
        "position_embedding_type": Bert.REFUSED["position_embedding_type"],
        "inner_group_num": ((1, None), "ALBERT with several layers inside each shared group is not supported"),
    }

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), "d_embed": hf.get("embedding_size") or hf["hidden_size"],
                "embed_factorised": True, "shared_layers": groups_of(hf, cls.architecture)}

    @classmethod
    def embedding_weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd = super().embedding_weights(t, cfg)
        linear(sd, t, "project_in", "encoder.embedding_hidden_mapping_in")
        return sd

    @classmethod
    def layer_weights(cls, t, cfg: ModelConfig, i: int) -> dict[str, torch.Tensor]:
        """Layer i gets its group's tensors (the same tensor objects for every layer of a group)."""
        group = sorted(set(cfg.shared_layers)).index(cfg.shared_layers[i])  # groups in layer order
        p, o = f"encoder.albert_layer_groups.{group}.albert_layers.0.", f"blocks.{i}."
        sd: dict[str, torch.Tensor] = {}
        for ours, theirs in cls.LAYER.items():
            linear(sd, t, o + ours, p + theirs)
        for ours, theirs in cls.LAYER_NORMS.items():
            norm(sd, t, o + ours, p + theirs)
        return sd


@register("AlbertForMaskedLM")
class AlbertMaskedLM(Albert):
    architecture = "AlbertForMaskedLM"
    head = "mlm"

    @staticmethod
    def head_weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        sd: dict[str, torch.Tensor] = {}
        linear(sd, t, "mlm_head.dense", "predictions.dense")
        norm(sd, t, "mlm_head.ln", "predictions.LayerNorm")
        sd.update(decoder_weights(t, cfg, "predictions.decoder", "predictions.bias"))
        return sd
