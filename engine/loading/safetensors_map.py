"""safetensors files read through a private memory map: each tensor is a view of the file's pages
(nothing is read until a value is used), and once its values are copied into the model its pages
are handed back (`release`), so the file never sits in memory beside the weights.

The map is private (copy-on-write, never written back) and read-only in use: a view that someone
wrote to would only change this process's copy. Pages handed back are read again from the page
cache if touched again, so releasing is always safe, only sometimes slower.
"""
from __future__ import annotations

import json
import mmap
import os
import struct
import weakref
from pathlib import Path

import torch

from ..errors import ModelLoadError

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool, "F8_E4M3": torch.float8_e4m3fn, "F8_E5M2": torch.float8_e5m2,
}
PAGE = mmap.PAGESIZE
DONTNEED = getattr(mmap, "MADV_DONTNEED", None)  # absent on Windows: pages then go back when the map closes

# the address of a file's map -> the mmap object (weak: the tensors viewing it keep it alive)
_MAPS: "weakref.WeakValueDictionary[int, mmap.mmap]" = weakref.WeakValueDictionary()


class _Map(mmap.mmap):
    """mmap.mmap itself cannot be weakly referenced; a subclass can."""


def map_file(path: Path) -> dict[str, torch.Tensor]:
    """Every tensor of one safetensors file, as views of a private map of it (in file order)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < 8:
                raise ValueError("shorter than its 8-byte header length")
            m = _Map(f.fileno(), 0, access=mmap.ACCESS_COPY)
        (n,) = struct.unpack("<Q", m[:8])
        if 8 + n > size:
            raise ValueError(f"header of {n} bytes runs past the end of the file")
        header = json.loads(bytes(m[8:8 + n]))
        if not isinstance(header, dict):
            raise ValueError("the header is not a JSON object")
        whole = torch.frombuffer(m, dtype=torch.uint8)  # [file bytes]; the tensors below view it
        _MAPS[whole.data_ptr()] = m
        return {name: _view(whole, 8 + n, name, info) for name, info in header.items() if name != "__metadata__"}
    except (OSError, ValueError, KeyError, TypeError, struct.error, RecursionError) as e:
        raise ModelLoadError(f"{path} is not a readable safetensors file ({e}); truncated?") from None


def _view(whole: torch.Tensor, base: int, name: str, info: dict) -> torch.Tensor:
    dtype = DTYPES.get(info["dtype"])
    if dtype is None:
        raise ValueError(f"tensor {name!r} has dtype {info['dtype']!r}, which torch cannot hold")
    shape = [int(s) for s in info["shape"]]
    start, end = (int(o) for o in info["data_offsets"])
    numel = 1
    for s in shape:
        numel *= s
    if min(shape, default=0) < 0 or not 0 <= start <= end or base + end > whole.numel():
        raise ValueError(f"tensor {name!r} lies outside the file")
    if end - start != numel * dtype.itemsize:
        raise ValueError(f"tensor {name!r} holds {end - start} bytes, its shape needs {numel * dtype.itemsize}")
    raw = whole[base + start:base + end]  # [nbytes] uint8, a view of the map
    if (base + start) % dtype.itemsize:  # a misaligned tensor (no writer makes one): copy it alone
        raw = raw.clone()
    return raw.view(dtype).view(shape)  # [nbytes] -> [numel] -> shape


def release(t: torch.Tensor) -> None:
    """Hand back the pages a mapped tensor's values lie on (no-op for any other tensor). Only
    whole pages inside the tensor's span: a page it shares with a neighbour stays."""
    if DONTNEED is None or t.device.type != "cpu" or t.is_meta:
        return
    storage = t.untyped_storage()
    m = _MAPS.get(storage.data_ptr())
    if m is None or t.numel() == 0:
        return
    span = 1 + sum((n - 1) * s for n, s in zip(t.shape, t.stride()))  # elements from first to last
    first = t.data_ptr() - storage.data_ptr()
    last = first + span * t.element_size()
    lo, hi = -(-first // PAGE) * PAGE, last // PAGE * PAGE  # page-aligned inward
    if hi > lo:
        m.madvise(DONTNEED, lo, hi - lo)


def read_files(files: list[Path]) -> dict[str, torch.Tensor]:
    tensors: dict[str, torch.Tensor] = {}
    for f in files:
        tensors.update(map_file(f))
    return tensors
