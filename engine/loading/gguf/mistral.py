"""Mistral GGUF files: llama.cpp writes Mistral 7B (v0.1-v0.3) as `llama` files (its LlamaModel
converts MistralForCausalLM), with nothing but `general.name` to tell them apart; transformers'
GGUF loader reads such a file as MistralForCausalLM when its name is "mistral", and so do we
(any name containing "mistral"). llama.cpp's `llama` attends globally, so the window is None:
the numbers are Llama's either way, only the model's identity differs.
"""
from __future__ import annotations

from .arch import register
from .llama import Llama
from .reader import Contents


@register
class Mistral(Llama):
    names = ()  # not an architecture of its own
    variant_of = "llama"
    hf_architecture = "MistralForCausalLM"

    def matches(self, c: Contents) -> bool:
        return "mistral" in str(c.meta.get("general.name") or "").lower()

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        hf["sliding_window"] = None  # llama.cpp's `llama` graph has no window
        return hf
