"""LlamaForCausalLM with each RoPE scaling type (engine/models/rope.py).

dynamic and longrope change their frequencies past an original length of 16 positions: the
12-token prompt + 20 greedy tokens cross it during decoding (keys cached before keep their
rotation, on both sides), and the "-long" cases' 24-token prompt crosses it in one forward.
"""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

LONG_PROMPT = (5, 17, 33, 2, 9, 41, 8, 60, 23, 71, 12, 4, 30, 7, 52, 11, 6, 19, 44, 3, 28, 65, 14, 50)


def llama_with(rope: dict, max_positions: int = 64, **extra):
    return random_hf("LlamaForCausalLM", "LlamaConfig", vocab_size=VOCAB, max_position_embeddings=max_positions,
                     hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
                     num_key_value_heads=2, tie_word_embeddings=False, rope_parameters=rope, **extra)


@case("LlamaForCausalLM", "rope-linear")
def linear():
    return llama_with({"rope_type": "linear", "rope_theta": 5000.0, "factor": 2.5})


def _dynamic():
    return llama_with({"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 3.0}, max_positions=16)


case("LlamaForCausalLM", "rope-dynamic")(_dynamic)
case("LlamaForCausalLM", "rope-dynamic-long", prompt=LONG_PROMPT)(_dynamic)


@case("LlamaForCausalLM", "rope-yarn")
def yarn():
    return llama_with({"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                       "original_max_position_embeddings": 16})


@case("LlamaForCausalLM", "rope-yarn-mscale")
def yarn_mscale():
    """mscale / mscale_all_dim set the attention factor; other betas; no truncation of the ramp."""
    return llama_with({"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                       "original_max_position_embeddings": 16, "mscale": 2.0, "mscale_all_dim": 1.0,
                       "beta_fast": 16.0, "beta_slow": 2.0, "truncate": False})


@case("LlamaForCausalLM", "rope-yarn-attention-factor")
def yarn_attention_factor():
    return llama_with({"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                       "original_max_position_embeddings": 16, "attention_factor": 1.3})


@case("LlamaForCausalLM", "rope-llama3")
def llama3():
    """original 64: wavelengths 6.3 (kept), 63 (smoothed), 628 and 6283 (divided by the factor)."""
    return llama_with({"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0, "low_freq_factor": 1.0,
                       "high_freq_factor": 4.0, "original_max_position_embeddings": 64}, max_positions=256)


def _longrope():
    return llama_with({"rope_type": "longrope", "rope_theta": 10000.0, "original_max_position_embeddings": 16,
                       "short_factor": [1.0, 1.3, 2.1, 3.5], "long_factor": [1.2, 2.5, 6.0, 11.0]})


case("LlamaForCausalLM", "rope-longrope")(_longrope)
case("LlamaForCausalLM", "rope-longrope-long", prompt=LONG_PROMPT)(_longrope)
