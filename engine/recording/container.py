"""The recording file: safetensors tensors + one JSON document in the safetensors metadata.

Written through engine.io_utils.atomic_write (temp file beside the target, fsync, checked as a
safetensors file, renamed), read back with every way it can be damaged turned into one
InputError naming the file: not a safetensors file, a cut-short header or data, not a
recording, another version, tensors the JSON names but the file lacks.
"""
from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..file_checks import CHECKS
from ..io_utils import atomic_write

FORMAT = "tplay-recording"
VERSION = 1
SUFFIX = ".tplayrec"
META_KEY = "tplay-recording"  # the safetensors metadata key holding the JSON document
MAX_HEADER = 512 * 2**20  # a header bigger than this is damage, not a recording

CHECKS.setdefault(SUFFIX, CHECKS[".safetensors"])  # atomic_write checks a .tplayrec like a .safetensors


@dataclass
class Recording:
    meta: dict  # the JSON document (format, version, and the writer's own keys)
    tensors: dict = field(default_factory=dict)  # name -> torch.Tensor

    def tensor(self, name: str):
        """A tensor the JSON refers to; InputError when the file lacks it (a hand-edited file)."""
        try:
            return self.tensors[name]
        except KeyError:
            raise InputError(f"the recording names a tensor '{name}' it does not hold") from None


def _prepared(tensors: dict) -> dict:
    """Contiguous CPU tensors that share no storage (safetensors refuses shared ones)."""
    return {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}


DTYPE_NAMES = {"float32": "F32", "float16": "F16", "bfloat16": "BF16", "float64": "F64", "int64": "I64",
               "int32": "I32", "int16": "I16", "int8": "I8", "uint8": "U8", "bool": "BOOL"}


def estimate_bytes(meta: dict, tensors: dict) -> int:
    """The file's size before writing: safetensors' header (the tensors' entries and the JSON
    document as one metadata string, padded to 8 bytes) plus the tensors' bytes."""
    entries, offset = {}, 0
    for k, t in tensors.items():
        n = t.numel() * t.element_size()
        entries[k] = {"dtype": DTYPE_NAMES.get(str(t.dtype).replace("torch.", ""), "F32"), "shape": list(t.shape),
                      "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(_document(meta), ensure_ascii=False)
    header = json.dumps({"__metadata__": {META_KEY: text}, **entries}, ensure_ascii=False, separators=(",", ":"))
    n = len(header.encode())
    return 8 + n + (-n) % 8 + offset


def _document(meta: dict) -> dict:
    return {**meta, "format": FORMAT, "version": VERSION}


def write(path: str | os.PathLike, meta: dict, tensors: dict) -> Path:
    """Write a recording atomically; `meta` must be JSON (its format and version are set here)."""
    from safetensors.torch import save_file

    path = Path(path)
    text = json.dumps(_document(meta), ensure_ascii=False)  # -Infinity: a pruned beam's log-prob
    ready = _prepared(tensors)
    atomic_write(path, lambda tmp: save_file(ready, tmp, metadata={META_KEY: text}))
    return path


def read(path: str | os.PathLike) -> Recording:
    """Read and check a recording; every damage is one InputError naming the file."""
    path = Path(path)
    try:
        return _read(path)
    except InputError as e:
        raise InputError(f"cannot open {path.name}: {e}") from None


def _read(path: Path) -> Recording:
    from safetensors.torch import load

    if path.is_dir():
        raise InputError("it is a folder, not a recording")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    header = _header(raw)
    meta = _meta(header)
    try:
        tensors = load(raw)
    except Exception as e:  # noqa: BLE001 - safetensors' own error types differ between versions
        raise InputError(f"its tensors do not read ({str(e).splitlines()[0][:120]})") from None
    return Recording(meta, tensors)


def _header(raw: bytes) -> dict:
    if len(raw) < 8:
        raise InputError("the file is empty or cut short" if raw else "the file is empty")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > MAX_HEADER or n > len(raw) - 8:
        raise InputError("it is not a recording (no safetensors header), or the file is cut short")
    try:
        header = json.loads(raw[8:8 + n].decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError("it is not a recording (its header does not parse)") from None
    if not isinstance(header, dict):
        raise InputError("it is not a recording (its header is not an object)")
    end = 0
    for k, v in header.items():
        if k == "__metadata__":
            continue
        offsets = v.get("data_offsets") if isinstance(v, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            raise InputError(f"it is not a recording (tensor '{k}' has no data offsets)")
        end = max(end, offsets[1])
    if 8 + n + end != len(raw):
        raise InputError("the file is cut short (was the save interrupted?)" if 8 + n + end > len(raw)
                         else "it has bytes after its last tensor (not a recording this program wrote)")
    return header


def _meta(header: dict) -> dict:
    meta = header.get("__metadata__")
    if not isinstance(meta, dict) or META_KEY not in meta:
        raise InputError("it is a safetensors file but not a Transformer Playground recording")
    try:
        doc = json.loads(meta[META_KEY])
    except (ValueError, RecursionError):
        raise InputError("its recording description is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError("it is not a Transformer Playground recording")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
        raise InputError(f"recording version {version!r} is not supported (expected the number {VERSION})")
    return doc
