"""Encoder-decoder (the paper's Transformer, Marian): encoder stack, decoder with cross-attention."""
from __future__ import annotations

import torch

from ..config import ModelConfig
from ..hooks import HookPoint
from .base import TransformerModel, Unembed, logits_hook
from .components import RESID
from .kv_cache import KVCache
from .stack import Stack


class Encoder(Stack):
    def __init__(self, cfg: ModelConfig):
        super().__init__(cfg, cfg.n_layers, causal=False)
        last = "ln_final.hook_normalized" if cfg.final_norm else f"blocks.{cfg.n_layers - 1}.hook_resid_post"
        self.hook_out = HookPoint(
            "encoder output: keys and values for every cross-attention", RESID, [last]
        )

    def forward(self, ids, *, attention_mask=None):
        return self.hook_out(super().forward(ids, attention_mask=attention_mask))


class EncoderDecoderModel(TransformerModel):
    generates = True
    has_encoder = True
    output_stack = "decoder."

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Stack(cfg, cfg.n_decoder_layers, causal=True, cross_kv_ref="/encoder.hook_out")
        self.tie_weights()
        self.unembed = Unembed(cfg, tied=cfg.tie_embeddings)
        self.hook_logits = logits_hook(cfg.lm_head_bias)  # [batch, pos, vocab]
        last = (
            "decoder.ln_final.hook_normalized"
            if cfg.final_norm
            else f"decoder.blocks.{cfg.n_decoder_layers - 1}.hook_resid_post"
        )
        self.hook_logits.input_refs = ("/" + last,)
        self.finalize({"encoder.": self.encoder, "decoder.": self.decoder})

    def tie_weights(self) -> None:
        if self.cfg.extra.get("shared_embeddings", True):
            self.decoder.embed.W_E = self.encoder.embed.W_E  # one shared table

    def decoder_start_ids(self) -> list[int]:
        start = self.cfg.decoder_start_token_id
        return [start] if start is not None else []

    def new_cache(self) -> KVCache:
        return KVCache(self.cfg.n_decoder_layers, cross=True)

    def encode(self, src_ids: torch.Tensor, src_mask: torch.Tensor | None = None) -> torch.Tensor:
        """src_ids: [batch, src_pos] -> encoder output [batch, src_pos, d_model]."""
        return self.encoder(src_ids, attention_mask=src_mask)

    def decode(
        self,
        tgt_ids: torch.Tensor,
        enc_out: torch.Tensor,
        *,
        src_mask: torch.Tensor | None = None,
        cache: KVCache | None = None,
        last_only: bool = False,
    ) -> torch.Tensor:
        """tgt_ids: [batch, tgt_pos] -> logits [batch, tgt_pos, vocab]."""
        enc_mask = src_mask.bool()[:, None, None, :] if src_mask is not None else None  # [b,1,1,src]
        h = self.decoder(tgt_ids, cache=cache, enc_out=enc_out, enc_mask=enc_mask)
        if last_only:
            h = h[:, -1:]
        return self.hook_logits(self.unembed(h, self.decoder.embed.W_E))

    def forward(self, src_ids, tgt_ids, *, src_mask=None, cache=None, last_only=False):
        enc = self.encode(src_ids, src_mask)
        return self.decode(tgt_ids, enc, src_mask=src_mask, cache=cache, last_only=last_only)
