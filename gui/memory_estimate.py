"""Parameter count from file headers, before loading: the safetensors JSON header, or the GGUF
tensor table (read by skipping the metadata; the gguf package's reader parses far more)."""
from __future__ import annotations

import json
import math
import struct
from pathlib import Path

# GGUF metadata value types -> fixed size in bytes (8 = string, 9 = array: variable)
_FIXED = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def _safetensors_params(path: Path) -> int:
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return sum(math.prod(v["shape"]) for k, v in header.items() if k != "__metadata__")


class _Reader:
    def __init__(self, f):
        self.f = f

    def u32(self) -> int:
        return struct.unpack("<I", self.f.read(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.f.read(8))[0]

    def skip_string(self) -> None:
        self.f.seek(self.u64(), 1)

    def skip_value(self, vtype: int) -> None:
        if vtype in _FIXED:
            self.f.seek(_FIXED[vtype], 1)
        elif vtype == 8:
            self.skip_string()
        elif vtype == 9:
            etype, count = self.u32(), self.u64()
            if etype in _FIXED:
                self.f.seek(_FIXED[etype] * count, 1)
            else:
                for _ in range(count):
                    self.skip_value(etype)
        else:
            raise ValueError(f"unknown GGUF value type {vtype}")


def _gguf_params(path: Path) -> int:
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ValueError("not a GGUF file")
        r = _Reader(f)
        r.u32()  # version
        n_tensors, n_kv = r.u64(), r.u64()
        for _ in range(n_kv):
            r.skip_string()
            r.skip_value(r.u32())
        total = 0
        for _ in range(n_tensors):
            r.skip_string()
            dims = [r.u64() for _ in range(r.u32())]
            r.u32()  # ggml type
            r.u64()  # offset
            total += math.prod(dims)
        return total


def estimate_params(path: Path) -> int | None:
    """Number of stored weights, or None when the format is not recognised or unreadable."""
    path = Path(path)
    try:
        if path.is_file():  # GGUF by its magic bytes: Ollama's and the HF cache's blobs have no extension
            return _gguf_params(path)
        files = sorted(path.glob("*.safetensors")) if path.is_dir() else []
        return sum(_safetensors_params(f) for f in files) if files else None
    except (OSError, ValueError, KeyError, struct.error):
        return None
