"""GGUF files in a folder (by magic bytes, not name), and picking one by name for a repo-like source."""
from __future__ import annotations

from pathlib import Path

from ..errors import ModelLoadError


def gguf_files(folder: Path) -> list[Path]:
    """Files under `folder` that are GGUF: named *.gguf, or starting with the magic bytes.

    Paths are kept as found (a Hugging Face snapshot's symlink keeps the file's real name).
    """
    from .gguf_header import is_gguf

    out = []
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() == ".gguf" or (p.is_file() and is_gguf(p)):
            out.append(p)
    return out


def pick(label: str, folder: Path, files: list[Path], want: str | None, sep: str = ":") -> Path:
    """The GGUF file `want` (a path relative to `folder`) or, when there is only one, that one.

    label: how the user named the source ("org/Repo-GGUF"); error messages show `label{sep}FILE`.
    """
    rel = [p.relative_to(folder).as_posix() for p in files]
    if want is not None:
        if want in rel:
            return files[rel.index(want)]
        have = ", ".join(rel) or "none"
        raise ModelLoadError(f"{label} has no GGUF file {want!r}; it has: {have}")
    if len(files) == 1:
        return files[0]
    shown = ", ".join(rel[:8]) + (f", … ({len(rel)} in all)" if len(rel) > 8 else "")
    raise ModelLoadError(f"{label} holds {len(files)} GGUF files ({shown}); pick one as {label}{sep}{rel[0]} "
                         "or give its path")
