"""Logits processors: small validated rules, `__call__(ids, scores) -> scores`, chained.

Each rule mirrors the `transformers` processor of the same name (same maths, same edge cases),
validates its value in `__init__` with a message naming the allowed range, and is registered by
its option name in PROCESSORS so the CLI, GUI and strategies build chains without branching.
`ids` is [rows, pos] (the tokens each row has so far); `scores` is [rows, vocab].
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import torch

from ..errors import InputError

FILTERED = -math.inf  # the value a filtered-out token gets (probability 0)


class Processor:
    """Base: `name` labels the stage on charts; `warper` = only used when sampling."""

    name = ""
    warper = False

    def __call__(self, ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def describe(self) -> str:
        return self.name


def _number(value, what: str, kind=float):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        raise InputError(f"{what} must be a number, got {value!r}")
    if kind is int and int(value) != value:
        raise InputError(f"{what} must be a whole number, got {value!r}")
    return kind(value)


class RepetitionPenalty(Processor):
    """Divide positive / multiply negative scores of tokens already present (once per token)."""

    name = "repetition_penalty"

    def __init__(self, penalty: float):
        penalty = _number(penalty, "repetition penalty")
        if not penalty > 0:
            raise InputError(
                f"repetition penalty must be > 0 (1 = off, > 1 discourages repeats), got {penalty:g}"
            )
        self.penalty = penalty

    def __call__(self, ids, scores):
        score = torch.gather(scores, 1, ids)  # [rows, pos]
        score = torch.where(score < 0, score * self.penalty, score / self.penalty)
        return scores.scatter(1, ids, score)

    def describe(self):
        return f"repetition penalty {self.penalty:g}"


class MinNewTokens(Processor):
    """Forbid end-of-sequence until `min_new` tokens were generated."""

    name = "min_new_tokens"

    def __init__(self, min_new: int, eos_ids: Iterable[int], prompt_len: int):
        min_new = _number(min_new, "min-new-tokens", int)
        if min_new < 0:
            raise InputError(f"min-new-tokens must be ≥ 0, got {min_new}")
        self.min_new, self.eos, self.prompt_len = min_new, list(eos_ids), prompt_len

    def __call__(self, ids, scores):
        if ids.shape[-1] - self.prompt_len < self.min_new and self.eos:
            scores = scores.clone()
            scores[:, self.eos] = -math.inf
        return scores

    def describe(self):
        return f"no end-of-sequence before {self.min_new} new tokens"


class Temperature(Processor):
    """scores / T: T < 1 sharpens, T > 1 flattens. T = 0 means greedy (handled by the caller)."""

    name = "temperature"
    warper = True

    def __init__(self, temperature: float):
        t = _number(temperature, "temperature")
        if t == 0:
            raise InputError("temperature 0 means greedy decoding: use --strategy greedy")
        if not t > 0:
            raise InputError(f"temperature must be > 0 (0 = greedy), got {t:g}")
        self.temperature = t

    def __call__(self, ids, scores):
        return scores / self.temperature

    def describe(self):
        return f"temperature {self.temperature:g}"


class TopK(Processor):
    """Keep the k highest scores (ties with the k-th are kept), filter the rest."""

    name = "top_k"
    warper = True

    def __init__(self, top_k: int, min_keep: int = 1):
        k = _number(top_k, "top-k", int)
        if k <= 0:
            raise InputError(f"top-k must be a whole number ≥ 1 (0 = off), got {k}")
        self.top_k = max(k, min_keep)

    def __call__(self, ids, scores):
        k = min(self.top_k, scores.shape[-1])
        kth = torch.topk(scores, k)[0][..., -1, None]  # [rows, 1]
        return scores.masked_fill(scores < kth, FILTERED)

    def describe(self):
        return f"top-k {self.top_k}"


class TopP(Processor):
    """Nucleus: keep the smallest set of top tokens whose probabilities sum to more than p."""

    name = "top_p"
    warper = True

    def __init__(self, top_p: float, min_keep: int = 1):
        p = _number(top_p, "top-p")
        if not 0 < p <= 1:
            raise InputError(f"top-p must be in (0, 1] (1 = off), got {p:g}")
        self.top_p, self.min_keep = p, min_keep

    def __call__(self, ids, scores):
        sorted_scores, order = torch.sort(scores, descending=False)  # [rows, vocab] ascending
        cum = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
        remove = cum <= (1 - self.top_p)
        remove[..., -self.min_keep:] = False
        remove = remove.scatter(1, order, remove)  # back to vocab order
        return scores.masked_fill(remove, FILTERED)

    def describe(self):
        return f"top-p {self.top_p:g}"


class MinP(Processor):
    """Keep tokens whose probability is at least p × the top token's probability."""

    name = "min_p"
    warper = True

    def __init__(self, min_p: float, min_keep: int = 1):
        p = _number(min_p, "min-p")
        if not 0 <= p <= 1:
            raise InputError(f"min-p must be in [0, 1] (0 = off), got {p:g}")
        self.min_p, self.min_keep = p, min_keep

    def __call__(self, ids, scores):
        probs = torch.softmax(scores, dim=-1)
        remove = probs < self.min_p * probs.amax(dim=-1, keepdim=True)
        keep = torch.topk(probs, min(self.min_keep, probs.shape[-1]), dim=-1).indices
        remove.scatter_(-1, keep, False)
        return scores.masked_fill(remove, FILTERED)

    def describe(self):
        return f"min-p {self.min_p:g}"


