"""The parity-case registry: random tiny `transformers` models, one or more per architecture.

A family adds a file `case_<family>.py` here with functions decorated by `@case(...)`, each
returning a randomly initialised, perturbed transformers model in eval mode (built offline from a
config with the family's characteristic options). test_parity.py discovers every file, checks that
every registered converter has at least one case, and runs each case through `tplay logits`,
greedy decoding and the consistency checks.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable

import torch

VOCAB = 89  # a word-level tokenizer "w0".."w88" is written beside every model


def lm_logits(model, ids: torch.Tensor, target: torch.Tensor | None) -> torch.Tensor:
    """The reference's logits [1, pos, vocab] for a causal / masked LM or a seq2seq model."""
    kw = {"decoder_input_ids": target} if target is not None else {}
    return model(input_ids=ids, **kw).logits


@dataclass(frozen=True)
class Case:
    architecture: str  # the Hugging Face class name our converter is registered under
    name: str
    build: Callable[[], torch.nn.Module]
    reference: Callable[[torch.nn.Module, torch.Tensor, torch.Tensor | None], torch.Tensor] = lm_logits
    output: str = "logits"  # "logits" through `tplay logits`, or "hidden" (a headless encoder)
    greedy: bool = True  # 20 greedy tokens must equal transformers' generate
    atol: float = 1e-4
    prompt: tuple[int, ...] | None = None  # None: test_parity's PROMPT (12 tokens)

    @property
    def id(self) -> str:
        return f"{self.architecture}-{self.name}"


CASES: list[Case] = []


def case(architecture: str, name: str, **options):
    """Register `fn() -> transformers model` as a parity case of `architecture`."""

    def deco(fn):
        CASES.append(Case(architecture, name, fn, **options))
        return fn

    return deco


def perturbed(model, seed: int = 0, scale: float = 0.05):
    """Random init leaves biases at 0 and norms at 1: perturb everything so every path counts."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * scale)
    return model.eval()


def random_hf(model_class: str, config_class: str, seed: int = 0, scale: float = 0.1, **config):
    """A transformers model with `config`, eager attention (it returns attentions), perturbed."""
    import transformers

    torch.manual_seed(seed)
    cfg = getattr(transformers, config_class)(**{"attn_implementation": "eager", **config})
    return perturbed(getattr(transformers, model_class)(cfg), seed=seed, scale=scale)


def all_cases() -> list[Case]:
    from . import __path__ as here

    for info in pkgutil.iter_modules(here):
        if info.name.startswith("case_"):
            importlib.import_module(f"{__package__}.{info.name}")
    return sorted(CASES, key=lambda c: c.id)
