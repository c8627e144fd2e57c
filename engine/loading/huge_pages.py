"""Transparent huge pages for the model's own memory: a float32 smollm2-135m is 540 MB, which as
4 KiB pages is ~132,000 first-touch page faults (~0.25 s of kernel time per load here); asked for
huge pages before it is first written, the same memory faults in ~270 steps of 2 MiB. Linux
only, and only where THP is `madvise` or `always` (elsewhere the advice is ignored); values and
peak memory are unchanged (only 2 MiB ranges wholly inside a tensor become huge pages)."""
from __future__ import annotations

import sys

import torch

MADV_HUGEPAGE = 14  # linux/mman.h
HUGE = 2 << 20  # a 2 MiB huge page (x86-64, arm64 with 4 KiB base pages)
PAGE = 4096


def _libc():
    from .heap import _libc as libc

    lib = libc()
    return lib if lib is not None and hasattr(lib, "madvise") else None


_LIBC = None


def advise(t: torch.Tensor) -> bool:
    """Ask for huge pages under a fresh (not yet written) CPU tensor of 2 MiB or more. True when
    the advice was taken; False (and nothing done) anywhere it cannot apply."""
    global _LIBC
    if not sys.platform.startswith("linux") or t.device.type != "cpu" or t.is_meta:
        return False
    nbytes = t.untyped_storage().nbytes()
    if nbytes < HUGE:
        return False
    if _LIBC is None:
        _LIBC = _libc() or False
    if not _LIBC:
        return False
    import ctypes

    start = t.untyped_storage().data_ptr()
    lo = -(-start // PAGE) * PAGE  # page-aligned inward: the advice covers only this tensor's pages
    hi = (start + nbytes) // PAGE * PAGE
    return _LIBC.madvise(ctypes.c_void_p(lo), ctypes.c_size_t(hi - lo), MADV_HUGEPAGE) == 0
