"""Logits processors: small validated rules, `__call__(ids, scores) -> scores`, chained.

Each rule mirrors the `transformers` processor of the same name (same maths, same edge cases),
validates its value in `__init__` with a message naming the allowed range, and declares its
option once (an `Option`: name, off value, help, knob range) and registers itself with
`@register`. Everything else is derived from PROCESSORS: GenerationOptions' values, the
`tplay generate` / `tplay render` flags, the lab's knobs and settings keys, chart labels.
A new processor is one class (and its test).
`ids` is [rows, pos] (the tokens each row has so far); `scores` is [rows, vocab].
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import import_module
from typing import Iterable

from ..errors import InputError


class _Torch:
    """torch on first use: the lab builds its knobs from PROCESSORS before torch is imported."""

    def __getattr__(self, name: str):
        return getattr(import_module("torch"), name)


torch = _Torch()

FILTERED = -math.inf  # the value a filtered-out token gets (probability 0)
TINY = 1e-4  # temperature / repetition penalty below this overflow the scores they divide


@dataclass(frozen=True)
class Option:
    """A processor's option, declared once.

    name: the option (GenerationOptions value, settings key, `--flag` with dashes);
    label: how charts, knobs and messages call it; kind: int or float; off: the value that
    leaves the processor out; help: the CLI help; lo/hi: the lab knob's range; steps: a slider
    of that many steps (0: a spin box moving by `step`); fmt: how a slider writes its value.
    """

    name: str
    label: str
    kind: type
    off: object
    help: str
    lo: float
    hi: float
    steps: int = 0
    step: float = 1.0
    fmt: str = "{:.2f}"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def parse(self, text: str | None):
        """A CLI value: the off value when not given; a one-line error when not a number."""
        if text is None:
            return self.off
        try:
            x = int(text) if self.kind is int else float(text)
        except ValueError:
            what = "a whole number" if self.kind is int else "a number"
            raise InputError(f"{self.flag} must be {what}, got {text!r}") from None
        if x != x or x in (math.inf, -math.inf):
            raise InputError(f"{self.flag} must be a finite number, got {text!r}")
        return x


class Processor:
    """Base: `name` labels the stage on charts; `warper` = only used when sampling;
    `takes_min_keep` = built with the strategy's min_keep (beam search keeps enough candidates)."""

    name = ""
    label = ""
    option: Option | None = None
    warper = False
    takes_min_keep = False

    @classmethod
    def build(cls, value, min_keep: int = 1) -> "Processor":
        return cls(value, min_keep) if cls.takes_min_keep else cls(value)

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


# option name -> processor class, in application order (as transformers'): registration order
PROCESSORS: dict[str, type[Processor]] = {}


def register(cls: type[Processor]) -> type[Processor]:
    """Class decorator: add a processor with a declared `option` to PROCESSORS."""
    if cls.option is None:
        raise TypeError(f"{cls.__name__} declares no option")
    cls.name, cls.label = cls.option.name, cls.option.label
    PROCESSORS[cls.option.name] = cls
    return cls


def stage_label(name: str) -> str:
    """The chart title of a stage ("raw", or a processor's stage name)."""
    cls = PROCESSORS.get(name) or STAGES.get(name)
    return cls.label if cls is not None else name


@register
class RepetitionPenalty(Processor):
    """Divide positive / multiply negative scores of tokens already present (once per token)."""

    option = Option("repetition_penalty", "repetition penalty", float, 1.0,
                    "> 1 discourages tokens already present (default 1 = off)", 0.1, 5.0, step=0.05)

    def __init__(self, penalty: float):
        penalty = _number(penalty, "repetition penalty")
        if not penalty > 0:
            raise InputError(
                f"repetition penalty must be > 0 (1 = off, > 1 discourages repeats), got {penalty:g}"
            )
        if penalty < TINY:  # dividing scores by it overflows float32 to inf, then NaN probabilities
            raise InputError(f"repetition penalty {penalty:g} is too small to compute with (at least {TINY:g})")
        self.penalty = penalty

    def __call__(self, ids, scores):
        score = torch.gather(scores, 1, ids)  # [rows, pos]
        score = torch.where(score < 0, score * self.penalty, score / self.penalty)
        return scores.scatter(1, ids, score)

    def describe(self):
        return f"repetition penalty {self.penalty:g}"


class MinNewTokens(Processor):
    """Forbid end-of-sequence until `min_new` tokens were generated."""

    name = "min_new_tokens"  # built from GenerationOptions.min_new_tokens, not an Option
    label = "min new tokens"

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


