"""Loading without the C heap keeping what it freed: a load makes and drops many large tensors
(dequantised blocks, the separate Q/K/V before fusion). glibc serves blocks below its mmap
threshold from the heap and keeps them after free, and that threshold rises to the size of
the largest freed block (up to 32 MiB), so a load's peak RSS grew by a third of the weights
that were already freed. While loading, every block of 1 MiB or more gets its own mapping (given
back on free); afterwards the threshold is set to glibc's own ceiling and the heap trimmed.
Elsewhere than glibc this does nothing."""
from __future__ import annotations

import ctypes
import sys
from contextlib import contextmanager
from typing import Iterator

M_MMAP_THRESHOLD = -3
WHILE_LOADING = 1 << 20
AFTER = 32 << 20  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: where its dynamic threshold settles


def _libc():
    """The C library already in the process (no library search, which would run ldconfig)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@contextmanager
def returning_memory() -> Iterator[None]:
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, WHILE_LOADING)
    try:
        yield
    finally:
        if libc is not None:
            libc.mallopt(M_MMAP_THRESHOLD, AFTER)
            libc.malloc_trim(0)
