"""`qwen2` (Qwen2/2.5) and `qwen3` GGUF files: Llama's names, NeoX-style RoPE (no Q/K permutation)."""
from __future__ import annotations

from .arch import register
from .llama import Llama
from .reader import Contents


@register
class Qwen2(Llama):
    names = ("qwen2",)
    hf_architecture = "Qwen2ForCausalLM"
    PERMUTED_QK = False  # llama.cpp's QWEN2 uses the NeoX rotation, as Hugging Face does

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        for key in ("attention_bias", "mlp_bias"):  # Qwen2 always has q/k/v biases and no others
            hf.pop(key)
        if hf["head_dim"] == hf["hidden_size"] // hf["num_attention_heads"]:
            hf.pop("head_dim")  # Qwen2Config has no head_dim key
        n = hf["num_hidden_layers"]
        hf.update(use_sliding_window=False, sliding_window=None, max_window_layers=n,
                  layer_types=["full_attention"] * n)  # llama.cpp's qwen2 attends globally
        return hf


@register
class Qwen3(Qwen2):
    names = ("qwen3",)
    hf_architecture = "Qwen3ForCausalLM"
    BLOCK = {**Llama.BLOCK, "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm"}

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        hf["head_dim"] = self.head_dim(c)
        hf["attention_bias"] = "blk.0.attn_q.bias" in c.names
        return hf
