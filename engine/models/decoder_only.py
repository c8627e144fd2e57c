"""Decoder-only (GPT-2, Llama): masked self-attention stack + unembedding."""
from __future__ import annotations

import torch

from ..config import ModelConfig
from .base import TransformerModel, Unembed, logits_hook
from .kv_cache import KVCache
from .stack import Stack


class DecoderOnlyModel(Stack, TransformerModel):
    generates = True

    def __init__(self, cfg: ModelConfig):
        super().__init__(cfg, cfg.n_layers, causal=True)
        self.unembed = Unembed(cfg, tied=cfg.tie_embeddings)
        self.hook_logits = logits_hook()  # [batch, pos, vocab]
        last = "ln_final.hook_normalized" if cfg.final_norm else f"blocks.{cfg.n_layers - 1}.hook_resid_post"
        self.hook_logits.input_refs = ("hook_project_out",) if self.project_out is not None else (last,)
        self.finalize({"": self})

    def new_cache(self) -> KVCache:
        return KVCache(self.cfg.n_layers)

    def forward(
        self,
        ids: torch.Tensor,
        *,
        attention_mask: torch.Tensor | None = None,
        cache: KVCache | None = None,
        last_only: bool = False,
    ) -> torch.Tensor:
        """ids: [batch, pos] -> logits [batch, pos, vocab] (or [batch, 1, vocab] if last_only)."""
        h = Stack.forward(self, ids, attention_mask=attention_mask, cache=cache)
        if last_only:
            h = h[:, -1:]
        return self.hook_logits(self.unembed(h, self.embed.W_E))
