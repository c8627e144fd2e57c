"""MBartForConditionalGeneration: BART made pre-norm, with a final LayerNorm on each stack.

As transformers' mBART: learned positions (offset 2), `layernorm_embedding`, each sub-layer's
LayerNorm before it, and `layer_norm` after the last layer of the encoder and of the decoder.
The target language is a token: mBART-50 starts the decoder from </s> and forces the language
code as the first generated token (forced_bos_token_id); mBART-cc25 starts from the code itself
(decoder_start_token_id). Both are generation settings, read from the folder as BART's are.
"""
from __future__ import annotations

from ..registry import register
from .bart import Bart


@register("MBartForConditionalGeneration")
class MBart(Bart):
    ARCH = "MBartForConditionalGeneration"
    FIXED_FLAGS = {
        "normalize_before": True,
        "add_final_layer_norm": True,
        "normalize_embedding": True,
        "layernorm_embedding": True,
        "static_position_embeddings": False,
        "add_bias_logits": False,
    }
    LAYOUT = "mBART is pre-norm, with learned positions, an embedding LayerNorm and final LayerNorms"
    USED = (Bart.USED - set(Bart.FIXED_FLAGS)) | set(FIXED_FLAGS)

    @classmethod
    def fields(cls, hf: dict) -> dict:
        return {**super().fields(hf), "norm_placement": "pre", "final_norm": True}
