"""Fusing projections that read the same input (Q/K/V; gate/up) into one matmul.

The separate nn.Linear parameters keep their names and values but become views into one
concatenated matrix, so checkpoints, hooks and interventions see nothing different, no memory
is duplicated, and a decode step launches one matmul instead of three.
"""
from __future__ import annotations

import torch
from torch import nn


def fuse_linears(linears: list[nn.Linear]) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Re-point each linear's weight (and bias) at a slice of one fused tensor; return it."""
    weight = torch.cat([lin.weight.data for lin in linears], dim=0)  # [sum(out), in]
    has_bias = all(lin.bias is not None for lin in linears)
    bias = torch.cat([lin.bias.data for lin in linears]) if has_bias else None  # [sum(out)]
    start = 0
    for lin in linears:
        n = lin.weight.shape[0]
        lin.weight.data = weight[start:start + n]
        if has_bias:
            lin.bias.data = bias[start:start + n]
        start += n
    return weight, bias


class FusionGeneration:
    """A counter bumped by every fuse/unfuse anywhere: cached plans over fused tensors
    (fast_step's closures) compare it with the value they were built at and rebuild."""

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1


GENERATION = FusionGeneration()


class FusableMixin:
    """A module with `_fuse_groups()`; `fuse()` fuses them, and moving the module re-fuses."""

    fused_weights: list | None = None

    def _fuse_groups(self) -> list[list[nn.Linear]]:
        raise NotImplementedError

    def fuse_groups(self) -> list[list[nn.Linear]]:
        """The linears fused together, one list per fused matrix (fast_layout re-lays them)."""
        return self._fuse_groups()

    def fuse(self) -> None:
        groups = self._fuse_groups()
        if any(any(lin.bias is not None for lin in g) and not all(lin.bias is not None for lin in g) for g in groups):
            return  # mixed bias presence: keep the separate matmuls
        self.fused_weights = [fuse_linears(g) for g in groups]
        GENERATION.bump()

    def unfuse(self) -> None:
        """Separate matmuls again (the parameters stay views into the fused tensor)."""
        self.fused_weights = None
        GENERATION.bump()

    def _apply(self, fn, recurse=True):
        out = super()._apply(fn, recurse)
        if self.fused_weights is not None:
            self.fuse()  # .to()/.half() gave each parameter its own storage: fuse again
        return out
