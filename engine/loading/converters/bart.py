"""BartForConditionalGeneration: Marian's layers plus learned positions and an embedding LayerNorm.

What transformers' BART does differently from Marian (modeling_bart.py), and we mirror:
- learned positions, stored with an offset: position p reads row p + 2 (BartLearnedPositionalEmbedding);
- `layernorm_embedding`: a LayerNorm of token embedding (× √d_model when scale_embedding) + position;
- post-norm layers, no final LayerNorm; logits = h · Eᵀ + final_logits_bias;
- generation: the decoder starts from decoder_start_token_id (</s>, 2), else from bos;
  forced_bos_token_id / forced_eos_token_id force the first token / the token at the length limit
  (read from generation_config.json when the folder has one, as transformers does).
"""
from __future__ import annotations

from ..registry import register
from .marian import Marian

# generation presets some checkpoints carry in config.json: our generate takes its own settings
PRESETS = {k: "a generation preset; the lab and `tplay generate` use their own settings"
           for k in ("num_beams", "max_length", "min_length", "length_penalty", "no_repeat_ngram_size",
                     "early_stopping", "prefix", "output_past", "num_labels")}


# Pegasus and M2M100/NLLB: pre-norm, final LayerNorms, static sinusoidal positions, no embedding norm
PRE_NORM_SINUSOIDAL = {
    "normalize_before": True,
    "add_final_layer_norm": True,
    "normalize_embedding": False,
    "layernorm_embedding": False,
    "static_position_embeddings": True,
    "add_bias_logits": False,
}

@register("BartForConditionalGeneration")
class Bart(Marian):
    ARCH = "BartForConditionalGeneration"
    FIXED_FLAGS = {
        "normalize_before": False,
        "add_final_layer_norm": False,
        "normalize_embedding": True,
        "layernorm_embedding": True,
        "static_position_embeddings": False,
        "add_bias_logits": False,
    }
    LAYOUT = "BART is post-norm, with learned positions, an embedding LayerNorm and no final LayerNorm"
    USED = (Marian.USED - set(Marian.FIXED_FLAGS)) | set(FIXED_FLAGS) | {"forced_bos_token_id",
                                                                          "forced_eos_token_id"}
    IGNORED = {
        **PRESETS,
        "extra_pos_embeddings": "legacy: transformers fixes the positions' offset by the class",
        "force_bos_token_to_be_generated": "legacy: transformers 5 reads forced_bos_token_id instead",
        "classif_dropout": "dropout is off at inference",
    }
    REFUSED = {"is_decoder": ((False, None), "a decoder used alone (…ForCausalLM) is not supported")}
    GENERATION_KEYS = ("decoder_start_token_id", "forced_bos_token_id", "forced_eos_token_id", "bad_words_ids")
    POS_OFFSET = 2  # BartLearnedPositionalEmbedding.offset

    @classmethod
    def fields(cls, hf: dict) -> dict:
        start = hf.get("decoder_start_token_id")
        return {
            **super().fields(hf),
            "positional": "learned",
            "pos_offset": cls.POS_OFFSET,
            "embed_norm": True,
            "norm_placement": "post",
            "final_norm": False,
            # transformers' generate starts from bos when the config names no decoder start
            "decoder_start_token_id": start if start is not None else hf.get("bos_token_id"),
            "forced_bos_token_id": hf.get("forced_bos_token_id"),
            "forced_eos_token_id": hf.get("forced_eos_token_id"),
        }
