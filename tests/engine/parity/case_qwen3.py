"""Parity cases of Qwen3: per-head q/k RMSNorm before RoPE (perturbed weights, so the norms count),
with attention biases, and with a window on the second layer."""
from __future__ import annotations

from .case_mistral_qwen2 import SMALL
from .cases import case, random_hf


@case("Qwen3ForCausalLM", "qk-norm")
def qwen3():
    return random_hf("Qwen3ForCausalLM", "Qwen3Config", **SMALL, head_dim=16, attention_bias=True)


@case("Qwen3ForCausalLM", "sliding")
def qwen3_sliding():
    return random_hf("Qwen3ForCausalLM", "Qwen3Config", **SMALL, head_dim=8, use_sliding_window=True,
                     sliding_window=4, max_window_layers=1, tie_word_embeddings=True)
