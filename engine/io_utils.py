"""One writer for every file the program writes, so nothing the user saves is ever half-written.

A temp file (or folder) is written beside the target, flushed and fsync'ed, checked (its size, and
that it decodes: a PNG ends with its IEND chunk, an SVG parses, a .npy or .safetensors header matches
the file's length), then renamed over the target. A folder is swapped whole, so the previous model
survives any interruption. Temp files are removed on every exit path: exceptions, Ctrl+C, and
SIGTERM (cleanup.py turns it into SystemExit). Failures raise WriteError naming the user's path.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Callable

from .cleanup import pending
from .errors import WriteError
from .file_checks import check_file


def atomic_write(path: str | os.PathLike, write: Callable[[str], None], check: bool = True) -> None:
    """Call write(tmp_path) on a temp file beside `path`, fsync, check, then rename it into place."""
    path = Path(path)
    _no_file_above(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise WriteError(f"cannot write {path}: it is a folder")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except WriteError:
        raise
    except OSError as e:
        raise _write_error(path, e) from None
    with pending(tmp):
        try:
            write(tmp)
            _fsync(tmp)
            if check:
                check_file(tmp, path)
            os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600 files; keep the usual permissions
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        except WriteError:
            raise
        except OSError as e:
            raise _write_error(path, e) from None


def atomic_folder(path: str | os.PathLike, fill: Callable[[Path], None]) -> Path:
    """Call fill(tmp_folder) on a new folder beside `path`, check its files, then swap it for `path`.

    The previous folder is renamed aside and the new one into place with SIGINT/SIGTERM blocked
    (two renames, microseconds apart); a folder left aside by a SIGKILL between them is put back
    by the next write.
    """
    path = Path(path)
    _no_file_above(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _recover(path)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    except OSError as e:
        raise _write_error(path, e) from None
    with pending(tmp):
        try:
            fill(tmp)
            for f in sorted(tmp.iterdir()):
                _fsync(f)
                check_file(f, path / f.name)
                os.chmod(f, _mode_for(path / f.name))
            os.chmod(tmp, _mode_for(path, folder=True))
            _fsync_dir(tmp)
            _swap(tmp, path)
        except WriteError:
            raise
        except OSError as e:
            raise _write_error(path, e) from None
    return path


def _no_file_above(path: Path) -> None:
    """A path through a regular file (notes.txt/out.png) is one clear line, not "File exists"."""
    for above in path.parents:
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                raise WriteError(f"cannot write {path}: {above} is a file, not a folder")
            return


def _aside(path: Path) -> Path:
    return path.parent / f".{path.name}.previous"


def _recover(path: Path) -> None:
    """Undo a swap cut between its two renames (only SIGKILL or a power cut can do that)."""
    old = _aside(path)
    if old.exists():
        if path.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, path)


def _swap(tmp: Path, path: Path) -> None:
    old = _aside(path)
    blocked = {signal.SIGINT, signal.SIGTERM}
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if path.exists():
            os.rename(path, old)
            try:
                os.rename(tmp, path)
            except OSError:
                os.rename(old, path)
                raise
        else:
            os.rename(tmp, path)
        _fsync_dir(path.parent)
    finally:
        with pending(old):  # a signal now still removes the previous folder, never the new one
            if masked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
            if path.exists():
                shutil.rmtree(old, ignore_errors=True)


def _write_error(path: Path, e: OSError) -> WriteError:
    why = e.strerror or str(e)
    if e.filename and Path(e.filename).name.startswith(f".{path.name}."):
        e.filename = None  # never name our temp file
    elif e.filename and Path(str(e.filename)) not in (path, path.parent):
        why = f"{e.filename}: {why}"
    return WriteError(f"cannot write {path}: {why}")


def _fsync(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        _fsync(folder)
    except OSError:  # some file systems refuse fsync on a folder; the rename stands
        pass


def _mode_for(path: Path, folder: bool = False) -> int:
    """The existing file's mode, or what a plain open()/mkdir() would give under the current umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return (0o777 if folder else 0o666) & ~umask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, check: bool = True) -> None:
    def _w(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)

    atomic_write(path, _w, check=check)


def atomic_write_safetensors(tensors, path, metadata=None) -> None:
    from safetensors import SafetensorError
    from safetensors.torch import save_file

    tensors = unshared(tensors)

    def write(tmp: str) -> None:
        try:
            save_file(tensors, tmp, metadata=metadata)
        except SafetensorError as e:  # the Rust writer's I/O errors (a full disk) are not OSErrors
            raise OSError(0, str(e).removeprefix("Error while serializing: ")) from None

    atomic_write(path, write)


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
