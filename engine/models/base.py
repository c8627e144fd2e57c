"""What every family shares: named hook points, an unembedding, parameter count."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint, name_hooks


class Unembed(nn.Module):
    """logits = h · W_Uᵀ (+ b). A tied model passes its embedding table as the weight."""

    def __init__(self, cfg: ModelConfig, tied: bool):
        super().__init__()
        self.tied = tied
        if not tied:
            self.W_U = nn.Parameter(torch.empty(cfg.vocab_size, cfg.d_embed))  # [vocab, d_embed (= d_model but in OPT-350m)]
        self.b_U = nn.Parameter(torch.zeros(cfg.vocab_size)) if cfg.lm_head_bias else None

    def forward(self, x: torch.Tensor, tied_weight: torch.Tensor | None = None) -> torch.Tensor:
        w = tied_weight if self.tied else self.W_U
        return F.linear(x, w, self.b_U)  # [batch, pos, vocab]


def logits_hook() -> HookPoint:
    return HookPoint(
        "logits = final hidden state · W_Uᵀ: one score per vocabulary token",
        ("batch", "pos", "vocab"),
    )


class TransformerModel(nn.Module):
    """Base class: call finalize() at the end of __init__ to name hooks."""

    cfg: ModelConfig
    hook_points: dict[str, HookPoint]

    def finalize(self, stacks: dict[str, nn.Module]) -> None:
        self.hook_points = name_hooks(self)
        for prefix, stack in stacks.items():
            stack.link_inputs(prefix)

    def tie_weights(self) -> None:
        """Re-share parameters that the checkpoint stores once (after loading or moving)."""

    def init_buffers(self) -> None:
        """Recompute derived tables (RoPE, sinusoidal) after building on the meta device."""
        for m in self.modules():
            if m is not self and hasattr(m, "init_buffers"):
                m.init_buffers()

    def kv_head_of_head(self) -> list[int]:
        rep = self.cfg.n_heads // self.cfg.n_kv_heads
        return [h // rep for h in range(self.cfg.n_heads)]

    def n_params(self) -> int:
        seen, total = set(), 0
        for p in self.parameters():
            if id(p) not in seen:
                seen.add(id(p))
                total += p.numel()
        return total

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def dtype(self) -> torch.dtype:
        return next(self.parameters()).dtype
