"""`gemma`, `gemma2`, `gemma3` GGUF files (text models).

llama.cpp stores every RMSNorm weight as w + 1 (its norm multiplies by the weight, Gemma's by
1 + w); we subtract the 1 again. Embeddings are always tied; Q/K rows are not permuted.
Where llama.cpp hard-codes a value the file does not state (Gemma 3's local RoPE base 10000
and one global layer in 6; the attention scale), we use llama.cpp's value.
"""
from __future__ import annotations

import torch

from .arch import register, rope_scaling
from .llama import Llama
from .reader import Contents


@register
class Gemma(Llama):
    names = ("gemma",)
    hf_architecture = "GemmaForCausalLM"
    PERMUTED_QK = False
    TOP = {"token_embd": "model.embed_tokens", "output_norm": "model.norm"}
    LARGE_LAYERS = None  # llama.cpp's "27B" layer count, whose attention scale is d_model / n_heads

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        for key in ("attention_bias", "mlp_bias"):
            hf.pop(key)
        hf.update(hidden_act="gelu_pytorch_tanh", tie_word_embeddings=True,
                  attention_bias="blk.0.attn_q.bias" in c.names)
        return hf

    def query_pre_attn_scalar(self, hf: dict) -> float:
        if hf["num_hidden_layers"] == self.LARGE_LAYERS:
            return hf["hidden_size"] // hf["num_attention_heads"]
        return hf["head_dim"]

    def fix_tensor(self, hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
        return t - 1 if hf_name.endswith("norm.weight") else t


@register
class Gemma2(Gemma):
    names = ("gemma2",)
    hf_architecture = "Gemma2ForCausalLM"
    BLOCK = {**Llama.BLOCK, "post_attention_norm": "post_attention_layernorm",
             "ffn_norm": "pre_feedforward_layernorm", "post_ffw_norm": "post_feedforward_layernorm"}
    LARGE_LAYERS = 46

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        n = hf["num_hidden_layers"]
        hf["hidden_activation"] = hf.pop("hidden_act")  # Gemma 2/3 configs name it so
        hf.update(
            attn_logit_softcapping=c.key("attn_logit_softcapping", None),
            final_logit_softcapping=c.key("final_logit_softcapping", None),
            sliding_window=c.key("attention.sliding_window", None),
            query_pre_attn_scalar=self.query_pre_attn_scalar(hf),
            layer_types=["sliding_attention" if i % 2 == 0 else "full_attention" for i in range(n)],
        )
        return hf


@register
class Gemma3(Gemma2):
    names = ("gemma3",)
    hf_architecture = "Gemma3ForCausalLM"
    BLOCK = {**Gemma2.BLOCK, "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm"}
    LARGE_LAYERS = 62
    GLOBAL_EVERY = 6  # llama.cpp: set_swa_pattern(6)
    LOCAL_THETA = 10000.0  # llama.cpp: rope_freq_base_train_swa

    def rope(self, c: Contents, head_dim: int) -> dict:
        full = {"rope_type": "default", "rope_theta": float(c.key("rope.freq_base", 1_000_000.0))}
        full.update(rope_scaling(c))  # llama.cpp scales only the global layers
        return {"full_attention": full, "sliding_attention": {"rope_type": "default", "rope_theta": self.LOCAL_THETA}}

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        n, every = hf["num_hidden_layers"], self.GLOBAL_EVERY
        window = c.key("attention.sliding_window", None)
        hf.update(
            layer_types=["full_attention" if window is None or (i + 1) % every == 0 else "sliding_attention"
                         for i in range(n)],
            use_bidirectional_attention=False,
        )
        return hf
