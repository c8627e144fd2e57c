"""Parity cases of Mistral (sliding window on every layer) and Qwen2 (q/k/v biases, window from
max_window_layers on). Windows are shorter than the 12-token prompt, so they mask real keys, in the
prompt and in every cached decode step."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

SMALL = dict(vocab_size=VOCAB, max_position_embeddings=64, hidden_size=32, intermediate_size=48,
             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2)


@case("MistralForCausalLM", "sliding")
def mistral():
    return random_hf("MistralForCausalLM", "MistralConfig", **SMALL, head_dim=8, sliding_window=4)


@case("MistralForCausalLM", "full")
def mistral_full():
    return random_hf("MistralForCausalLM", "MistralConfig", **SMALL, head_dim=8, sliding_window=None)


@case("Qwen2ForCausalLM", "qkv-bias")
def qwen2():
    return random_hf("Qwen2ForCausalLM", "Qwen2Config", **SMALL, tie_word_embeddings=True)


@case("Qwen2ForCausalLM", "sliding")
def qwen2_sliding():
    return random_hf("Qwen2ForCausalLM", "Qwen2Config", **SMALL, use_sliding_window=True, sliding_window=5,
                     max_window_layers=1)
