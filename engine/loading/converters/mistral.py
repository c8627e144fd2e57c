"""MistralForCausalLM: Llama with a sliding attention window on every layer (`sliding_window`).

A query at position i attends to keys j with i − j < sliding_window (transformers' convention);
null means full causal attention, exactly Llama.
"""
from __future__ import annotations

from dataclasses import replace

from ...config import ModelConfig
from ..registry import register
from .llama import Llama


@register("MistralForCausalLM")
class Mistral(Llama):
    USED = Llama.USED | {"sliding_window"}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        cfg = Llama.config(hf)
        return replace(cfg, architecture="MistralForCausalLM", sliding_window=hf.get("sliding_window"))
