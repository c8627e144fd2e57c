"""Parallel-block families with partial / interleaved rotary: GPT-NeoX (Pythia), GPT-J, Phi-1/2,
StableLM — each with its characteristic options, and the sequential wiring where it has one."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

SMALL = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
             max_position_embeddings=64, bos_token_id=1, eos_token_id=1)


@case("GPTNeoXForCausalLM", "parallel_partial_rotary")
def neox_parallel():
    return random_hf("GPTNeoXForCausalLM", "GPTNeoXConfig", **SMALL, rotary_pct=0.5, rope_theta=5000.0)


@case("GPTNeoXForCausalLM", "sequential_no_attention_bias_tied")
def neox_sequential():
    return random_hf("GPTNeoXForCausalLM", "GPTNeoXConfig", **SMALL, use_parallel_residual=False,
                     attention_bias=False, tie_word_embeddings=True)


GPTJ = dict(vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4, bos_token_id=1, eos_token_id=1)


@case("GPTJForCausalLM", "partial_interleaved")
def gptj_partial():
    return random_hf("GPTJForCausalLM", "GPTJConfig", **GPTJ, rotary_dim=4)


@case("GPTJForCausalLM", "full_interleaved")
def gptj_full():
    return random_hf("GPTJForCausalLM", "GPTJConfig", **GPTJ, rotary_dim=8, n_inner=40)


@case("PhiForCausalLM", "parallel_partial_rotary_gqa")
def phi():
    return random_hf("PhiForCausalLM", "PhiConfig", **SMALL, num_key_value_heads=2, partial_rotary_factor=0.5)


@case("StableLmForCausalLM", "sequential_qkv_bias_gqa")
def stablelm():
    return random_hf("StableLmForCausalLM", "StableLmConfig", **SMALL, num_key_value_heads=2, use_qkv_bias=True,
                     partial_rotary_factor=0.5)


@case("StableLmForCausalLM", "parallel_residual")
def stablelm_parallel():
    return random_hf("StableLmForCausalLM", "StableLmConfig", **SMALL, num_key_value_heads=4, use_parallel_residual=True)
