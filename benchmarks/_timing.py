"""Shared timing helper for benchmark scripts: median of interleaved repeats."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_times(fns: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 2) -> dict[str, float]:
    """Run each function `warmup` times, then interleave `repeats` rounds; median seconds each.

    Interleaving spreads machine noise evenly over the contenders, so ratios stay meaningful.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            samples[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in samples.items()}
