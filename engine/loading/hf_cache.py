"""Models already in the local Hugging Face cache, by repo id (read offline, never downloaded)."""
from __future__ import annotations

import os
from pathlib import Path

from .sources import ModelRef, register_source


def cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    return home / "hub"


def _snapshot(repo_dir: Path) -> Path | None:
    ref = repo_dir / "refs" / "main"
    snaps = repo_dir / "snapshots"
    if ref.is_file():
        p = snaps / ref.read_text().strip()
        if p.is_dir():
            return p
    if snaps.is_dir():
        found = sorted(snaps.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in found:
            if (p / "config.json").exists():
                return p
    return None


def _find(name: str) -> ModelRef | None:
    if "/" not in name or name.startswith((".", "/")):
        return None
    repo = cache_dir() / ("models--" + name.replace("/", "--"))
    snap = _snapshot(repo) if repo.is_dir() else None
    return ModelRef(name, "hf-cache", snap) if snap and (snap / "config.json").exists() else None


def _list() -> list[ModelRef]:
    root = cache_dir()
    if not root.is_dir():
        return []
    out = []
    for d in sorted(root.glob("models--*")):
        snap = _snapshot(d)
        if snap and (snap / "config.json").exists():
            out.append(ModelRef(d.name[len("models--"):].replace("--", "/"), "hf-cache", snap))
    return out


register_source("hf-cache", _find, _list)
