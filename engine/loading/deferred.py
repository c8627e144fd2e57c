"""A tensor whose values are read only when the model is filled: a meta tensor (shape and dtype,
no memory) carrying its reader. A source whose reading is expensive (a GGUF tensor to dequantise)
hands these to a converter; a converter that only renames passes them through unchanged, and
the fill (fill.py) then reads each straight into its parameter, one at a time. A converter that
computes with one gets a plain meta tensor back, with no reader: `reader_of` says None, and the
caller falls back to reading everything first (see gguf/loader.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

_ATTR = "_tplay_reader"


@dataclass(frozen=True)
class Reader:
    read: Callable[[], torch.Tensor]  # the values, as a new tensor of the stand-in's shape
    # or None; else writes the values into a contiguous float32 CPU tensor of that shape
    read_into: Callable[[torch.Tensor], None] | None = None


def deferred(shape, dtype: torch.dtype, reader: Reader) -> torch.Tensor:
    t = torch.empty(tuple(shape), dtype=dtype, device="meta")
    setattr(t, _ATTR, reader)
    return t


def reader_of(t) -> Reader | None:
    return getattr(t, _ATTR, None) if isinstance(t, torch.Tensor) and t.is_meta else None


def write(reader: Reader, dest: torch.Tensor) -> torch.Tensor | None:
    """Fill dest; returns the temporary it read through (for checks), or None when written in place."""
    if reader.read_into is not None and dest.dtype == torch.float32 and dest.device.type == "cpu" \
            and dest.is_contiguous():
        reader.read_into(dest)
        return None
    tmp = reader.read()
    dest.copy_(tmp)
    return tmp
