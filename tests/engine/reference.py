"""Build small random reference models with `transformers` (test-only), saved as HF folders."""
from __future__ import annotations

from pathlib import Path

import torch


def perturb(model, seed: int = 0, scale: float = 0.05) -> None:
    """Random init leaves biases/norms at 0/1; perturb every parameter so all paths are tested."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * scale)


def save(model, folder: Path) -> Path:
    model.save_pretrained(folder, safe_serialization=True)
    return folder


def gpt2(folder: Path, **kw):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    cfg = GPT2Config(
        vocab_size=kw.get("vocab_size", 97), n_positions=64, n_embd=32, n_layer=2, n_head=4,
        attn_implementation="eager",
    )
    m = GPT2LMHeadModel(cfg).eval()
    perturb(m)
    save(m, folder)
    return m
