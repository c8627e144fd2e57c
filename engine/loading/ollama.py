"""Ollama's model store, by Ollama's own names: `ollama:qwen2.5:0.5b`, `ollama:user/model:tag`.

The store (`$OLLAMA_MODELS`, else ~/.ollama/models, or the Linux service's
/usr/share/ollama/.ollama/models) holds `manifests/HOST/NAMESPACE/MODEL/TAG` JSON files whose layer
of mediaType `application/vnd.ollama.image.model` names a blob `blobs/sha256-<hex>`: a GGUF file
without an extension. Other layers are the chat template, sampling parameters, licence (none of
which changes the logits), a vision projector (the text model is unchanged), or a LoRA adapter,
which Ollama applies on top of the weights: such a model is refused, as its base alone would give
other numbers.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import ModelLoadError
from .sources import ModelRef, register_source

PREFIX = "ollama:"
REGISTRY, LIBRARY = "registry.ollama.ai", "library"
MODEL_LAYER = "application/vnd.ollama.image.model"
ADAPTER_LAYER = "application/vnd.ollama.image.adapter"


def roots() -> list[Path]:
    if os.environ.get("OLLAMA_MODELS"):
        return [Path(os.environ["OLLAMA_MODELS"]).expanduser()]
    return [Path.home() / ".ollama" / "models", Path("/usr/share/ollama/.ollama/models")]


def _name(parts: tuple[str, ...]) -> str:
    """(host, namespace, model, tag) -> the name Ollama prints: 'model:tag', 'ns/model:tag', …"""
    host, ns, model, tag = parts
    if host == REGISTRY:
        return f"{model}:{tag}" if ns == LIBRARY else f"{ns}/{model}:{tag}"
    return f"{host}/{ns}/{model}:{tag}"


def _parts(name: str) -> tuple[str, str, str, str]:
    """The inverse of _name; the tag defaults to 'latest' as in Ollama."""
    base, colon, tag = name.rpartition(":")
    if not colon or "/" in tag:
        base, tag = name, "latest"
    bits = base.split("/")
    full = {1: [REGISTRY, LIBRARY], 2: [REGISTRY], 3: []}.get(len(bits))
    if full is None or not all(bits):
        raise ModelLoadError(f"{PREFIX}{name} is not an Ollama model name (like {PREFIX}qwen2.5:0.5b)")
    host, ns, model = full + bits
    return host, ns, model, tag


def _ref(manifest: Path, root: Path, name: str) -> ModelRef:
    """The model blob a manifest names, with the reason it cannot open when there is one."""
    info: dict = {"manifest": str(manifest), "format": "gguf"}
    try:
        layers = json.loads(manifest.read_text(encoding="utf-8"))["layers"]
        kinds = {layer["mediaType"]: layer for layer in layers}
    except (OSError, ValueError, KeyError, TypeError) as e:
        info["refusal"] = f"{PREFIX}{name}: its manifest {manifest} is unreadable ({e})"
        return ModelRef(PREFIX + name, "ollama", manifest, info)
    model = kinds.get(MODEL_LAYER)
    if model is None or not isinstance(model.get("digest"), str):
        info["refusal"] = f"{PREFIX}{name}: its manifest names no model layer ({MODEL_LAYER})"
        return ModelRef(PREFIX + name, "ollama", manifest, info)
    blob = root / "blobs" / model["digest"].replace(":", "-")
    if ADAPTER_LAYER in kinds:
        info["refusal"] = (f"{PREFIX}{name} applies a LoRA adapter on top of its weights, which the playground "
                           "does not; its base model alone would give other numbers")
    elif not blob.is_file():
        info["refusal"] = f"{PREFIX}{name}: its model blob {blob} is missing (an interrupted pull?)"
    return ModelRef(PREFIX + name, "ollama", blob, info)


def _manifests(root: Path) -> list[tuple[str, Path]]:
    top = root / "manifests"
    if not top.is_dir():
        return []
    found = []
    for m in sorted(top.glob("*/*/*/*")):
        if m.is_file():
            found.append((_name(m.relative_to(top).parts), m))
    return found


def _find(name: str) -> ModelRef | None:
    if not name.startswith(PREFIX):
        return None
    want = name[len(PREFIX):]
    parts = _parts(want)
    for root in roots():
        manifest = root / "manifests" / Path(*parts)
        if manifest.is_file():
            return _ref(manifest, root, _name(parts))
    have = ", ".join(PREFIX + n for root in roots() for n, _ in _manifests(root)) or "none"
    where = " or ".join(str(r) for r in roots())
    raise ModelLoadError(f"no Ollama model {want!r} in {where} (set OLLAMA_MODELS to its store); have: {have}")


def _list() -> list[ModelRef]:
    return [_ref(m, root, n) for root in roots() for n, m in _manifests(root)]


register_source("ollama", _find, _list)
