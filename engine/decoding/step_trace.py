"""Record a cached decoding step: hooks attached for one forward, into a fresh Trace.

`engine.run` does full passes; a decoding step is one new position over a KV cache, so q/k/v
hold the new position only and each pattern row spans every past position.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..hooks import attached, records_only
from ..trace import Capture, Trace


@contextmanager
def recording(model, capture: Capture | None) -> Iterator[Trace | None]:
    """Yield a Trace that fills during the block (None when capture is None: the fast path)."""
    if capture is None:
        yield None
        return
    trace = Trace()
    trace.meta.update(family=model.cfg.family, kv_head_of_head=model.kv_head_of_head())

    @records_only
    def rec(x, hp):
        trace.record(hp, x, capture)

    fns = {n: [rec] for n in capture.wanted(model.hook_points)}
    with attached(model.hook_points, fns):
        yield trace
