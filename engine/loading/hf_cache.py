"""Models already in the local Hugging Face cache, by repo id (read offline, never downloaded).

A snapshot is a folder of symlinks into `blobs/` (files without an extension). It holds a model
folder (config.json + weights), GGUF files, or both: `org/Repo` opens the folder, or the repo's
only GGUF file; `org/Repo:FILE.gguf` opens one GGUF file of several.
"""
from __future__ import annotations

import os
from pathlib import Path

from .gguf_pick import gguf_files, pick
from .sources import ModelRef, register_source


def cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    return home / "hub"


def _has_model(snap: Path) -> bool:
    return (snap / "config.json").exists() or bool(gguf_files(snap))


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
            if _has_model(p):
                return p
    return None


def _repo_dir(repo_id: str) -> Path:
    return cache_dir() / ("models--" + repo_id.replace("/", "--"))


def _find(name: str) -> ModelRef | None:
    if "/" not in name or name.startswith((".", "/", "~")):
        return None
    repo_id, _, want = name.partition(":")
    repo = _repo_dir(repo_id)
    snap = _snapshot(repo) if repo.is_dir() else None
    if snap is None:
        return None
    if not want and (snap / "config.json").exists():
        return ModelRef(name, "hf-cache", snap)
    files = gguf_files(snap)
    if not files:
        return None
    return ModelRef(name, "hf-cache", pick(repo_id, snap, files, want or None), {"format": "gguf"})


def _list() -> list[ModelRef]:
    root = cache_dir()
    if not root.is_dir():
        return []
    out = []
    for d in sorted(root.glob("models--*")):
        snap = _snapshot(d)
        if snap is None:
            continue
        repo_id = d.name[len("models--"):].replace("--", "/")
        folder = (snap / "config.json").exists()
        if folder:
            out.append(ModelRef(repo_id, "hf-cache", snap))
        files = gguf_files(snap)
        for f in files:
            name = repo_id if len(files) == 1 and not folder else f"{repo_id}:{f.relative_to(snap).as_posix()}"
            out.append(ModelRef(name, "hf-cache", f, {"format": "gguf"}))
    return out


register_source("hf-cache", _find, _list)
