"""Decoder adapters: one per model family, registered by family name.

Strategies talk only to this interface, so they never branch on the family:
`start(rows)` runs the prompt (prefill) and returns the first logits for `rows` identical
hypotheses; `step(tokens)` feeds one new token per row through the KV cache; `reorder(index)`
keeps the cache rows beam search picked. `context` is the token row every hypothesis starts
from (what processors such as the repetition penalty see): the prompt for a decoder-only
model, the decoder start token for an encoder-decoder model.
"""
from __future__ import annotations

from typing import Callable

import torch

from ..errors import InputError
from ..models.fast_layout import apply_layout
from ..models.fast_step import prepack
from ..trace import Capture
from .step_trace import recording


class Decoder:
    family = ""

    def __init__(self, model, prompt_ids: list[int]):
        self.model = model
        self.device = model.device
        self.cache = model.new_cache()
        self.prompt_ids = list(prompt_ids)
        self.context: list[int] = []
        self.trace = None  # the last step's Trace, when capturing

    # --- the interface ------------------------------------------------------------------
    @property
    def max_new_tokens(self) -> int:
        """How many tokens fit in the context window after `context`."""
        return self.model.cfg.n_ctx - len(self.context)

    def start(self, rows: int, capture: Capture | None = None) -> torch.Tensor:
        raise NotImplementedError

    def step(self, tokens: torch.Tensor, capture: Capture | None = None) -> torch.Tensor:
        """tokens: [rows] -> logits [rows, vocab] for the next position."""
        with torch.inference_mode(), recording(self.model, capture) as tr:
            logits = self._forward(tokens[:, None])  # [rows, 1] -> [rows, 1, vocab]
        self.trace = tr
        return logits[:, -1]

    def reorder(self, index: torch.Tensor) -> None:
        with torch.inference_mode():  # the cache holds inference tensors, updated in place
            self.cache.reorder(index)

    def _forward(self, ids: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class DecoderOnly(Decoder):
    """Continue the prompt; an empty prompt starts from BOS when the model has one."""

    family = "decoder"

    def __init__(self, model, prompt_ids):
        super().__init__(model, prompt_ids)
        bos = model.cfg.bos_token_id
        if not self.prompt_ids:
            if bos is None:
                raise InputError("the prompt is empty and this model has no start (BOS) token: give some text")
            self.prompt_ids = [bos]
            self.note = f"the prompt was empty, so generation starts from the BOS token ({bos})"
        else:
            self.note = None
        if len(self.prompt_ids) >= model.cfg.n_ctx:
            raise InputError(
                f"the prompt is {len(self.prompt_ids)} tokens, which fills the context window of "
                f"{model.cfg.n_ctx}: nothing can be generated; shorten it"
            )
        self.context = list(self.prompt_ids)
        self.refresh_at = model.cfg.rope_refresh_length
        self.fed = None  # [rows, tokens so far], kept only for a model that recomputes its cache once

    def start(self, rows, capture=None):
        apply_layout(self.model, rows=rows)  # weights as this machine multiplies `rows` fastest (same values)
        ids = torch.tensor([self.prompt_ids], dtype=torch.long, device=self.device)  # [1, prompt]
        with torch.inference_mode(), recording(self.model, capture) as tr:
            logits = self._forward(ids)[:, -1]  # [1, vocab]
        self.trace = tr
        if capture is None:  # unhooked steps will multiply by pre-packed weights where that applies
            prepack(self.model, self.cache, self.model.unembedding_weight())
        if self.refresh_at is not None:
            self.fed = ids.expand(rows, -1)  # [rows, prompt]
        if rows > 1:
            self.cache.reorder(torch.zeros(rows, dtype=torch.long, device=self.device))
            logits = logits.expand(rows, -1)
        return logits

    def step(self, tokens, capture=None):
        """As Decoder.step; a model with rope_refresh_length (Phi-3's LongRoPE) runs the whole
        sequence again, into a new cache, at the step that first passes that length."""
        if self.fed is None:
            return super().step(tokens, capture)
        self.fed = torch.cat([self.fed, tokens[:, None]], dim=1)  # [rows, tokens so far + 1]
        if self.cache.length != self.refresh_at:
            return super().step(tokens, capture)
        self.cache = self.model.new_cache()
        with torch.inference_mode(), recording(self.model, capture) as tr:
            logits = self._forward(self.fed)  # [rows, 1, vocab]
        self.trace = tr
        return logits[:, -1]

    def reorder(self, index):
        super().reorder(index)
        if self.fed is not None:
            self.fed = self.fed.index_select(0, index)

    def _forward(self, ids):
        return self.model(ids, cache=self.cache, last_only=True)


class EncoderDecoder(Decoder):
    """Encode the source once; the decoder starts from its start token and runs step by step."""

    family = "encoder-decoder"

    def __init__(self, model, prompt_ids):
        super().__init__(model, prompt_ids)
        if not self.prompt_ids:
            raise InputError("the source text is empty: give some text to translate")
        start = model.decoder_start_ids()
        if not start:
            raise InputError("this encoder-decoder model has no decoder start token, so it cannot generate")
        if len(self.prompt_ids) > model.cfg.n_ctx:
            raise InputError(
                f"the source is {len(self.prompt_ids)} tokens, beyond the context window of {model.cfg.n_ctx}"
            )
        self.context = list(start)
        self.note = None
        self.enc_out = None

    def start(self, rows, capture=None):
        apply_layout(self.model, rows=rows)  # as DecoderOnly.start
        src = torch.tensor([self.prompt_ids], dtype=torch.long, device=self.device)  # [1, src]
        tgt = torch.tensor([self.context] * rows, dtype=torch.long, device=self.device)  # [rows, 1]
        with torch.inference_mode(), recording(self.model, capture) as tr:
            enc = self.model.encode(src)  # [1, src, d_model]
            self.enc_out = enc.expand(rows, -1, -1)  # [rows, src, d_model]
            logits = self._forward(tgt)[:, -1]  # [rows, vocab]
        self.trace = tr
        return logits

    def reorder(self, index):
        """Only the self-attention cache: every row's cross-attention keys come from the one source."""
        with torch.inference_mode():
            for layer in self.cache.self_attn:
                layer.reorder(index)

    def _forward(self, ids):
        return self.model.decode(ids, self.enc_out, cache=self.cache, last_only=True)


DECODERS: dict[str, Callable[..., Decoder]] = {
    DecoderOnly.family: DecoderOnly,
    EncoderDecoder.family: EncoderDecoder,
}


def decoder_for(model, prompt_ids: list[int]) -> Decoder:
    fam = model.cfg.family
    try:
        cls = DECODERS[fam]
    except KeyError:
        raise InputError(
            f"a {fam} model does not generate text left to right; use masked filling ([MASK]) instead"
        ) from None
    return cls(model, prompt_ids)
