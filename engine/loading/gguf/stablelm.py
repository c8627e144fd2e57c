"""`stablelm` GGUF files (StableLM-2, StableLM-3B-4E1T, StableLM-Zephyr): Llama's names with
LayerNorm (weight and bias), NeoX RoPE over a part of each head (no Q/K permutation), optional
q/k/v biases, and a parallel residual when the file has no `ffn_norm` (transformers' rule too).
llama.cpp writes no RoPE base for it (its default 10000 is what it computes). Per-head q/k norms
(StableLM-2 12B) are passed on as `qk_layernorm`, which the converter refuses by name.
"""
from __future__ import annotations

from .arch import register
from .llama import Llama
from .reader import Contents


@register
class StableLm(Llama):
    names = ("stablelm",)
    hf_architecture = "StableLmForCausalLM"
    PERMUTED_QK = False
    PARTIAL_ROTARY = True
    NORM_EPS = ("attention.layer_norm_epsilon", "layer_norm_eps")
    BIASED = frozenset({"attn_norm", "ffn_norm", "output_norm", "attn_q", "attn_k", "attn_v"})  # LayerNorms, use_qkv_bias
    BLOCK = {**Llama.BLOCK, "attn_q_norm": "self_attn.q_layernorm", "attn_k_norm": "self_attn.k_layernorm"}

    def head_dim(self, c: Contents) -> int:
        return c.key("embedding_length") // c.key("attention.head_count")

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        for key in ("attention_bias", "mlp_bias", "head_dim"):
            hf.pop(key)
        rope = hf["rope_parameters"]
        rope.setdefault("partial_rotary_factor", 1.0)
        hf.update(
            partial_rotary_factor=rope["partial_rotary_factor"],
            use_qkv_bias="blk.0.attn_q.bias" in c.names,
            use_parallel_residual="blk.0.ffn_norm.weight" not in c.names,
            qk_layernorm="blk.0.attn_q_norm.weight" in c.names,
        )
        return hf
