"""`llama` GGUF files (Llama 1-3.x, SmolLM/SmolLM2, TinyLlama, older Mistral): the base entry.

llama.cpp stores Q and K with their rows permuted (its RoPE pairs neighbouring dimensions,
Hugging Face's pairs the two halves); `unpermute_rows` undoes that as transformers' loader does.
Llama 3.1/3.2 files carry their RoPE scaling as a `rope_freqs` tensor (one divisor per
frequency) instead of metadata; `llama3_from_rope_freqs` recovers the `llama3` rope parameters
that give exactly those divisors (the type transformers and model cards name); divisors that
follow no such rule are passed on as they are (rope type `freq_factors`, llama.cpp's own maths).
"""
from __future__ import annotations

import math

import torch

from ...errors import ModelLoadError
from .arch import GGUFArchitecture, register, rope_scaling, same_heads_everywhere, unpermute_rows
from .reader import Contents


def llama3_divisors(inv_freq: torch.Tensor, factor: float, low: float, high: float, orig: float) -> torch.Tensor:
    """llama.cpp's `rope_freqs` for Llama 3 rope parameters (convert_hf_to_gguf.py's rule)."""
    wavelen = 2 * math.pi / inv_freq
    smooth = ((orig / wavelen - low) / (high - low)).clamp(0, 1)  # 1 above high_freq, 0 below low_freq
    return 1 / ((1 - smooth) / factor + smooth)


def llama3_from_rope_freqs(divisors: torch.Tensor, theta: float, rotated: int, orig_hint=None) -> dict:
    """The `llama3` rope parameters whose divisors are `divisors` ({} when they are all 1; the
    divisors themselves as `freq_factors` when no Llama 3 rule gives them)."""
    d = divisors.double().flatten()
    if d.numel() != rotated // 2:
        raise ModelLoadError(f"this GGUF's rope_freqs has {d.numel()} values, expected {rotated // 2}")
    if torch.allclose(d, torch.ones_like(d)):
        return {}
    inv_freq = 1.0 / theta ** (torch.arange(0, rotated, 2, dtype=torch.float64) / rotated)
    factor = float(d.max())
    candidates = [(1.0, 4.0, float(o)) for o in (orig_hint, 8192) if o]
    smooth_idx = (d > 1 + 1e-6) & (d < factor - 1e-6)
    if smooth_idx.sum() >= 2:  # fit smooth = A * inv_freq + B on the smoothed band
        s = (1 / d[smooth_idx] - 1 / factor) / (1 - 1 / factor)
        x = inv_freq[smooth_idx]
        A = float(((x - x.mean()) * (s - s.mean())).sum() / ((x - x.mean()) ** 2).sum())
        B = float(s.mean() - A * x.mean())
        if B < 0 < A:  # low = 1: (high - low) = -1/B, orig = 2*pi*A*(high - low)
            span = -1 / B
            candidates.append((1.0, 1.0 + span, 2 * math.pi * A * span))
    for low, high, orig in candidates:
        if torch.allclose(llama3_divisors(inv_freq, factor, low, high, orig), d, rtol=1e-4, atol=1e-6):
            return {"rope_type": "llama3", "factor": factor, "low_freq_factor": low, "high_freq_factor": high,
                    "original_max_position_embeddings": int(round(orig)) if abs(orig - round(orig)) < 1e-3 else orig}
    return {"rope_type": "freq_factors", "freq_factors": d.tolist()}  # the divisors as they are


@register
class Llama(GGUFArchitecture):
    names = ("llama",)
    hf_architecture = "LlamaForCausalLM"
    TOP = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
    BLOCK = {
        "attn_q": "self_attn.q_proj",
        "attn_k": "self_attn.k_proj",
        "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj",
        "ffn_gate": "mlp.gate_proj",
        "ffn_up": "mlp.up_proj",
        "ffn_down": "mlp.down_proj",
        "attn_norm": "input_layernorm",
        "ffn_norm": "post_attention_layernorm",
    }
    CONSUMED = frozenset({"rope_freqs.weight"})
    PERMUTED_QK = True  # llama.cpp's LLAMA rope is the interleaved kind: Q/K rows were permuted
    PARTIAL_ROTARY = False  # whether rotating fewer dims than a head has maps to a config option
    NORM_EPS = ("attention.layer_norm_rms_epsilon", "rms_norm_eps")  # (GGUF key, Hugging Face key)

    def head_dim(self, c: Contents) -> int:
        d, h = c.key("embedding_length"), c.key("attention.head_count")
        return int(c.key("attention.key_length", None) or c.key("rope.dimension_count", None) or d // h)

    def rope(self, c: Contents, head_dim: int) -> dict:
        """transformers-5 `rope_parameters` from the metadata and any `rope_freqs` tensor."""
        theta = float(c.key("rope.freq_base", 10000.0))
        rotated = int(c.key("rope.dimension_count", head_dim))
        params = {"rope_type": "default", "rope_theta": theta}
        if rotated != head_dim:
            if not self.PARTIAL_ROTARY:
                raise ModelLoadError(
                    f"this GGUF rotates {rotated} of {head_dim} dimensions per head (partial RoPE), "
                    f"which the {c.arch} architecture does not have"
                )
            params["partial_rotary_factor"] = rotated / head_dim
        scaled = rope_scaling(c)
        if "rope_freqs.weight" in c.names:
            if scaled:
                raise ModelLoadError("this GGUF has both rope_freqs and a RoPE scaling type; the playground "
                                     "does not implement the two together")
            divisors = c.tensor("rope_freqs.weight")
            if divisors is None:  # header only: the type is known, its values are read at load
                scaled = {"rope_type": "freq_factors", "freq_factors": [1.0] * (rotated // 2)}
            else:
                scaled = llama3_from_rope_freqs(divisors, theta, rotated,
                                                c.key("rope.scaling.original_context_length", None))
        params.update(scaled)
        return params

    def hf_config(self, c: Contents) -> dict:
        n_heads = int(same_heads_everywhere(c, "attention.head_count"))
        head_dim = self.head_dim(c)
        tokens = c.meta.get("tokenizer.ggml.tokens") or []
        return {
            "architectures": [self.hf_architecture],
            "hidden_size": c.key("embedding_length"),
            "num_hidden_layers": c.key("block_count"),
            "num_attention_heads": n_heads,
            "num_key_value_heads": int(same_heads_everywhere(c, "attention.head_count_kv", n_heads)),
            "head_dim": head_dim,
            "intermediate_size": c.key("feed_forward_length"),
            "max_position_embeddings": c.key("context_length"),
            "rope_parameters": self.rope(c, head_dim),
            self.NORM_EPS[1]: c.key(self.NORM_EPS[0]),
            "vocab_size": c.key("vocab_size", None) or len(tokens),
            "tie_word_embeddings": "output.weight" not in c.names,
            "attention_bias": "blk.0.attn_q.bias" in c.names,
            "mlp_bias": "blk.0.ffn_up.bias" in c.names,
            "hidden_act": "silu",
            "bos_token_id": c.meta.get("tokenizer.ggml.bos_token_id"),
            "eos_token_id": c.meta.get("tokenizer.ggml.eos_token_id"),
            "pad_token_id": c.meta.get("tokenizer.ggml.padding_token_id"),
        }

    def fix_tensor(self, hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
        if not self.PERMUTED_QK:
            return t
        if ".q_proj." in hf_name:
            return unpermute_rows(t, hf["num_attention_heads"])
        if ".k_proj." in hf_name:
            return unpermute_rows(t, hf["num_key_value_heads"])
        return t
