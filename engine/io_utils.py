"""Small file helpers: atomic writes so nothing the user saves is ever half-written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call write(tmp_path) on a temp file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600 files; keep the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The existing file's mode, or what a plain open() would give under the current umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    def _w(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    atomic_write(path, _w)


def atomic_write_safetensors(tensors, path, metadata=None) -> None:
    from safetensors.torch import save_file

    tensors = unshared(tensors)
    atomic_write(path, lambda tmp: save_file(tensors, tmp, metadata=metadata))


def unshared(tensors: dict) -> dict:
    """CPU, contiguous tensors by name, where no two overlap in memory (safetensors refuses that).

    A hook point that passes its input through (blocks.0.hook_resid_post is blocks.1.hook_resid_pre)
    records the very same tensor; only such overlapping ones are cloned, since a trace can be large.
    """
    kept: dict[int, list[tuple[int, int]]] = {}  # storage address -> byte ranges already kept
    out = {}
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        start = t.data_ptr()
        stop = start + t.numel() * t.element_size()
        ranges = kept.setdefault(t.untyped_storage().data_ptr(), [])
        if any(start < b and a < stop for a, b in ranges):
            t = t.clone()
        else:
            ranges.append((start, stop))
        out[name] = t
    return out