class ForcedFirstToken(Processor):
    """transformers' ForcedBOSTokenLogitsProcessor: when the line holds one token (an
    encoder-decoder's start token), only `token` may come next (a target language, BART's <s>)."""

    name = "forced_bos"  # built from the model's forced_bos_id(), not an Option
    label = "forced first token"

    def __init__(self, token: int):
        self.token = _number(token, "forced first token", int)

    def __call__(self, ids, scores):
        if ids.shape[-1] != 1:
            return scores
        forced = torch.full_like(scores, -math.inf)
        forced[:, self.token] = 0
        return forced

    def describe(self):
        return f"first token forced to {self.token}"


class ForcedLastToken(Processor):
    """transformers' ForcedEOSTokenLogitsProcessor: at the step that reaches the length limit
    (context + max new tokens), only the model's forced end token(s) may come."""

    name = "forced_eos"  # built from the model's forced_eos_ids(), not an Option
    label = "forced last token"

    def __init__(self, tokens: Iterable[int], max_length: int):
        self.tokens = [_number(t, "forced last token", int) for t in tokens]
        self.max_length = _number(max_length, "max length", int)

    def __call__(self, ids, scores):
        if ids.shape[-1] != self.max_length - 1:
            return scores
        forced = torch.full_like(scores, -math.inf)
        forced[:, self.tokens] = 0
        return forced

    def describe(self):
        return f"token {', '.join(map(str, self.tokens))} forced at the length limit"


@register
class Temperature(Processor):
    """scores / T: T < 1 sharpens, T > 1 flattens. T = 0 means greedy (handled by the caller)."""

    option = Option("temperature", "temperature", float, 1.0,
                    "sampling temperature > 0 (default 1; 0 = greedy)", 0.05, 3.0, steps=295)
    warper = True

    def __init__(self, temperature: float):
        t = _number(temperature, "temperature")
        if t == 0:
            raise InputError("temperature 0 means greedy decoding: use --strategy greedy")
        if not t > 0:
            raise InputError(f"temperature must be > 0 (0 = greedy), got {t:g}")
        if t < TINY:  # scores / T overflows float32 to inf, then NaN probabilities
            raise InputError(f"temperature {t:g} is too small to compute with (at least {TINY:g}; 0 = greedy)")
        self.temperature = t

    def __call__(self, ids, scores):
        return scores / self.temperature

    def describe(self):
        return f"temperature {self.temperature:g}"


@register
class TopK(Processor):
    """Keep the k highest scores (ties with the k-th are kept), filter the rest."""

    option = Option("top_k", "top-k", int, 0, "sample among the K most likely tokens (default 0 = off)",
                    0, 100000)
    warper = True
    takes_min_keep = True

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


@register
class TopP(Processor):
    """Nucleus: keep the smallest set of top tokens whose probabilities sum to more than p."""

    option = Option("top_p", "top-p", float, 1.0,
                    "nucleus sampling: smallest set with probability > P (default 1 = off)", 0.01, 1.0, steps=99)
    warper = True
    takes_min_keep = True

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


@register
class MinP(Processor):
    """Keep tokens whose probability is at least p × the top token's probability."""

    option = Option("min_p", "min-p", float, 0.0, "drop tokens below P × the top probability (default 0 = off)",
                    0.0, 0.5, steps=100, fmt="{:.3f}")
    warper = True
    takes_min_keep = True

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


# stages that are not options: the raw scores and processors built from other settings
STAGES: dict[str, type] = {MinNewTokens.name: MinNewTokens, ForcedFirstToken.name: ForcedFirstToken,
                           ForcedLastToken.name: ForcedLastToken, "raw": type("Raw", (), {"label": "raw"})}


def off_values() -> dict[str, object]:
    """Every registered option at its off value."""
    return {name: cls.option.off for name, cls in PROCESSORS.items()}


def split_values(kw: dict) -> tuple[dict, dict]:
    """(processor option values, the rest) of a keyword dict."""
    return {k: v for k, v in kw.items() if k in PROCESSORS}, {k: v for k, v in kw.items() if k not in PROCESSORS}


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
    asking for one without sampling is an error rather than silently ignored. None = off too.
    """
    unknown = set(values) - set(PROCESSORS)
    if unknown:
        raise InputError(f"unknown processor(s): {', '.join(sorted(unknown))}; known: {', '.join(PROCESSORS)}")
    procs: list[Processor] = []
    for name, cls in PROCESSORS.items():
        if cls.warper and before_warpers:
            procs.extend(before_warpers)
            before_warpers = ()
        v = values.get(name)
        if v is None or v == cls.option.off:
            continue
        if cls.warper and not sampling:
            raise InputError(f"{cls.option.label} only changes sampling; use --strategy sample (or drop it)")
        procs.append(cls.build(v, min_keep))
    procs.extend(before_warpers)
    return Chain(procs)

