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
from .fields import FieldRules, rules_of

Tensors = Mapping[str, torch.Tensor]


@dataclass(frozen=True)
class Converter:
    architecture: str
    build_config: Callable[[dict], ModelConfig]
    convert: Callable[[Tensors, ModelConfig], dict[str, torch.Tensor]]
    rules: FieldRules
    owner: type | None = None  # the converter class (for the support table)

    def make_config(self, hf: dict) -> ModelConfig:
        """Refuse what we do not implement (by name), then build; undeclared fields become notes."""
        self.rules.refuse(hf, self.architecture)
        cfg = self.build_config(hf)
        unknown = self.rules.undeclared(hf)
        if unknown:
            cfg.extra.setdefault("notes", []).append(
                f"config field(s) this playground does not know were ignored: {', '.join(unknown)}"
            )
        return cfg


CONVERTERS: dict[str, Converter] = {}


def register(*architectures: str):
    """Class decorator: `@register("X") class X: config(hf) / weights(tensors, cfg)` plus its field
    declaration (USED / IGNORED / REFUSED, see fields.py). A subclass registers its own names and
    changes only what differs, as transformers' modular model files do."""

    def deco(cls):
        for arch in architectures:
            CONVERTERS[arch] = Converter(arch, cls.config, cls.weights, rules_of(cls), cls)
        return cls

    return deco


# Architectures people have that we know and do not build yet, with the reason (said before the list).
KNOWN_UNSUPPORTED: dict[str, str] = {
    **{a: "mixture-of-experts layers (a router choosing experts per token) are not implemented"
       for a in ("MixtralForCausalLM", "Qwen2MoeForCausalLM", "Qwen3MoeForCausalLM", "OlmoeForCausalLM",
                 "DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM", "PhimoeForCausalLM", "GraniteMoeForCausalLM",
                 "NllbMoeForConditionalGeneration")},
    **{a: "state-space / recurrent layers are not attention and are not implemented"
       for a in ("MambaForCausalLM", "Mamba2ForCausalLM", "RwkvForCausalLM", "RecurrentGemmaForCausalLM",
                 "JambaForCausalLM", "FalconMambaForCausalLM")},
    **{a: "vision-language models are not implemented (open the text-only checkpoint instead)"
       for a in ("Gemma3ForConditionalGeneration", "LlavaForConditionalGeneration",
                 "Qwen2VLForConditionalGeneration", "Qwen2_5_VLForConditionalGeneration",
                 "MllamaForConditionalGeneration", "PaliGemmaForConditionalGeneration")},
}


def converter_for(architecture: str) -> Converter:
    load_all()
    try:
        return CONVERTERS[architecture]
    except KeyError:
        why = KNOWN_UNSUPPORTED.get(architecture)
        lead = f"{architecture}: {why}" if why else f"unsupported architecture {architecture!r}"
        raise UnsupportedArchitecture(f"{lead}; supported: {', '.join(sorted(CONVERTERS))}") from None


def supported() -> list[str]:
    load_all()
    return sorted(CONVERTERS)


def load_all() -> None:
    """Import every converter module (each registers itself)."""
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
