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
import sys
import warnings

import numpy as np
import torch

from ...errors import ModelLoadError
from .. import pool

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
        self._read(buf)
        dtype, shape = self.layout
        return np.frombuffer(buf, dtype=dtype).reshape(shape)

    def stored_bytes(self) -> torch.Tensor:
        """The stored bytes as uint8 [nbytes], in the load's reused read buffer (pool.py): valid
        until this thread reads the next tensor."""
        buf = pool.buffer("gguf read", self.nbytes, torch.uint8)
        self._read(buf.numpy())
        return buf

    def _read(self, buf) -> None:
        with open(self.path, "rb", buffering=0) as f:
            got = os.preadv(f.fileno(), [buf], self.start)
        if got != self.nbytes:
            raise ModelLoadError(f"GGUF tensor {self.name!r} is truncated or corrupt (short read)")


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
    if isinstance(t, MappedTensor):  # read into the load's reused buffer
        b = t.stored_bytes()
        if b.numel() % size:
            raise RuntimeError(f"{b.numel()} bytes do not split into blocks of {size}")
        return b.view(-1, size)  # [nbytes] -> [n_blocks, size]
    raw = np.ascontiguousarray(t.data).reshape(-1).view(np.uint8).reshape(-1, size)
    with warnings.catch_warnings():  # another reader's read-only view: torch warns, we never write
        warnings.simplefilter("ignore", UserWarning)
        return torch.from_numpy(raw)


CHUNK = 8192  # blocks per step: each step's output (1 MiB of float32 for 32-value blocks) stays in cache


def _f16(b: torch.Tensor) -> torch.Tensor:
    return b.contiguous().view(torch.float16).float()  # [n_blocks, 2k] bytes -> [n_blocks, k]


