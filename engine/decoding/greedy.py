"""Greedy decoding: take the most likely token each step (transformers' greedy semantics:
the non-sampling processors apply, the sequence stops at end-of-sequence or max length)."""
from __future__ import annotations

from typing import Iterator

from .events import StepEvent
from .stepwise import stepwise


def greedy(gen) -> Iterator[StepEvent]:
    return stepwise(gen, 1, lambda logp: logp.argmax(dim=-1), "greedy")
