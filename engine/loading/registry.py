"""Architecture name -> converter. One pure converter per architecture, registered, no elif chain.

A converter turns a Hugging Face config dict into a ModelConfig, and the checkpoint's tensors
(name -> tensor) into our state dict.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import torch

from ..config import ModelConfig
from ..errors import UnsupportedArchitecture

Tensors = Mapping[str, torch.Tensor]


@dataclass(frozen=True)
class Converter:
    architecture: str
    make_config: Callable[[dict], ModelConfig]
    convert: Callable[[Tensors, ModelConfig], dict[str, torch.Tensor]]


CONVERTERS: dict[str, Converter] = {}


def register(*architectures: str):
    """Decorator for a module-level pair: `@register("X") class X: config(...) / weights(...)`."""

    def deco(cls):
        for arch in architectures:
            CONVERTERS[arch] = Converter(arch, cls.config, cls.weights)
        return cls

    return deco


def converter_for(architecture: str) -> Converter:
    _load_all()
    try:
        return CONVERTERS[architecture]
    except KeyError:
        raise UnsupportedArchitecture(
            f"unsupported architecture {architecture!r}; supported: {', '.join(sorted(CONVERTERS))}"
        ) from None


def supported() -> list[str]:
    _load_all()
    return sorted(CONVERTERS)


def _load_all() -> None:
    from . import converters  # noqa: F401  (registers on import)


def take(tensors: Tensors, name: str) -> torch.Tensor:
    """Fetch one checkpoint tensor with a clear error when it is missing."""
    from ..errors import ModelLoadError

    try:
        return tensors[name]
    except KeyError:
        raise ModelLoadError(f"the checkpoint has no tensor {name!r} (truncated or wrong model?)") from None


def strip_prefix(tensors: Tensors, prefixes: tuple[str, ...]) -> dict[str, torch.Tensor]:
    """Drop the first matching wrapper prefix ('transformer.', 'model.', ...) from every name."""
    out = {}
    for k, v in tensors.items():
        for p in prefixes:
            if k.startswith(p):
                k = k[len(p):]
                break
        out[k] = v
    return out
