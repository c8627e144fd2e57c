"""LM Studio's models folder: PUBLISHER/REPO/FILE.gguf, named `lmstudio:PUBLISHER/REPO/FILE.gguf`
(or `lmstudio:PUBLISHER/REPO` when the repo holds one GGUF file).

The folder is $TPLAY_LMSTUDIO_MODELS, else ~/.lmstudio/models (LM Studio 0.3+ on every system;
~/.lmstudio-home-pointer may move ~/.lmstudio), else the older ~/.cache/lm-studio/models. LM Studio lays it out itself, in the home folder, on
every platform, so platformdirs' per-OS locations do not apply.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelLoadError
from .gguf_pick import gguf_files, pick
from .sources import ModelRef, register_source

PREFIX = "lmstudio:"
ENV = "TPLAY_LMSTUDIO_MODELS"


def roots() -> list[Path]:
    if os.environ.get(ENV):
        return [Path(os.environ[ENV]).expanduser()]
    home = Path.home()
    return [_lmstudio_home(home) / "models", home / ".cache" / "lm-studio" / "models"]


def _lmstudio_home(home: Path) -> Path:
    """~/.lmstudio, unless ~/.lmstudio-home-pointer names another folder (LM Studio's own relocation)."""
    try:
        pointed = (home / ".lmstudio-home-pointer").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        pointed = ""
    return Path(pointed).expanduser() if pointed else home / ".lmstudio"


def _repos(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*") if p.is_dir()) if root.is_dir() else []


def _find(name: str) -> ModelRef | None:
    if not name.startswith(PREFIX):
        return None
    want = name[len(PREFIX):]
    bits = want.split("/", 2)
    if len(bits) < 2 or not all(bits):
        raise ModelLoadError(f"{name} is not an LM Studio model name (like {PREFIX}PUBLISHER/REPO/FILE.gguf)")
    label = "/".join(bits[:2])
    for root in roots():
        repo = root / bits[0] / bits[1]
        if repo.is_dir():
            path = pick(PREFIX + label, repo, gguf_files(repo), bits[2] if len(bits) == 3 else None, sep="/")
            return ModelRef(name, "lmstudio", path, {"format": "gguf"})
    where = " or ".join(str(r) for r in roots())
    raise ModelLoadError(f"no LM Studio model {label!r} in {where} (set {ENV} to LM Studio's models folder)")


def _list() -> list[ModelRef]:
    out = []
    for root in roots():
        for repo in _repos(root):
            label = repo.relative_to(root).as_posix()
            for f in gguf_files(repo):
                out.append(ModelRef(f"{PREFIX}{label}/{f.relative_to(repo).as_posix()}", "lmstudio", f,
                                    {"format": "gguf"}))
    return out


register_source("lmstudio", _find, _list)
