"""Temporaries one load reuses tensor after tensor: each GGUF tensor's stored bytes and the
dequantiser's chunk buffers. Allocated afresh per tensor, every one of them was new memory to
fault in (~150,000 page faults for smollm2-135m, as many as its weights), because the load
hands freed blocks back to the system (heap.py). Inside `reusing()` (one load, one thread) a
buffer is kept for the next tensor and dropped when the load ends; outside it every call gets
new memory, as before."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import torch

_LOCAL = threading.local()


@contextmanager
def reusing() -> Iterator[None]:
    outer = getattr(_LOCAL, "bufs", None)
    if outer is None:
        _LOCAL.bufs = {}
    try:
        yield
    finally:
        if outer is None:
            _LOCAL.bufs = None  # the buffers go with the load


def buffer(key: str, n: int, dtype: torch.dtype) -> torch.Tensor:
    """`n` elements of `dtype` (uninitialised, 1-D) that stay valid until the next call with the
    same key on this thread: use them before asking again."""
    bufs = getattr(_LOCAL, "bufs", None)
    if bufs is None:
        return torch.empty(n, dtype=dtype)
    buf = bufs.get(key)
    if buf is None or buf.dtype != dtype or buf.numel() < n:
        buf = bufs[key] = torch.empty(n, dtype=dtype)
    return buf[:n]
