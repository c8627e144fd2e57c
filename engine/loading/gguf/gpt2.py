"""`gpt2` GGUF files: learned positions, LayerNorm with biases, a fused qkv matrix.

llama.cpp transposes GPT-2's Conv1D matrices to [out, in] and writes the tied embedding a
second time as `output.weight`; we transpose back, and keep one tied matrix when the copy is
the same (a quantised file may store the copy at another precision: then it stays separate).
"""
from __future__ import annotations

import numpy as np
import torch

from .arch import GGUFArchitecture, register
from .reader import Contents

_CONV1D = (".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight")


@register
class GPT2(GGUFArchitecture):
    names = ("gpt2",)
    hf_architecture = "GPT2LMHeadModel"
    LAYERS = "transformer.h"
    TOP = {"token_embd": "transformer.wte", "position_embd": "transformer.wpe",
           "output_norm": "transformer.ln_f", "output": "lm_head"}
    BLOCK = {"attn_norm": "ln_1", "attn_qkv": "attn.c_attn", "attn_output": "attn.c_proj",
             "ffn_norm": "ln_2", "ffn_up": "mlp.c_fc", "ffn_down": "mlp.c_proj"}

    def hf_config(self, c: Contents) -> dict:
        d = c.key("embedding_length")
        tokens = c.meta.get("tokenizer.ggml.tokens") or []
        return {
            "architectures": [self.hf_architecture],
            "n_embd": d,
            "n_layer": c.key("block_count"),
            "n_head": c.key("attention.head_count"),
            "n_inner": c.key("feed_forward_length", 4 * d),
            "n_positions": c.key("context_length"),
            "layer_norm_epsilon": c.key("attention.layer_norm_epsilon"),
            "activation_function": "gelu_new",  # llama.cpp's GPT-2 uses the tanh GELU
            "vocab_size": c.key("vocab_size", None) or len(tokens),
            "tie_word_embeddings": self.tied(c),
            "bos_token_id": c.meta.get("tokenizer.ggml.bos_token_id"),
            "eos_token_id": c.meta.get("tokenizer.ggml.eos_token_id"),
        }

    def fix_tensor(self, hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
        return t.T.contiguous() if hf_name.endswith(_CONV1D) else t  # [out, in] -> Conv1D's [in, out]

    @staticmethod
    def tied(c: Contents) -> bool:
        """No output.weight, or one whose stored bytes are the embedding's (no dequantising). From
        the header alone: the same stored type (llama.cpp writes the copy as is)."""
        if "output.weight" not in c.names:
            return True
        if c.types.get("output.weight") != c.types.get("token_embd.weight"):
            return False
        out, emb = c.raw("output.weight"), c.raw("token_embd.weight")
        return out is None or np.array_equal(out.data, emb.data)

    def finish(self, tensors: dict[str, torch.Tensor], hf: dict) -> dict[str, torch.Tensor]:
        if hf["tie_word_embeddings"]:
            tensors.pop("lm_head.weight", None)  # the same matrix as the embedding
        return tensors
