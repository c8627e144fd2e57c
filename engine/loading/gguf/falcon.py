"""`falcon` GGUF files (Falcon 7B/40B/180B, Falcon2 11B): parallel attention + MLP, LayerNorm,
NeoX RoPE over whole heads, a fused qkv matrix.

llama.cpp's converter reorders Falcon's query_key_value rows (per kv group: that group's query
heads, its key head, its value head) into all query heads, then all key heads, then all value
heads ("jploski" layout); `fix_tensor` restores the grouped order. The wiring follows from the
file: a second norm (`attn_norm_2`) or grouped kv heads mean new_decoder_architecture (two norms,
or one; with two, gguf's name map makes `attn_norm` ln_mlp and `attn_norm_2` ln_attn, and
llama.cpp's graph feeds them so); one kv head and one norm is Falcon-7B's multi-query layout, the only
one transformers' GGUF loader reads right (it has no Falcon tensor fix and no way to set
new_decoder_architecture). Linear layers have no biases in llama.cpp's Falcon: a bias tensor is
refused as unknown. Embeddings are tied unless the file has `output`.
"""
from __future__ import annotations

import torch

from ...errors import ModelLoadError
from .arch import GGUFArchitecture, register
from .reader import Contents


def grouped_qkv(w: torch.Tensor, n_heads: int, n_kv: int) -> torch.Tensor:
    """[Q heads; K heads; V heads] rows -> Falcon's [per kv group: rep Q heads, K, V] rows."""
    d_head = w.shape[0] // (n_heads + 2 * n_kv)
    rest = w.shape[1:]
    q = w[: n_heads * d_head].reshape(n_kv, n_heads // n_kv, d_head, *rest)  # [group, rep, d_head, ...]
    k = w[n_heads * d_head: (n_heads + n_kv) * d_head].reshape(n_kv, 1, d_head, *rest)  # [group, 1, d_head, ...]
    v = w[(n_heads + n_kv) * d_head:].reshape(n_kv, 1, d_head, *rest)
    return torch.cat([q, k, v], dim=1).reshape(w.shape)  # [group, rep + 2, d_head, ...] -> rows


@register
class Falcon(GGUFArchitecture):
    names = ("falcon",)
    hf_architecture = "FalconForCausalLM"
    LAYERS = "transformer.h"
    TOP = {"token_embd": "transformer.word_embeddings", "output_norm": "transformer.ln_f", "output": "lm_head"}
    BLOCK = {"attn_norm": "input_layernorm", "attn_norm_2": "ln_attn",
             "attn_qkv": "self_attention.query_key_value", "attn_output": "self_attention.dense",
             "ffn_up": "mlp.dense_h_to_4h", "ffn_down": "mlp.dense_4h_to_h"}

    BIASED = frozenset({"attn_norm", "attn_norm_2", "output_norm"})  # llama.cpp's converter cannot write
    # a Falcon with linear biases (its qkv reshape fails on them), so such a tensor is refused as unknown

    def hf_config(self, c: Contents) -> dict:
        layout = c.key("tensor_data_layout", "jploski")
        if layout != "jploski":
            raise ModelLoadError(f"this GGUF's falcon.tensor_data_layout is {layout!r}; only 'jploski' is known")
        n_heads = int(c.key("attention.head_count"))
        n_kv = int(c.key("attention.head_count_kv", 1))
        two_norms = "blk.0.attn_norm_2.weight" in c.names
        new = two_norms or n_kv > 1
        tokens = c.meta.get("tokenizer.ggml.tokens") or []
        return {
            "architectures": [self.hf_architecture],
            "hidden_size": c.key("embedding_length"),
            "num_hidden_layers": c.key("block_count"),
            "num_attention_heads": n_heads,
            "num_kv_heads": n_kv,
            "new_decoder_architecture": new,
            "multi_query": not new,  # read only without new_decoder_architecture: one kv head
            "num_ln_in_parallel_attn": (2 if two_norms else 1) if new else None,
            "parallel_attn": True,  # llama.cpp's Falcon graph is always parallel
            "bias": False,
            "alibi": False,
            "ffn_hidden_size": c.key("feed_forward_length"),
            "max_position_embeddings": c.key("context_length"),
            "rope_parameters": {"rope_type": "default", "rope_theta": float(c.key("rope.freq_base", 10000.0))},
            "layer_norm_epsilon": c.key("attention.layer_norm_epsilon"),
            "activation": "gelu",
            "vocab_size": c.key("vocab_size", None) or len(tokens),
            "tie_word_embeddings": "output.weight" not in c.names,
            "bos_token_id": c.meta.get("tokenizer.ggml.bos_token_id"),
            "eos_token_id": c.meta.get("tokenizer.ggml.eos_token_id"),
        }

    def fix_tensor(self, hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
        if hf_name.endswith(".query_key_value.weight"):
            return grouped_qkv(t, hf["num_attention_heads"], hf["num_kv_heads"])
        return t

    def finish(self, tensors: dict[str, torch.Tensor], hf: dict) -> dict[str, torch.Tensor]:
        if hf["num_ln_in_parallel_attn"] == 2:  # with two norms, attn_norm is the MLP's (llama.cpp's map)
            tensors = {k.replace(".input_layernorm.", ".ln_mlp."): v for k, v in tensors.items()}
        return tensors
