"""Head interventions for engine.run: ablate one attention head (zero or mean) or scale it.

A head's contribution to the residual stream is W_O applied to its slice of `hook_z`
([batch, pos, head, d_head]), so editing that slice edits exactly that head's output:

    zero   z[..., h, :] = 0                       (the head says nothing)
    mean   z[..., h, :] = mean over batch and pos  (the head says its average thing, this run)
    scale  z[..., h, :] *= factor

    engine.run(model, ids, interventions=head_interventions(model, [HeadEdit(1, 0, "zero")]))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

from .errors import InputError
from .hooks import HookFn, HookPoint



@dataclass(frozen=True)
class HeadEdit:
    layer: int
    head: int
    mode: str = "zero"  # a key of EDITS
    factor: float = 1.0  # used by "scale"
    module: str = "attn"  # "attn" (self-attention) or "cross_attn" (encoder-decoder)
    stack: str | None = None  # "encoder" | "decoder" for encoder-decoder models; None = the only one

    def describe(self) -> str:
        what = {"zero": "zeroed", "mean": "mean-ablated"}.get(self.mode, f"scaled ×{self.factor:g}")
        where = f"{self.stack} " if self.stack else ""
        return f"{where}layer {self.layer} {self.module} head {self.head} {what}"


def _zero(h: torch.Tensor, e: HeadEdit) -> None:
    h.zero_()


def _mean(h: torch.Tensor, e: HeadEdit) -> None:
    h.copy_(h.mean(dim=(0, 1), keepdim=True).expand_as(h))  # [1, 1, d_head] -> [batch, pos, d_head]


def _scale(h: torch.Tensor, e: HeadEdit) -> None:
    h.mul_(e.factor)


# mode -> edit of one head's slice h = z[:, :, head] ([batch, pos, d_head], a view), in place on a clone
EDITS: dict[str, Callable[[torch.Tensor, HeadEdit], None]] = {"zero": _zero, "mean": _mean, "scale": _scale}


def z_hook_name(model, e: HeadEdit) -> str:
    """The hook_z of the edited head's module, checked against the model's hook points."""
    prefix = f"{e.stack}." if e.stack else ""
    name = f"{prefix}blocks.{e.layer}.{e.module}.hook_z"
    if name not in model.hook_points:
        stacks = sorted(p.rstrip(".") for p in model.stack_layers if p)
        hint = f" (this model's stacks: {', '.join(stacks)})" if stacks else ""
        raise InputError(f"{model.cfg.architecture} has no attention module {name.removesuffix('.hook_z')}{hint}")
    return name


def check(model, e: HeadEdit) -> None:
    if e.mode not in EDITS:
        raise InputError(f"unknown head edit {e.mode!r}; choose {', '.join(EDITS)}")
    n_layers = model.stack_layers.get(f"{e.stack}." if e.stack else "", 0)
    if not 0 <= e.layer < n_layers:
        raise InputError(f"layer {e.layer} is out of range: the model has layers 0–{n_layers - 1}")
    if not 0 <= e.head < model.cfg.n_heads:
        raise InputError(f"head {e.head} is out of range: the model has heads 0–{model.cfg.n_heads - 1}")
    z_hook_name(model, e)


def head_interventions(model, edits: list[HeadEdit]) -> dict[str, HookFn]:
    """{hook name: fn} for engine.run; several edits on one module share one function."""
    by_hook: dict[str, list[HeadEdit]] = {}
    for e in edits:
        check(model, e)
        by_hook.setdefault(z_hook_name(model, e), []).append(e)

    def make(es: list[HeadEdit]) -> HookFn:
        def fn(z: torch.Tensor, hp: HookPoint) -> torch.Tensor:
            z = z.clone()
            for e in es:
                EDITS[e.mode](z[:, :, e.head], e)  # [batch, pos, d_head], a view into the clone
            return z

        return fn

    return {name: make(es) for name, es in by_hook.items()}
