"""PegasusForConditionalGeneration: pre-norm, sinusoidal positions, final LayerNorms.

As transformers' Pegasus: the sinusoidal table laid out as Marian's (sines in the first half,
cosines in the second; computed, not read from the checkpoint), positions from 0, no embedding
LayerNorm, each sub-layer's LayerNorm before it and `layer_norm` after each stack's last layer.
The decoder starts from pad (decoder_start_token_id = 0).
"""
from __future__ import annotations

from ..registry import register
from .bart import PRE_NORM_SINUSOIDAL, Bart


@register("PegasusForConditionalGeneration")
class Pegasus(Bart):
    ARCH = "PegasusForConditionalGeneration"
    FIXED_FLAGS = PRE_NORM_SINUSOIDAL  # the layout flags every such checkpoint carries
    LAYOUT = "Pegasus is pre-norm, with sinusoidal positions, no embedding LayerNorm and final LayerNorms"
    USED = (Bart.USED - set(Bart.FIXED_FLAGS)) | set(FIXED_FLAGS)

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), "positional": "sinusoidal", "pos_offset": 0, "embed_norm": False,
                "norm_placement": "pre", "final_norm": True}
