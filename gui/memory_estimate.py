"""Parameter count from file headers, before loading (safetensors JSON header, GGUF tensor info)."""
from __future__ import annotations

import json
import math
import struct
from pathlib import Path


def _safetensors_params(path: Path) -> int:
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return sum(math.prod(v["shape"]) for k, v in header.items() if k != "__metadata__")


def _gguf_params(path: Path) -> int:
    from gguf import GGUFReader

    return sum(int(t.n_elements) for t in GGUFReader(str(path)).tensors)


def estimate_params(path: Path) -> int | None:
    """Number of stored weights, or None when the format is not recognised."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".gguf":
        return _gguf_params(path)
    files = sorted(path.glob("*.safetensors")) if path.is_dir() else []
    if not files:
        return None
    return sum(_safetensors_params(f) for f in files)
