"""Encoder-only (BERT): bidirectional self-attention stack, optional masked-LM head."""
from __future__ import annotations

import torch
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint
from .activations import ACTIVATIONS
from .base import TransformerModel, Unembed, logits_hook
from .components import RESID, Norm
from .stack import Stack


class MLMHead(nn.Module):
    """BERT's prediction head: dense + activation + LayerNorm, then the tied unembedding."""

    def __init__(self, cfg: ModelConfig, input_ref: str):
        super().__init__()
        self.dense = nn.Linear(cfg.d_model, cfg.d_model)
        act = cfg.head_activation or cfg.activation  # ModernBERT's classifier_activation may differ
        self.act = ACTIVATIONS[act]
        self.hook_transform = HookPoint(f"{act}(h·W + b)", RESID, [input_ref])
        self.ln = Norm(cfg, "../hook_transform")

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.ln(self.hook_transform(self.act(self.dense(h))))


class EncoderOnlyModel(Stack, TransformerModel):
    def __init__(self, cfg: ModelConfig):
        super().__init__(cfg, cfg.n_layers, causal=False)
        last = "../ln_final.hook_normalized" if cfg.final_norm else f"../blocks.{cfg.n_layers - 1}.hook_resid_post"
        self.has_lm_head = cfg.lm_head == "mlm"
        if self.has_lm_head:
            self.mlm_head = MLMHead(cfg, last)
            self.unembed = Unembed(cfg, tied=cfg.tie_embeddings)
            self.hook_logits = logits_hook()  # [batch, pos, vocab]
            self.hook_logits.input_refs = ("mlm_head.ln.hook_normalized",)
        self.finalize({"": self})

    @property
    def fills_masks(self) -> bool:
        return self.has_lm_head

    def forward(
        self,
        ids: torch.Tensor,
        *,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """ids: [batch, pos] -> logits [batch, pos, vocab], or hidden states without an MLM head."""
        h = Stack.forward(self, ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        if not self.has_lm_head:
            return h
        return self.hook_logits(self.unembed(self.mlm_head(h), self.embed.W_E))
