"""A Hugging Face model folder: config.json + safetensors (sharded too) + tokenizer files.

Pickle checkpoints (pytorch_model.bin) are read only with torch.load(weights_only=True),
which refuses anything but tensors: nothing in a model file ever runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from ..config import ModelConfig
from ..errors import ModelLoadError
from .registry import converter_for


def read_config(folder: Path) -> dict:
    path = folder / "config.json"
    if not path.is_file():
        raise ModelLoadError(f"{folder} has no config.json, so it is not a Hugging Face model folder")
    try:
        hf = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelLoadError(f"{path} is not valid JSON ({e})") from None
    if not isinstance(hf, dict):
        raise ModelLoadError(f"{path} does not hold a JSON object")
    return hf


def architecture_of(hf: dict, path: Path) -> str:
    archs = hf.get("architectures") or []
    if not archs:
        raise ModelLoadError(f"{path / 'config.json'} names no architecture ('architectures' is missing)")
    return archs[0]


def read_tensors(folder: Path) -> dict[str, torch.Tensor]:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    files = sorted(folder.glob("*.safetensors"))
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        try:
            shards = sorted(set(json.loads(index.read_text())["weight_map"].values()))
        except (json.JSONDecodeError, KeyError) as e:
            raise ModelLoadError(f"{index} is malformed ({e})") from None
        files = [folder / s for s in shards]
        for f in files:
            if not f.is_file():
                raise ModelLoadError(f"shard {f.name} listed in {index.name} is missing")
    if files:
        tensors: dict[str, torch.Tensor] = {}
        for f in files:
            try:
                tensors.update(load_file(str(f)))
            except (SafetensorError, OSError, ValueError) as e:
                raise ModelLoadError(f"{f} is not a readable safetensors file ({e}); truncated?") from None
        return tensors
    pickle = folder / "pytorch_model.bin"
    if pickle.is_file():
        try:
            return torch.load(pickle, map_location="cpu", weights_only=True)
        except Exception:  # weights_only refuses anything but tensors; say so plainly
            raise ModelLoadError(
                f"{pickle} is not a plain-tensor checkpoint (torch.load with weights_only=True "
                "refused it, so nothing in it ran); convert it to safetensors"
            ) from None
    raise ModelLoadError(f"{folder} has no model.safetensors (or pytorch_model.bin)")


def load_folder(folder: Path) -> tuple[ModelConfig, dict[str, torch.Tensor]]:
    hf = read_config(folder)
    conv = converter_for(architecture_of(hf, folder))
    try:
        cfg = conv.make_config(hf)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{folder / 'config.json'} is missing or has a bad value: {e}") from None
    tensors = read_tensors(folder)
    return cfg, conv.convert(tensors, cfg)