# option name -> (class, value meaning "off"); order = application order (as transformers')
PROCESSORS: dict[str, tuple[type[Processor], object]] = {
    "repetition_penalty": (RepetitionPenalty, 1.0),
    "temperature": (Temperature, 1.0),
    "top_k": (TopK, 0),
    "top_p": (TopP, 1.0),
    "min_p": (MinP, None),
}


@dataclass
class Chain:
    """Processors applied in order; `stages` returns every intermediate for charts."""

    processors: list[Processor]

    def __call__(self, ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        for p in self.processors:
            scores = p(ids, scores)
        return scores

    def stages(self, ids: torch.Tensor, scores: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
        """[("raw", scores), (name, scores after it), ...]."""
        out = [("raw", scores)]
        for p in self.processors:
            scores = p(ids, scores)
            out.append((p.name, scores))
        return out

    def __bool__(self) -> bool:
        return bool(self.processors)

    def describe(self) -> str:
        return " → ".join(p.describe() for p in self.processors) or "none"


def build_chain(
    values: dict[str, object],
    *,
    sampling: bool,
    min_keep: int = 1,
    before_warpers: Iterable[Processor] = (),
) -> Chain:
    """Chain from option values ({"top_k": 50, ...}); values equal to "off" are skipped.

    Warpers (temperature, top-k, top-p, min-p) apply only when sampling, as in transformers;
    asking for one without sampling is an error rather than silently ignored.
    """
    unknown = set(values) - set(PROCESSORS)
    if unknown:
        raise InputError(f"unknown processor(s): {', '.join(sorted(unknown))}; known: {', '.join(PROCESSORS)}")
    procs: list[Processor] = []
    for name, (cls, off) in PROCESSORS.items():
        if cls.warper and before_warpers:
            procs.extend(before_warpers)
            before_warpers = ()
        v = values.get(name)
        if v is None or (v == off and not (name == "temperature" and v == 0)):
            continue
        if cls.warper and not sampling:
            raise InputError(
                f"{name.replace('_', '-')} only changes sampling; use --strategy sample (or drop it)"
            )
        procs.append(cls(v, min_keep) if name in ("top_k", "top_p", "min_p") else cls(v))
    procs.extend(before_warpers)
    return Chain(procs)

