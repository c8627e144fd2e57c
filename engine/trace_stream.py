"""Save a long prompt's trace layer by layer: a safetensors file written as the layers recompute.

The header (every step's name, dtype, shape and offset) comes from the capture plan, so the data
can follow one layer at a time and memory holds one layer, not the whole trace. Written through
io_utils.atomic_write (temp file beside the target, fsync, checked, renamed).
"""
from __future__ import annotations

import json
from typing import Callable, Iterable

import torch

from .hook_names import layer_key

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
          torch.int64: "I64", torch.int32: "I32", torch.bool: "BOOL", torch.uint8: "U8"}


def header(steps, metadata: dict | None = None) -> bytes:
    """The safetensors header for `steps` (capture_plan.PlannedStep) in order, padded to 8 bytes."""
    head: dict = {"__metadata__": metadata} if metadata else {}
    offset = 0
    for s in steps:
        head[s.name] = {"dtype": DTYPES[s.dtype], "shape": list(s.shape),
                        "data_offsets": [offset, offset + s.nbytes]}
        offset += s.nbytes
    raw = json.dumps(head, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return len(raw).to_bytes(8, "little") + raw


def write_streamed(path, steps: list, cheap, layer: Callable[[str], object],
                   metadata: dict | None = None) -> None:
    """Write `steps` to `path`: each step outside the layers from `cheap` (name -> tensor), each
    layer's from `layer(key)` (a Trace), called once per layer in order and then dropped."""
    from .errors import InputError
    from .io_utils import atomic_write

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(header(steps, metadata))
            current, trace = None, None
            for s in steps:
                key = layer_key(s.name)
                if key is not None and key != current:
                    current, trace = key, None
                    trace = layer(key)
                t = (trace if key is not None else cheap)[s.name]
                if tuple(t.shape) != s.shape or t.dtype != s.dtype:  # the plan and the run disagree
                    raise InputError(f"{s.name}: planned {list(s.shape)} {s.dtype}, got {list(t.shape)} {t.dtype}")
                f.write(memoryview(t.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy()))

    atomic_write(path, write)


def layers_in(steps: Iterable) -> list[str]:
    seen: dict[str, None] = {}
    for s in steps:
        if s.layer is not None:
            seen.setdefault(s.layer, None)
    return list(seen)
