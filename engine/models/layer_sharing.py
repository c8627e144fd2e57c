"""ALBERT: one layer's weights run at several depths. Each layer keeps its own modules (so its own
hook points: blocks.0..N-1 are all recorded) but its parameters are its source layer's tensors.

Loading to a device rebuilds parameters one by one (to_empty), which would separate them again,
so the model calls share_layer_weights from tie_weights()."""
from __future__ import annotations

from torch import nn


def share_layer_weights(blocks: nn.ModuleList, sources: list[int]) -> None:
    """Point every parameter of blocks[i] at blocks[sources[i]]'s parameter of the same name."""
    for i, src in enumerate(sources):
        if src == i:
            continue
        theirs = dict(blocks[src].named_parameters())
        blk = blocks[i]
        for name in [n for n, _ in blk.named_parameters()]:
            owner, _, leaf = name.rpartition(".")
            setattr(blk.get_submodule(owner) if owner else blk, leaf, theirs[name])


def shared_with(prefix: str, sources: list[int]) -> dict[str, str]:
    """{'blocks.1': 'blocks.0', ...}: the layers that run another layer's weights, and whose."""
    return {f"{prefix}blocks.{i}": f"{prefix}blocks.{src}" for i, src in enumerate(sources) if src != i}
