"""Falcon parity cases: Falcon-7B's parallel block with multi-query attention, Falcon-40B's
new_decoder_architecture (grouped kv, two parallel norms, or one), a sequential block with biases."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

FALCON = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
              max_position_embeddings=64, ffn_hidden_size=48, rope_theta=5000.0, bos_token_id=1, eos_token_id=1)


@case("FalconForCausalLM", "parallel_multi_query")
def falcon_7b():
    return random_hf("FalconForCausalLM", "FalconConfig", **FALCON, multi_query=True, parallel_attn=True)


@case("FalconForCausalLM", "new_arch_grouped_two_norms")
def falcon_40b():
    return random_hf("FalconForCausalLM", "FalconConfig", **FALCON, new_decoder_architecture=True,
                     num_kv_heads=2, tie_word_embeddings=False)


@case("FalconForCausalLM", "new_arch_one_norm_bias")
def falcon_new_one_norm():
    return random_hf("FalconForCausalLM", "FalconConfig", **FALCON, new_decoder_architecture=True,
                     num_kv_heads=2, num_ln_in_parallel_attn=1, bias=True)


@case("FalconForCausalLM", "sequential_multi_head_bias")
def falcon_sequential():
    return random_hf("FalconForCausalLM", "FalconConfig", **FALCON, multi_query=False, parallel_attn=False,
                     bias=True, activation="gelu_pytorch_tanh")
