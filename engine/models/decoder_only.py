"""Decoder-only (GPT-2, Llama): masked self-attention stack + unembedding."""
from __future__ import annotations

import torch

from ..config import ModelConfig
from ..hooks import HookPoint
from .components import soft_cap
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
        self.final_softcap = cfg.final_softcap
        if cfg.final_softcap is not None:  # hook_logits stays the model's logits: the capped ones
            c = f"{cfg.final_softcap:.4g}"
            self.hook_logits_uncapped = HookPoint(
                "raw logits = final hidden state · W_Uᵀ, before the final soft-cap", ("batch", "pos", "vocab"), list(self.hook_logits.input_refs)
            )  # [batch, pos, vocab]
            self.hook_logits.description = (
                f"logits = tanh(raw / {c}) · {c}: the raw logits soft-capped into (−{c}, {c})"
            )
            self.hook_logits.input_refs = ("hook_logits_uncapped",)
        self.finalize({"": self})

    def unembedding_weight(self) -> torch.Tensor | None:
        """The matrix the unembedding multiplies by (None when accelerate places it: not packed)."""
        if hasattr(self.unembed, "_hf_hook"):
            return None
        return self.embed.W_E if self.unembed.tied else self.unembed.W_U

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
        placed = hasattr(self.unembed, "_hf_hook")  # accelerate brings its weight in at each call: not packed
        packs = cache.__dict__.get("packs") if cache is not None and not placed else None  # set by the fast step
        logits = self.unembed(h, self.embed.W_E, packs)  # [batch, pos, vocab]
        if self.final_softcap is not None:
            logits = soft_cap(self.hook_logits_uncapped(logits), self.final_softcap)
        return self.hook_logits(logits)
