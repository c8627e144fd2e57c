"""Small random Llama reference models built offline with `transformers` (test-only)."""
from __future__ import annotations

from pathlib import Path

import torch

from .reference import perturb, save

VOCAB = 97


def llama_config(**kw):
    from transformers import LlamaConfig

    base = dict(
        vocab_size=VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
        rope_theta=5000.0, rms_norm_eps=1e-5, tie_word_embeddings=False,
        attn_implementation="eager",
    )
    base.update(kw)
    return LlamaConfig(**base)


def llama(folder: Path | None = None, seed: int = 0, **kw):
    """A perturbed random LlamaForCausalLM (GQA 4 heads / 2 kv heads, RoPE); saved if folder is given."""
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    m = LlamaForCausalLM(llama_config(**kw)).eval()
    perturb(m, seed=seed, scale=0.05)
    if folder is not None:
        save(m, folder)
    return m
