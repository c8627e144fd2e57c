"""M2M100ForConditionalGeneration (M2M-100 and the dense NLLB-200 checkpoints).

As transformers' M2M100: fairseq's sinusoidal positions (frequencies 10000^(−i/(d/2 − 1)), all
sines then all cosines; a non-pad token's row is pad + 1 + its index among the non-pad tokens,
a pad token's row is zero), embeddings × √d_model (scale_embedding), pre-norm layers, a final
LayerNorm on each stack, no final_logits_bias. The decoder starts from </s> and the target
language is forced as the first generated token (forced_bos_token_id). NLLB's mixture-of-experts
variant (NllbMoe) is refused by name in the registry.
"""
from __future__ import annotations

from ...errors import UnsupportedArchitecture
from ..registry import register
from .bart import PRE_NORM_SINUSOIDAL, Bart


@register("M2M100ForConditionalGeneration")
class M2M100(Bart):
    ARCH = "M2M100ForConditionalGeneration"
    FIXED_FLAGS = PRE_NORM_SINUSOIDAL  # the layout flags every such checkpoint carries
    LAYOUT = "M2M100 is pre-norm, with fairseq sinusoidal positions and final LayerNorms"
    USED = (Bart.USED - set(Bart.FIXED_FLAGS)) | set(FIXED_FLAGS)

    @classmethod
    def fields(cls, hf: dict) -> dict:
        pad = hf.get("pad_token_id")
        if pad is None:
            raise UnsupportedArchitecture(
                f"{cls.ARCH} without pad_token_id is not supported (its positions count from the pad id)")
        return {**super().fields(hf), "positional": "sinusoidal_fairseq", "pos_offset": 0, "pos_pad_id": pad,
                "embed_norm": False, "norm_placement": "pre", "final_norm": True, "lm_head_bias": False}
