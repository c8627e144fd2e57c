"""GGUF file -> (ModelConfig, our state dict, tokenizer), through the file's architecture entry."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import torch

from ...config import ModelConfig
from ...errors import ModelLoadError, UnsupportedArchitecture
from ...tokenizers import TextTokenizer
from ..registry import converter_for
from .arch import ARCHITECTURES, GGUFArchitecture, entry_for
from .reader import Contents, dequantize, dequantize_into, read, torch_dequantizable


def architecture_of(c: Contents, path: Path) -> GGUFArchitecture:
    arch = entry_for(c)
    if arch is None:
        raise UnsupportedArchitecture(
            f"{path.name}: GGUF architecture {c.arch!r} is not supported; "
            f"supported: {', '.join(sorted(ARCHITECTURES))}"
        )
    return arch


def _converter(arch: GGUFArchitecture, c: Contents, path: Path):
    try:
        return converter_for(arch.hf_architecture)
    except UnsupportedArchitecture:
        raise UnsupportedArchitecture(
            f"{path.name}: GGUF architecture {c.arch!r} is read as {arch.hf_architecture}, "
            "which this build cannot run yet"
        ) from None


def _make_config(conv, hf: dict, path: Path) -> ModelConfig:
    try:
        return conv.make_config(hf)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{path.name}: the GGUF metadata has a missing or bad value: {e}") from None


def hf_view(path: Path, c: Contents | None = None) -> tuple[dict, dict[str, torch.Tensor]]:
    """The file as a Hugging Face checkpoint: (config.json dict, tensors by Hugging Face name)."""
    path = Path(path)
    c = c or Contents.of_reader(*read(path))
    arch = architecture_of(c, path)
    hf = arch.hf_config(c)
    check_unknown_tensors(arch, c, path)
    tensors = {}
    for t in c.reader.tensors:
        if t.name in arch.CONSUMED:
            continue
        hf_name = arch.hf_name(t.name)
        try:
            tensors[hf_name] = arch.fix_tensor(hf_name, dequantize(t), hf)
        except RuntimeError as e:  # rows that do not split into the heads the metadata states
            raise ModelLoadError(
                f"{path.name}: tensor {t.name!r} with shape {tuple(reversed(t.shape.tolist()))} does not fit "
                f"the head counts in the metadata ({e})"
            ) from None
    return hf, arch.finish(tensors, hf)


def deferred_view(path: Path, c: Contents) -> tuple[dict, dict[str, torch.Tensor]]:
    """hf_view with every tensor deferred (deferred.py): shapes now, values when the model is
    filled, each dequantised straight into its parameter (through a temporary only when
    llama.cpp's converter changed it, e.g. permuted Q/K rows)."""
    from ..deferred import Reader, deferred
    from ..meta_build import MetaShortcuts

    arch = architecture_of(c, path)
    hf = arch.hf_config(c)
    check_unknown_tensors(arch, c, path)
    tensors = {}
    for t in c.reader.tensors:
        if t.name in arch.CONSUMED:
            continue
        hf_name = arch.hf_name(t.name)
        stand_in = torch.empty(tuple(int(n) for n in reversed(t.shape)), device="meta")
        try:
            with MetaShortcuts():
                fixed = arch.fix_tensor(hf_name, stand_in, hf)
        except RuntimeError as e:  # rows that do not split into the heads the metadata states
            raise ModelLoadError(
                f"{path.name}: tensor {t.name!r} with shape {tuple(reversed(t.shape.tolist()))} does not fit "
                f"the head counts in the metadata ({e})"
            ) from None
        if fixed is stand_in:
            reader = Reader(lambda t=t: dequantize(t),
                            (lambda out, t=t: dequantize_into(t, out)) if torch_dequantizable(t) else None)
        else:
            reader = Reader(lambda t=t, n=hf_name: arch.fix_tensor(n, dequantize(t), hf))
        tensors[hf_name] = deferred(fixed.shape, torch.float32, reader)
    return hf, arch.finish(tensors, hf)


def _deferred_state(conv, tensors: dict, cfg: ModelConfig) -> dict | None:
    """The converter run on deferred tensors; None when it computed with any (it then needs
    their values: the caller reads them all first)."""
    from ..deferred import reader_of
    from ..meta_build import MetaShortcuts

    try:
        with MetaShortcuts():
            state = conv.convert(tensors, cfg)
    except (RuntimeError, NotImplementedError, TypeError, ValueError, AttributeError):
        return None  # e.g. a value looked at (meta tensors have none)
    return state if all(reader_of(v) is not None for v in state.values()) else None


def load_gguf(path: Path) -> tuple[ModelConfig, dict[str, torch.Tensor], TextTokenizer]:
    from ...tokenizers.gguf_tokenizer import tokenizer_from_gguf

    path = Path(path)
    meta, reader = read(path)
    c = Contents.of_reader(meta, reader)
    arch = architecture_of(c, path)
    conv = _converter(arch, c, path)
    _make_config(conv, arch.hf_config(c), path)  # refuse what we cannot run before the slow part
    tokenizer = tokenizer_from_gguf(meta, str(path))
    hf, tensors = deferred_view(path, c)
    cfg = _make_config(conv, hf, path)
    state = _deferred_state(conv, tensors, cfg)
    if state is None:  # a converter that computes with the tensors: their values first
        hf, tensors = hf_view(path, c)
        state = conv.convert(tensors, cfg)
    cfg.extra.update(
        source="gguf",
        gguf_name=meta.get("general.name"),
        quantization=dict(Counter(t.tensor_type.name for t in reader.tensors)),
    )
    return cfg, state, tokenizer


def check_unknown_tensors(arch: GGUFArchitecture, c: Contents, path: Path) -> None:
    unknown = sorted(n for n in c.names - arch.CONSUMED if arch.hf_name(n) is None)
    if unknown:
        raise ModelLoadError(f"{path.name} holds tensor(s) the {c.arch} architecture does not use, e.g. {unknown[0]!r}")


def config_from_header(meta: dict, types: dict[str, str], path: Path) -> ModelConfig:
    """load_gguf's checks on the header alone (metadata, tensor names and types; no tensor data),
    for listings: the ModelConfig it would build, or the error it would raise."""
    path = Path(path)
    c = Contents.of_header(meta, types)
    arch = architecture_of(c, path)
    cfg = _make_config(_converter(arch, c, path), arch.hf_config(c), path)
    check_unknown_tensors(arch, c, path)
    return cfg


def describe_gguf(path: Path) -> dict:
    """Architecture, family and parameter count from the metadata alone (no dequantising)."""
    path = Path(path)
    meta, reader = read(path)
    c = Contents.of_reader(meta, reader)
    arch = architecture_of(c, path)
    cfg = _make_config(_converter(arch, c, path), arch.hf_config(c), path)
    params = sum(int(np.prod(t.shape)) for t in reader.tensors if t.name not in arch.CONSUMED)
    return {"architecture": cfg.architecture, "family": cfg.family, "parameters": params}
