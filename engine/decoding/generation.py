"""Generation: one decoding run = a family adapter + a processor chain + a strategy.

Iterate it to get StepEvents (cancellable between steps: stop iterating, or pass `cancel`);
afterwards `sequences` holds the result, best first, and `decode_tokens_per_second` the speed.
"""
from __future__ import annotations

import time
from typing import Iterator

from ..errors import InputError
from .decoders import decoder_for
from .events import Sequence, StepEvent
from .options import GenerationOptions, validate
from .processors import Chain, ForcedFirstToken, ForcedLastToken, MinNewTokens, NoBadWords, build_chain


class Generation:
    def __init__(self, model, prompt_ids: list[int], opts: GenerationOptions | None = None):
        self.model = model
        self.opts = opts = opts or GenerationOptions()
        self.decoder = decoder_for(model, list(prompt_ids))
        if self.decoder.note:
            opts.notes.append(self.decoder.note)
        cfg = model.cfg
        validate(opts, cfg.vocab_size, self.decoder.max_new_tokens)
        self.decoder.cache.reserve(len(self.decoder.context) + opts.max_new_tokens)  # no copy while decoding
        self.eos: list[int] = self._eos_ids(opts, cfg)
        # the checkpoint's banned sequences (bad_words_ids), then min-new-tokens: transformers' order
        before = [NoBadWords(cfg.bad_words_ids, self.eos)] if cfg.bad_words_ids else []
        before += [MinNewTokens(opts.min_new_tokens, self.eos, len(self.decoder.context))] if (
            opts.min_new_tokens > 0 and self.eos
        ) else []
        before += forced_tokens(model, len(self.decoder.context) + opts.max_new_tokens, opts.notes,
                                first=opts.forced_bos)
        min_keep = 1
        if opts.strategy == "beam" and opts.num_beams > 1:
            min_keep = len(self.eos) + 1 if self.eos else 2  # as transformers does for beam sampling
        self.chain: Chain = build_chain(
            opts.processor_values(), sampling=opts.strategy == "sample", min_keep=min_keep,
            before_warpers=before,
        )
        self.sequences: list[Sequence] = []
        self.stop_reason: str | None = None
        self.step_times: list[float] = []
        self.seed_used: int | None = None

    @staticmethod
    def _eos_ids(opts, cfg) -> list[int]:
        ok = range(cfg.vocab_size)
        if opts.eos_ids is not None:
            bad = [e for e in opts.eos_ids if e not in ok]
            if bad:
                raise InputError(f"end-of-sequence id {bad[0]} is outside the vocabulary (0..{cfg.vocab_size - 1})")
            return [int(e) for e in opts.eos_ids]
        eos = cfg.eos_token_id
        if eos is None:
            return []
        if eos not in ok:
            opts.notes.append(f"the model's end-of-sequence id {eos} is outside its vocabulary; ignored")
            return []
        return [int(eos)]

    @property
    def prompt_ids(self) -> list[int]:
        return self.decoder.prompt_ids

    @property
    def notes(self) -> list[str]:
        return self.opts.notes

    def __iter__(self) -> Iterator[StepEvent]:
        from .strategies import STRATEGIES

        run = STRATEGIES[self.opts.strategy]
        last = time.perf_counter()
        for ev in run(self):
            now = time.perf_counter()
            ev.elapsed_s = now - last
            self.step_times.append(ev.elapsed_s)
            if ev.done:
                self.sequences = ev.sequences or []
                self.stop_reason = ev.stop_reason
            yield ev
            last = time.perf_counter()  # time spent by the consumer is not decode time

    def cancelled(self) -> bool:
        return bool(self.opts.cancel and self.opts.cancel())

    def run(self) -> list[Sequence]:
        """Consume every event; return the sequences."""
        for _ in self:
            pass
        return self.sequences

    @property
    def decode_tokens_per_second(self) -> float | None:
        """Tokens after the first, divided by the time after the first (prefill excluded)."""
        rest = self.step_times[1:]
        return len(rest) / sum(rest) if rest and sum(rest) > 0 else None


def forced_tokens(model, max_length: int, notes: list[str], first: int | None = None) -> list:
    """The model's own generation rules (transformers' forced BOS / EOS processors), in its order;
    max_length = context + max new tokens (the last step's line length + 1); `first` replaces the
    model's forced first token (as transformers' generate(forced_bos_token_id=...))."""
    ok = range(model.cfg.vocab_size)
    first, last = (model.forced_bos_id() if first is None else first), model.forced_eos_ids()
    bad = [t for t in [first, *last] if t is not None and t not in ok]
    if bad:
        notes.append(f"the model's forced token {bad[0]} is outside its vocabulary; no token is forced")
        return []
    return ([ForcedFirstToken(first)] if first is not None else []) + (
        [ForcedLastToken(last, max_length)] if last else [])


def generate(model, prompt_ids: list[int], **options) -> Generation:
    """Convenience: `for ev in generate(model, ids, strategy="beam", num_beams=2): ...`."""
    return Generation(model, prompt_ids, GenerationOptions.make(**options))

