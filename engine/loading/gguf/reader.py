"""Reading a GGUF file: its metadata, and each tensor dequantised to float32 (gguf.quants)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ...errors import ModelLoadError

MISSING = object()


def _field_value(f) -> Any:
    v = f.contents()
    if isinstance(v, np.generic):
        v = v.item()
    return v


def _reader_class():
    from gguf import GGUFReader

    class PlainArrayReader(GGUFReader):
        """GGUFReader reading its header through a plain ndarray view of the file map.

        Slicing the np.memmap makes a memmap per field (~100k of them for a 49k-token
        vocabulary: 4 s); a plain view gives the same bytes in 0.8 s. Calls in a shape we do
        not expect go to the original method.
        """

        def _get(self, offset, dtype, count=1, override_order=None, **kw):
            if kw:
                return super()._get(offset, dtype, count, override_order, **kw)
            plain = self.__dict__.get("_plain")
            if plain is None:
                plain = self._plain = self.data.view(np.ndarray)
            count = int(count)
            arr = plain[offset:offset + np.dtype(dtype).itemsize * count].view(dtype=dtype)[:count]
            order = self.byte_order if override_order is None else override_order
            return arr.view(arr.dtype.newbyteorder(order))

    return PlainArrayReader


def read(path: Path):
    """(metadata dict, reader); any unreadable file becomes one ModelLoadError."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ModelLoadError(f"cannot read {path}: {e.strerror or e}") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path} is not a GGUF file (it does not start with the bytes 'GGUF')")
    try:
        reader = _reader_class()(str(path))
        meta = {k: _field_value(f) for k, f in reader.fields.items()}
        _ = [(t.name, t.data.shape) for t in reader.tensors]
    except Exception as e:  # the reader parses untrusted bytes; its errors vary by where it breaks
        raise ModelLoadError(
            f"{path} is not a readable GGUF file: it is truncated or corrupt ({type(e).__name__}: {e})"
        ) from None
    return meta, reader


def dequantize(t) -> torch.Tensor:
    """One reader tensor as float32, in Hugging Face's axis order ([out, in] for a matrix)."""
    from gguf import dequantize as gguf_dequantize

    try:
        w = gguf_dequantize(t.data, t.tensor_type)  # numpy, shape reversed from GGUF's: [out, in]
    except NotImplementedError:
        raise ModelLoadError(
            f"GGUF tensor {t.name!r} uses quantisation {t.tensor_type.name}, which the gguf package "
            "cannot dequantise"
        ) from None
    except (ValueError, IndexError) as e:  # a short block array
        raise ModelLoadError(f"GGUF tensor {t.name!r} is truncated or corrupt ({e})") from None
    expect = tuple(int(n) for n in reversed(t.shape))
    if w.size != int(np.prod(expect)):
        raise ModelLoadError(f"GGUF tensor {t.name!r} has {w.size} values, expected {expect}; truncated?")
    w = np.ascontiguousarray(w, dtype=np.float32).reshape(expect)
    return torch.from_numpy(w if w.flags.writeable else w.copy())  # F32 tensors are read-only file views


@dataclass
class Contents:
    """What an architecture entry reads a file through: metadata under the file's own prefix
    (`general.architecture`, never a hard-coded `llama.`), tensor names and types, and tensors
    on demand. Built from the header alone (for listings), `tensor()` gives None."""

    meta: dict
    names: set[str]
    types: dict[str, str]  # tensor name -> stored type name (F32, Q4_K, ...)
    reader: Any = None

    @classmethod
    def of_reader(cls, meta: dict, reader) -> "Contents":
        return cls(meta, {t.name for t in reader.tensors}, {t.name: t.tensor_type.name for t in reader.tensors},
                   reader)

    @classmethod
    def of_header(cls, meta: dict, types: dict[str, str]) -> "Contents":
        return cls(meta, set(types), dict(types))

    @property
    def arch(self) -> str:
        return self.meta.get("general.architecture")

    def key(self, suffix: str, default: Any = MISSING) -> Any:
        """`<architecture>.<suffix>` from the metadata; a missing required key is a clear error."""
        v = self.meta.get(f"{self.arch}.{suffix}")
        if v is None:
            if default is MISSING:
                raise ModelLoadError(f"the GGUF metadata lacks {self.arch}.{suffix}")
            return default
        return v

    def raw(self, name: str):
        """The reader's tensor (type and stored blocks), or None (absent, or header only)."""
        if self.reader is None:
            return None
        return next((t for t in self.reader.tensors if t.name == name), None)

    def tensor(self, name: str) -> torch.Tensor | None:
        t = self.raw(name)
        return None if t is None else dequantize(t)
