"""Reading a GGUF file: its metadata (the fast header reader), and each tensor dequantised to float32.

Each tensor's bytes are read when asked for (os.pread into memory it owns, dropped once it is
dequantised), so the file's pages never pile up beside the weights. The common storage types
(F32, F16, BF16, Q8_0, Q4_0, Q4_1) dequantise in torch, vectorised over every block at once and
in place (the same float operations as gguf.quants, so the same bits); the others go through
gguf.quants."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import os
import warnings

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


@dataclass
class MappedTensor:
    """One tensor of the file, as GGUFReader gives it: `data` (read on each access) is float32 /
    float16 for F32 / F16, else the stored bytes as uint8 rows."""

    name: str
    tensor_type: Any  # gguf.GGMLQuantizationType
    shape: np.ndarray  # GGUF order (reversed from torch's)
    path: str
    start: int
    nbytes: int
    layout: tuple  # (numpy dtype, shape) of `data`

    @property
    def data(self) -> np.ndarray:
        buf = bytearray(self.nbytes)
        with open(self.path, "rb", buffering=0) as f:
            got = os.preadv(f.fileno(), [buf], self.start)
        if got != self.nbytes:
            raise ModelLoadError(f"GGUF tensor {self.name!r} is truncated or corrupt (short read)")
        dtype, shape = self.layout
        return np.frombuffer(buf, dtype=dtype).reshape(shape)


@dataclass
class MappedReader:
    tensors: list


def read(path: Path):
    """(metadata dict, reader); any unreadable file becomes one ModelLoadError."""
    from ..gguf_header import read_header

    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ModelLoadError(f"cannot read {path}: {e.strerror or e}") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path} is not a GGUF file (it does not start with the bytes 'GGUF')")
    header = read_header(path)
    try:
        return dict(header.meta), MappedReader(_map_tensors(path, header))
    except (ValueError, KeyError, OSError) as e:
        raise ModelLoadError(
            f"{path} is not a readable GGUF file: it is truncated or corrupt ({type(e).__name__}: {e})"
        ) from None


def _map_tensors(path: Path, header) -> list[MappedTensor]:
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, quant_shape_to_byte_shape

    file_size = os.path.getsize(path)
    out = []
    for t in header.tensors:
        qtype = GGMLQuantizationType(t.type_id)
        block, size = GGML_QUANT_SIZES[qtype]
        dims = tuple(int(n) for n in reversed(t.shape))  # torch order
        n = int(np.prod(dims)) if dims else 1
        start, nbytes = header.data_start + t.offset, n * size // block
        if start + nbytes > file_size:
            raise ValueError(f"tensor {t.name!r} runs past the end of the file")
        if qtype == GGMLQuantizationType.F32:
            layout = (np.float32, dims)
        elif qtype == GGMLQuantizationType.F16:
            layout = (np.float16, dims)
        else:
            layout = (np.uint8, quant_shape_to_byte_shape(dims, qtype))
        out.append(MappedTensor(t.name, qtype, np.array(t.shape, dtype=np.uint64), str(path), start, nbytes, layout))
    return out


def read_with_gguf_package(path: Path):
    """(metadata dict, reader) through the gguf package's reader (kept for comparison)."""
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


def _blocks(t, size: int) -> torch.Tensor:
    """The stored bytes as [n_blocks, size] uint8."""
    raw = np.ascontiguousarray(t.data).reshape(-1).view(np.uint8).reshape(-1, size)
    with warnings.catch_warnings():  # another reader's read-only view: torch warns, we never write
        warnings.simplefilter("ignore", UserWarning)
        return torch.from_numpy(raw)


def _f16(b: torch.Tensor) -> torch.Tensor:
    return b.contiguous().view(torch.float16).float()  # [n_blocks, 2] bytes -> [n_blocks, 1]


def _nibbles(qs: torch.Tensor) -> torch.Tensor:
    """[n_blocks, 16] bytes -> [n_blocks, 32] values: the 16 low nibbles, then the 16 high ones."""
    return torch.stack((qs & 0x0F, qs >> 4), dim=1).reshape(qs.shape[0], 32)  # [n, 2, 16] -> [n, 32]


def _q8_0(t):
    b = _blocks(t, 34)  # d (f16), 32 × int8
    return b[:, 2:].contiguous().view(torch.int8).float().mul_(_f16(b[:, :2]))


def _q4_0(t):
    b = _blocks(t, 18)  # d (f16), 32 × 4 bits (offset 8)
    return (_nibbles(b[:, 2:]).to(torch.int8) - 8).float().mul_(_f16(b[:, :2]))


def _q4_1(t):
    b = _blocks(t, 20)  # d (f16), m (f16), 32 × 4 bits
    return _nibbles(b[:, 4:]).float().mul_(_f16(b[:, :2])).add_(_f16(b[:, 2:4]))


def _bf16(t):
    return _blocks(t, 2).view(torch.bfloat16).float()


def _f16_tensor(t):
    return _blocks(t, 2).view(torch.float16).float()


def _f32(t):
    b = _blocks(t, 4).view(torch.float32)
    return b if b.numpy().flags.writeable else b.clone()  # our own read; another reader's view is copied


# stored type name -> torch dequantiser (each bitwise equal to gguf.quants; tests/engine/test_gguf_dequant.py)
TORCH_DEQUANT = {"F32": _f32, "F16": _f16_tensor, "BF16": _bf16, "Q8_0": _q8_0, "Q4_0": _q4_0, "Q4_1": _q4_1}


def dequantize(t) -> torch.Tensor:
    """One reader tensor as float32, in Hugging Face's axis order ([out, in] for a matrix)."""
    from gguf import dequantize as gguf_dequantize

    expect = tuple(int(n) for n in reversed(t.shape))
    fast = TORCH_DEQUANT.get(t.tensor_type.name)
    if fast is not None:
        try:
            w = fast(t)
        except RuntimeError as e:  # a byte count that does not split into blocks
            raise ModelLoadError(f"GGUF tensor {t.name!r} is truncated or corrupt ({e})") from None
        if w.numel() != int(np.prod(expect)):
            raise ModelLoadError(f"GGUF tensor {t.name!r} has {w.numel()} values, expected {expect}; truncated?")
        return w.reshape(expect)

    try:
        w = gguf_dequantize(t.data, t.tensor_type)  # numpy, shape reversed from GGUF's: [out, in]
    except NotImplementedError:
        raise ModelLoadError(
            f"GGUF tensor {t.name!r} uses quantisation {t.tensor_type.name}, which the gguf package "
            "cannot dequantise"
        ) from None
    except (ValueError, IndexError) as e:  # a short block array
        raise ModelLoadError(f"GGUF tensor {t.name!r} is truncated or corrupt ({e})") from None
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