class Scratch:
    """Buffers one dequantisation reuses chunk after chunk (none is bigger than one chunk), and
    a load tensor after tensor (pool.py)."""

    def __init__(self, n_blocks: int):
        self.n, self._bufs = n_blocks, {}

    def get(self, key: str, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        buf = self._bufs.get(key)
        if buf is None:
            per = int(np.prod(shape))
            flat = pool.buffer(f"gguf scratch {key}", self.n * per, dtype)  # [n * per]
            buf = self._bufs[key] = flat.view(self.n, *shape)
        return buf


def _nibbles(qs: torch.Tensor, scratch: Scratch) -> torch.Tensor:
    """[n, 16] bytes -> [n, 32] uint8 values: the 16 low nibbles, then the 16 high ones."""
    u = scratch.get("nibbles", (2, 16), torch.uint8)[: qs.shape[0]]  # [n, 2, 16]
    torch.bitwise_and(qs, 0x0F, out=u[:, 0])
    torch.bitwise_right_shift(qs, 4, out=u[:, 1])
    return u.view(-1, 32)  # [n, 2, 16] -> [n, 32]


def _nibbles_q4_1(b: torch.Tensor, scratch: Scratch) -> torch.Tensor:
    """The same for Q4_1's 20-byte blocks, four bytes at a time: each block is five int32 words
    (d and m, then the 16 bytes of nibbles), so masking and shifting whole words runs over one
    contiguous array instead of 16-byte rows (~25x faster); then one copy puts each block's low
    words before its high ones. Little-endian byte order (GGUF's, and every host torch runs on)."""
    n = b.shape[0]
    words = b.view(torch.int32).reshape(-1)  # [n, 20] bytes -> [n * 5] words
    lo = scratch.get("lo", (5,), torch.int32)[:n].view(-1)  # [n * 5]
    hi = scratch.get("hi", (5,), torch.int32)[:n].view(-1)
    torch.bitwise_and(words, 0x0F0F0F0F, out=lo)  # each byte's low nibble, in its byte
    torch.bitwise_right_shift(words, 4, out=hi).bitwise_and_(0x0F0F0F0F)  # each byte's high nibble
    q = scratch.get("q", (8,), torch.int32)[:n]  # [n, 8] words = [n, 32] bytes
    torch.cat((lo.view(n, 5)[:, 1:], hi.view(n, 5)[:, 1:]), dim=1, out=q)
    return q.view(torch.uint8)  # [n, 8] int32 -> [n, 32] uint8


_WORDS = sys.byteorder == "little"


# Each writes float32 values into o [n, values] from blocks b [n, bytes]; the product is taken in
# float32 from the integer values (exact), as gguf.quants does, so the bits are the same. The
# integers are widened into `o` itself first: a product of int8/uint8 by float32 makes torch
# widen them into a temporary of its own (1 MiB a chunk, new memory each time: ~140,000 page
# faults a load), and the in-place steps after it run on one dtype, vectorised.
def _q8_0(b, o, scratch):  # d (f16), 32 × int8
    o.copy_(b[:, 2:].view(torch.int8)).mul_(_f16(b[:, :2]))


def _q4_0(b, o, scratch):  # d (f16), 32 × 4 bits (offset 8)
    q = _nibbles(b[:, 2:], scratch).view(torch.int8).sub_(8)  # 0..15 -> -8..7, exact in int8
    o.copy_(q).mul_(_f16(b[:, :2]))


def _f16_pair_word(b: torch.Tensor) -> torch.Tensor:
    """A block's first two halves (Q4_1's d and m) gathered as one int32 word a row: ~2x faster
    than gathering their four bytes (the same bits)."""
    return b.view(torch.int32)[:, :1].contiguous().view(torch.float16).float()  # [n, 5] words -> [n, 1] -> [n, 2]


def _q4_1(b, o, scratch):  # d (f16), m (f16), 32 × 4 bits
    words = _WORDS and b.data_ptr() % 4 == 0
    dm = _f16_pair_word(b) if words else _f16(b[:, :4])  # [n, 2]: d, m
    q = _nibbles_q4_1(b, scratch) if words else _nibbles(b[:, 4:], scratch)
    o.copy_(q).mul_(dm[:, :1]).add_(dm[:, 1:])


def _plain(dtype):
    def into(b, o, scratch):
        o.copy_(b.view(dtype))  # [n, itemsize] bytes -> [n, 1] values
    return into


# stored type name -> (bytes per block, values per block, dequantiser of a chunk of blocks);
# each bitwise equal to gguf.quants (tests/engine/test_gguf_dequant.py)
TORCH_DEQUANT = {
    "F32": (4, 1, _plain(torch.float32)), "F16": (2, 1, _plain(torch.float16)), "BF16": (2, 1, _plain(torch.bfloat16)),
    "Q8_0": (34, 32, _q8_0), "Q4_0": (18, 32, _q4_0), "Q4_1": (20, 32, _q4_1),
}


def dequantize_into(t, out: torch.Tensor) -> None:
    """One reader tensor's values written into `out` (contiguous float32, the tensor's shape in
    Hugging Face's axis order), vectorised over blocks, a cache-sized chunk at a time."""
    size, per, fn = TORCH_DEQUANT[t.tensor_type.name]
    b = _blocks(t, size)  # [n_blocks, size]
    if b.shape[0] * per != out.numel():
        raise ModelLoadError(f"GGUF tensor {t.name!r} has {b.shape[0] * per} values, expected "
                             f"{tuple(out.shape)}; truncated?")
    o = out.view(-1, per)  # [n_blocks, values per block]
    scratch = Scratch(min(CHUNK, b.shape[0]))
    with torch.no_grad():
        for s in range(0, b.shape[0], CHUNK):
            fn(b[s:s + CHUNK], o[s:s + CHUNK], scratch)


def torch_dequantizable(t) -> bool:
    return t.tensor_type.name in TORCH_DEQUANT


def dequantize(t) -> torch.Tensor:
    """One reader tensor as float32, in Hugging Face's axis order ([out, in] for a matrix)."""
    from gguf import dequantize as gguf_dequantize

    expect = tuple(int(n) for n in reversed(t.shape))
    if torch_dequantizable(t):
        out = torch.empty(expect, dtype=torch.float32)
        try:
            dequantize_into(t, out)
        except (RuntimeError, ValueError) as e:  # a byte count that does not split into blocks
            raise ModelLoadError(f"GGUF tensor {t.name!r} is truncated or corrupt ({e})") from None
        return out

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
