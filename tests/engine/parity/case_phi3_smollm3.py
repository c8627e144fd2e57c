"""Phi3ForCausalLM (fused qkv / gate_up weights, partial rotary, LongRoPE) and SmolLM3ForCausalLM
(NoPE layers). LongRoPE's original length is 16: the 24-token prompt crosses it in one forward,
the 12-token prompt + 20 greedy tokens while decoding."""
from __future__ import annotations

from .case_llama_rope import LONG_PROMPT
from .cases import VOCAB, case, random_hf

TINY = dict(vocab_size=VOCAB, bos_token_id=1, eos_token_id=2, pad_token_id=0, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2)


@case("Phi3ForCausalLM", "partial-rotary")
def phi3():
    return random_hf("Phi3ForCausalLM", "Phi3Config", **TINY, max_position_embeddings=64,
                     rope_parameters={"rope_type": "default", "rope_theta": 5000.0, "partial_rotary_factor": 0.5})


def _phi3_longrope():
    """d_head 8, half of it rotates: two frequencies, so two short and two long factors."""
    return random_hf("Phi3ForCausalLM", "Phi3Config", **TINY, max_position_embeddings=64,
                     original_max_position_embeddings=16,
                     rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
                                      "short_factor": [1.0, 1.7], "long_factor": [2.5, 9.0]})


case("Phi3ForCausalLM", "longrope")(_phi3_longrope)
case("Phi3ForCausalLM", "longrope-long", prompt=LONG_PROMPT)(_phi3_longrope)


@case("SmolLM3ForCausalLM", "nope-interval")
def smollm3():
    """3 layers, every 2nd without rotation: layer 1 is NoPE."""
    return random_hf("SmolLM3ForCausalLM", "SmolLM3Config", **{**TINY, "num_hidden_layers": 3},
                     max_position_embeddings=64, no_rope_layer_interval=2,
                     rope_parameters={"rope_type": "default", "rope_theta": 5000.0})


@case("SmolLM3ForCausalLM", "nope-first-layer")
def smollm3_listed():
    return random_hf("SmolLM3ForCausalLM", "SmolLM3Config", **TINY, max_position_embeddings=64,
                     no_rope_layers=[0, 1], tie_word_embeddings=False,
                     rope_parameters={"rope_type": "default", "rope_theta": 5000.0})
