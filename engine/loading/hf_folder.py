"""A Hugging Face model folder: config.json + safetensors (sharded too) + tokenizer files (tokenizer.json,
or SentencePiece files: engine/tokenizers/spm_layouts.py says which; engine.tokenizers.load_tokenizer finds them).

Pickle checkpoints (pytorch_model.bin) are read only with torch.load(weights_only=True),
which refuses anything but tensors: nothing in a model file ever runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from ..config import ModelConfig
from ..errors import ModelLoadError
from .generation_file import with_generation_file
from .registry import converter_for
from .shard_index import shard_files


def read_config(folder: Path) -> dict:
    path = folder / "config.json"
    if not path.is_file():
        raise ModelLoadError(f"{folder} has no config.json, so it is not a Hugging Face model folder")
    try:
        hf = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelLoadError(f"{path} is not valid JSON ({e})") from None
    except RecursionError:
        raise ModelLoadError(f"{path} is nested too deeply to be a model config") from None
    if not isinstance(hf, dict):
        raise ModelLoadError(f"{path} does not hold a JSON object")
    return hf


def architecture_of(hf: dict, path: Path) -> str:
    archs = hf.get("architectures") or []
    if isinstance(archs, str):
        raise ModelLoadError(f"{path / 'config.json'}: 'architectures' must be a list of names, "
                             f"like [{archs!r}], not a string")
    if not isinstance(archs, list) or not archs or not isinstance(archs[0], str):
        raise ModelLoadError(f"{path / 'config.json'} names no architecture ('architectures' is missing)")
    return archs[0]


def read_tensors(folder: Path) -> dict[str, torch.Tensor]:
    """The checkpoint's tensors by name: safetensors as views of a private file map (read as the
    model is filled, page by page; see safetensors_map.py), a pickle only as plain tensors."""
    from .safetensors_map import read_files

    files = shard_files(folder)  # the index's shards, refused when outside the folder
    if files is None:
        files = sorted(folder.glob("*.safetensors"))
    if files:
        tensors = read_files(files)
        check_finite(tensors, folder)
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


def check_finite(tensors: dict[str, torch.Tensor], where) -> None:
    """NaN or inf in a weight poisons every number downstream: name the first such tensor. Each
    mapped tensor's pages go back once looked at (the fill reads them again from the page cache)."""
    from .build import finite
    from .safetensors_map import release

    for name, t in tensors.items():
        ok = finite(t)
        release(t)
        if not ok:
            bad = "NaN" if bool(torch.isnan(t).any()) else "infinite"
            raise ModelLoadError(f"{where}: tensor {name!r} holds {bad} values; the checkpoint is damaged")


def load_folder(folder: Path) -> tuple[ModelConfig, dict[str, torch.Tensor]]:
    hf = read_config(folder)
    conv = converter_for(architecture_of(hf, folder))
    hf = with_generation_file(hf, folder, getattr(conv.owner, "GENERATION_KEYS", ()))
    try:
        cfg = conv.make_config(hf)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError) as e:
        raise ModelLoadError(f"{folder / 'config.json'} is missing or has a bad value: {e}") from None
    tensors = read_tensors(folder)
    return cfg, conv.convert(tensors, cfg)
