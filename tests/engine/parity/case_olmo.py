"""Parity cases of OLMo (parameter-free LayerNorm, clip_qkv small enough to clamp) and OLMo-2
(norms on the sub-layer outputs, q/k RMSNorm over the whole projection)."""
from __future__ import annotations

from .case_mistral_qwen2 import SMALL
from .cases import case, random_hf


@case("OlmoForCausalLM", "clip-qkv")
def olmo():
    return random_hf("OlmoForCausalLM", "OlmoConfig", **SMALL, clip_qkv=0.3, pad_token_id=0, eos_token_id=3)


@case("OlmoForCausalLM", "no-clip")
def olmo_plain():
    return random_hf("OlmoForCausalLM", "OlmoConfig", **SMALL, attention_bias=True, pad_token_id=0,
                     eos_token_id=3)


@case("Olmo2ForCausalLM", "post-norm-qk-norm")
def olmo2():
    return random_hf("Olmo2ForCausalLM", "Olmo2Config", **SMALL, pad_token_id=0, eos_token_id=3)
