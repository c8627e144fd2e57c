"""Where models come from: bundled folders, installed packs, paths, the local HF cache, Ollama's
store and LM Studio's models folder.

Each source kind is a registered finder; `resolve(name)` asks them in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import ModelLoadError

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "models"


@dataclass
class ModelRef:
    name: str  # what the user typed or picked
    kind: str  # "bundled" | "pack" | "folder" | "gguf" | "hf-cache" | "ollama" | "lmstudio"
    path: Path  # a folder, or a GGUF file (maybe without extension: a blob)
    info: dict = field(default_factory=dict)  # "refusal": why it cannot open, known when found


Finder = Callable[[str], "ModelRef | None"]
Lister = Callable[[], "list[ModelRef]"]
FINDERS: list[tuple[str, Finder, Lister]] = []


def register_source(kind: str, find: Finder, list_all: Lister) -> None:
    FINDERS.append((kind, find, list_all))


def _bundled_find(name: str) -> ModelRef | None:
    p = RESOURCES / name
    if p.is_dir() and (p / "config.json").is_file():
        return ModelRef(name, "bundled", p)
    return None


def _bundled_list() -> list[ModelRef]:
    if not RESOURCES.is_dir():
        return []
    return [ModelRef(p.name, "bundled", p) for p in sorted(RESOURCES.iterdir()) if (p / "config.json").is_file()]


def _path_find(name: str) -> ModelRef | None:
    from .gguf_header import is_gguf

    p = Path(name).expanduser()
    if p.is_dir() and not (p / "config.json").exists():
        from .gguf_pick import gguf_files, pick

        files = gguf_files(p)
        if files:  # a folder of GGUF files (an HF snapshot, an LM Studio repo): its only one, or say which
            return ModelRef(name, "gguf", pick(name, p, files, None, sep="/"))
    if p.is_dir():
        return ModelRef(name, "folder", p.resolve())
    if p.is_file() and (p.suffix.lower() == ".gguf" or is_gguf(p)):  # blobs have no extension
        return ModelRef(name, "gguf", p.absolute())  # a symlink keeps its name (HF snapshots)
    looks_like_path = name.startswith((".", "/", "~")) or (p.suffix.lower() == ".gguf" and not _sourced(name))
    if p.is_file() and (looks_like_path or p.suffix):  # a repo id has no extension
        raise ModelLoadError(_not_a_model(name, p))
    if looks_like_path:
        raise ModelLoadError(f"no such file or folder: {name}")
    return None


def _sourced(name: str) -> bool:
    """'org/Repo:FILE.gguf', 'lmstudio:…', 'ollama:…' name a model inside a source, not a path
    (a Windows drive letter, 'C:\\', is a path)."""
    head, colon, _ = name.partition(":")
    return bool(colon) and len(head) > 1


def _not_a_model(name: str, p: Path) -> str:
    """An existing file that is not loadable; inside a model folder, point at the folder."""
    in_folder = (p.parent / "config.json").is_file()
    hint = f"; to load the model it belongs to, give its folder {p.parent}" if in_folder else ""
    return (f"{name} is not a model: give a .gguf (GGUF) file, or a folder with config.json and "
            f"*.safetensors weights{hint}")


register_source("bundled", _bundled_find, _bundled_list)
register_source("path", _path_find, lambda: [])


def _load_more_sources() -> None:
    from . import packs, hf_cache, ollama, lmstudio  # noqa: F401  (register on import)


def available() -> list[ModelRef]:
    _load_more_sources()
    out: list[ModelRef] = []
    for _, _, list_all in FINDERS:
        try:
            out.extend(list_all())
        except OSError:  # a store we may not read (another user's Ollama service): list the rest
            continue
    return out


def resolve(name: str) -> ModelRef:
    _load_more_sources()
    for _, find, _ in FINDERS:
        ref = find(name)
        if ref is not None:
            return ref
    names = ", ".join(r.name for r in available()) or "none"
    raise ModelLoadError(f"unknown model {name!r}; available: {names} (or a folder / GGUF file path)")


DEFAULT_MODELS = ("tiny-gpt", "tiny-translator")


def default_model() -> str:
    for n in DEFAULT_MODELS:
        if (RESOURCES / n / "config.json").is_file():
            return n
    refs = available()
    if not refs:
        raise ModelLoadError("no models found: the bundled models are missing from resources/models")
    return refs[0].name
