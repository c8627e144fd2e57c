"""GenerationOptions: every knob of a decoding run, validated once with user-facing messages.

Processor values (temperature, top-k, …) live in `processors`, keyed by the option each
registered processor declares (engine/decoding/processors.py); an absent key is off.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import InputError
from ..trace import Capture
from .processors import PROCESSORS, split_values

EARLY_STOPPING = (False, True, "never")


@dataclass
class GenerationOptions:
    strategy: str = "greedy"  # a key of STRATEGIES
    max_new_tokens: int = 20
    min_new_tokens: int = 0
    processors: dict = field(default_factory=dict)  # option name -> value (see processors.PROCESSORS)
    seed: int | None = None  # sampling; None = pick one (reported, so a run can be repeated)
    num_beams: int = 4
    num_return: int = 1
    length_penalty: float = 1.0  # score = sum log p / generated_length ** length_penalty
    early_stopping: bool | str = False  # transformers' semantics: False | True | "never"
    eos_ids: list[int] | None = None  # None = the model's end-of-sequence token
    forced_bos: int | None = None  # the first generated token instead of the model's forced one (a target language)
    capture: Capture | None = None  # record each step's tensors (e.g. names=["*hook_pattern"])
    cancel: Callable[[], bool] | None = None  # polled between steps
    keep_stages: bool = True  # put each processor stage's scores on the events
    notes: list[str] = field(default_factory=list)  # what was adjusted, in words

    @classmethod
    def make(cls, **kw) -> "GenerationOptions":
        """Options from flat keywords: processor options (temperature=0.7, top_k=20) go to `processors`."""
        procs, rest = split_values(kw)
        return cls(processors=procs, **rest)

    def value(self, name: str):
        """A processor option's value (its off value when not set)."""
        return self.processors.get(name, PROCESSORS[name].option.off)

    def processor_values(self) -> dict:
        """Every registered processor option, set or off."""
        return {name: self.value(name) for name in PROCESSORS}


def _int(v, what: str, low: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < low:
        raise InputError(f"{what} must be a whole number ≥ {low}, got {v!r}")
    return v


def validate(opts: GenerationOptions, vocab_size: int, room: int) -> GenerationOptions:
    """Check values against the model; clamp max_new_tokens to the room left (and say so)."""
    from .strategies import STRATEGIES

    if opts.strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {opts.strategy!r}; choose {', '.join(STRATEGIES)}")
    _int(opts.max_new_tokens, "max-new-tokens", 1)
    _int(opts.min_new_tokens, "min-new-tokens", 0)
    if opts.min_new_tokens > opts.max_new_tokens:
        raise InputError(
            f"min-new-tokens ({opts.min_new_tokens}) is more than max-new-tokens ({opts.max_new_tokens})"
        )
    if room < 1:
        raise InputError("the prompt fills the context window: nothing can be generated; shorten it")
    if opts.max_new_tokens > room:
        opts.notes.append(
            f"max-new-tokens {opts.max_new_tokens} goes beyond the context window; clamped to {room}"
        )
        opts.max_new_tokens = room
        opts.min_new_tokens = min(opts.min_new_tokens, room)
    if opts.strategy == "sample" and opts.processors.get("temperature") == 0:
        opts.notes.append("temperature 0 means greedy decoding (always the most likely token): decoded greedily")
        opts.strategy = "greedy"
        opts.processors = {**opts.processors, "temperature": 1.0}
    if opts.strategy == "beam":
        _int(opts.num_beams, "beams", 1)
        if opts.num_beams > vocab_size:
            raise InputError(
                f"beams ({opts.num_beams}) cannot exceed the vocabulary size ({vocab_size}); "
                f"use at most {vocab_size}"
            )
        _int(opts.num_return, "num-return", 1)
        if opts.num_return > opts.num_beams:
            raise InputError(f"num-return ({opts.num_return}) cannot exceed beams ({opts.num_beams})")
        if opts.early_stopping not in EARLY_STOPPING:
            raise InputError(f"early-stopping must be one of true, false, never; got {opts.early_stopping!r}")
        lp = opts.length_penalty
        if isinstance(lp, bool) or not isinstance(lp, (int, float)) or lp != lp:
            raise InputError(f"length-penalty must be a number, got {lp!r}")
    elif opts.num_return != 1:
        _int(opts.num_return, "num-return", 1)
        if opts.strategy == "greedy":
            raise InputError("greedy decoding gives one sequence; num-return > 1 needs --strategy beam or sample")
    fb = opts.forced_bos
    if fb is not None and (isinstance(fb, bool) or not isinstance(fb, int) or not 0 <= fb < vocab_size):
        raise InputError(f"the forced first token must be an id in 0..{vocab_size - 1}, got {fb!r}")
    if opts.seed is not None and (isinstance(opts.seed, bool) or not isinstance(opts.seed, int) or opts.seed < 0):
        raise InputError(f"seed must be a whole number ≥ 0, got {opts.seed!r}")
    return opts
