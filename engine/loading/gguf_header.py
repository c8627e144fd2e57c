"""A GGUF file's header alone — metadata and tensor table, no tensor data — read fast for listings.

GGUF is recognised by its first four bytes (b"GGUF"), never by its name: Ollama's blobs and the
Hugging Face cache's blobs have no extension. The gguf package's reader builds a numpy view per
field (about 0.8 s for a 49k-token vocabulary); this one walks the same bytes with struct and gives
the same values (`GGUFReader` field contents, plus its `GGUF.*` pseudo-fields) in a few tens of ms.
Headers are cached per (path, mtime, size), so a second listing reads nothing.
"""
from __future__ import annotations

import mmap
import os
import struct
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelLoadError

MAGIC = b"GGUF"
# GGUF value type -> (struct code, numpy dtype); 8 = string and 9 = array are variable-sized
_SCALARS = {0: ("B", "u1"), 1: ("b", "i1"), 2: ("H", "u2"), 3: ("h", "i2"), 4: ("I", "u4"), 5: ("i", "i4"),
            6: ("f", "f4"), 7: ("?", "?"), 10: ("Q", "u8"), 11: ("q", "i8"), 12: ("d", "f8")}
_STRING, _ARRAY = 8, 9


def is_gguf(path: Path) -> bool:
    """True when the file starts with the GGUF magic bytes (unreadable or missing: False)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == MAGIC
    except OSError:
        return False


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]  # GGUF order (reversed from torch's)
    type_name: str  # GGMLQuantizationType name: F32, Q4_K, …
    offset: int = 0  # of its data, from the start of the data section (GGUFHeader.data_start)
    type_id: int = -1  # the ggml type number

    @property
    def n_values(self) -> int:
        return int(np.prod(self.shape)) if self.shape else 1


@dataclass(frozen=True)
class GGUFHeader:
    path: Path
    meta: dict[str, Any]
    tensors: tuple[TensorInfo, ...]
    data_start: int = 0  # byte offset of the data section (after the header, aligned)

    @property
    def architecture(self) -> str | None:
        return self.meta.get("general.architecture")

    @property
    def tensor_names(self) -> set[str]:
        return {t.name for t in self.tensors}

    @property
    def n_values(self) -> int:
        return sum(t.n_values for t in self.tensors)

    def tensor_types(self) -> dict[str, int]:
        """How many tensors of each stored type, most first."""
        return dict(Counter(t.type_name for t in self.tensors).most_common())

    def quantization(self) -> str:
        """llama.cpp's name for the file's type ("Q4_K_M", from general.file_type), else the counted
        tensor types ("Q4_K×96 F32×45")."""
        from gguf import LlamaFileType

        ft = self.meta.get("general.file_type")
        try:
            name = LlamaFileType(ft).name if ft is not None else None
        except ValueError:
            name = None
        if name and name != "GUESSED":
            return name.removeprefix("MOSTLY_").removeprefix("ALL_")
        return " ".join(f"{t}×{n}" for t, n in self.tensor_types().items())


class _Cursor:
    """Reads little- or big-endian GGUF values from a buffer, advancing an offset."""

    def __init__(self, buf, order: str):
        self.buf, self.order, self.pos = buf, order, 0

    def scalar(self, code: str):
        (v,) = struct.unpack_from(self.order + code, self.buf, self.pos)
        self.pos += struct.calcsize(code)
        return v

    def string(self) -> str:
        n = self.scalar("Q")
        end = self.pos + n
        if end > len(self.buf):
            raise ValueError("a string runs past the end of the file")
        s = self.buf[self.pos:end].decode("utf-8")
        self.pos = end
        return s

    def strings(self, count: int) -> list[str]:
        """An array of strings (a vocabulary: 150k of them), in one tight loop."""
        unpack, buf, pos, out = struct.Struct(self.order + "Q").unpack_from, self.buf, self.pos, []
        append = out.append
        for _ in range(count):
            (n,) = unpack(buf, pos)
            pos += 8
            append(buf[pos:pos + n].decode("utf-8"))
            pos += n
        if pos > len(buf):
            raise ValueError("a string array runs past the end of the file")
        self.pos = pos
        return out

    def value(self, vtype: int):
        if vtype in _SCALARS:
            return self.scalar(_SCALARS[vtype][0])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY:
            etype, count = self.scalar("I"), self.scalar("Q")
            if etype == _STRING:
                return self.strings(count)
            if etype in _SCALARS:
                dt = np.dtype(_SCALARS[etype][1]).newbyteorder(self.order)
                arr = np.frombuffer(self.buf, dtype=dt, count=count, offset=self.pos)
                self.pos += dt.itemsize * count
                return arr.tolist()
            return [self.value(etype) for _ in range(count)]
        raise ValueError(f"unknown GGUF value type {vtype}")


def _parse(path: Path) -> GGUFHeader:
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        return _parse_buffer(path, buf)  # slices of the map are bytes; numpy views are dropped before it closes


def _parse_buffer(path: Path, buf) -> GGUFHeader:
    from gguf import GGMLQuantizationType

    if bytes(buf[:4]) != MAGIC:
        raise ModelLoadError(f"{path} is not a GGUF file (it does not start with the bytes 'GGUF')")
    (version,) = struct.unpack_from("<I", buf, 4)
    order = ">" if version & 0xFFFF == 0 else "<"  # a big-endian file reads as a huge version
    c = _Cursor(buf, order)
    c.pos = 4
    version, n_tensors, n_kv = c.scalar("I"), c.scalar("Q"), c.scalar("Q")
    meta: dict[str, Any] = {"GGUF.version": version, "GGUF.tensor_count": n_tensors, "GGUF.kv_count": n_kv}
    for _ in range(n_kv):
        key = c.string()
        meta[key] = c.value(c.scalar("I"))
    tensors = []
    for _ in range(n_tensors):
        name = c.string()
        shape = tuple(c.scalar("Q") for _ in range(c.scalar("I")))
        ttype = c.scalar("I")
        offset = c.scalar("Q")
        try:
            type_name = GGMLQuantizationType(ttype).name
        except ValueError:
            type_name = f"type {ttype}"
        tensors.append(TensorInfo(name, shape, type_name, offset, ttype))
    align = int(meta.get("general.alignment", 32) or 32)
    return GGUFHeader(path, meta, tuple(tensors), c.pos + (-c.pos % align))


_CACHE: dict[tuple[str, int, int], GGUFHeader] = {}


def read_header(path: Path) -> GGUFHeader:
    """The header of a GGUF file; any unreadable one becomes one ModelLoadError."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise ModelLoadError(f"cannot read {path}: {e.strerror or e}") from None
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _CACHE:
        try:
            _CACHE[key] = _parse(path)
        except ModelLoadError:
            raise
        except OSError as e:
            raise ModelLoadError(f"cannot read {path}: {e.strerror or e}") from None
        except (ValueError, struct.error, UnicodeDecodeError, OverflowError, MemoryError) as e:
            raise ModelLoadError(f"{path} is not a readable GGUF file: its header is truncated or corrupt ({e})"
                                 ) from None
    return _CACHE[key]


def split_refusal(header: GGUFHeader) -> str | None:
    """llama.cpp's split files (NAME-00001-of-00003.gguf) hold one model across several files."""
    n = header.meta.get("split.count")
    if n and int(n) > 1:
        return (f"{header.path.name} is part {int(header.meta.get('split.no', 0)) + 1} of a model split into {n} "
                "files, which the playground does not read; merge them with llama-gguf-split --merge")
    return None
