"""ALBERT: one layer's weights run at every depth. Each layer keeps its own modules (so its own
hook points: blocks.0..N-1 are all recorded) but every parameter is layer 0's tensor.

Loading to a device rebuilds parameters one by one (to_empty), which would separate them again,
so the model calls share_layer_weights from tie_weights()."""
from __future__ import annotations

from torch import nn


def share_layer_weights(blocks: nn.ModuleList) -> None:
    """Point every parameter of blocks[1:] at blocks[0]'s parameter of the same name."""
    first = dict(blocks[0].named_parameters())
    for blk in blocks[1:]:
        for name in [n for n, _ in blk.named_parameters()]:
            owner, _, leaf = name.rpartition(".")
            setattr(blk.get_submodule(owner) if owner else blk, leaf, first[name])


def shared_with(prefix: str, n_layers: int) -> dict[str, str]:
    """{'blocks.1': 'blocks.0', ...}: which layer's weights each later layer runs."""
    return {f"{prefix}blocks.{i}": f"{prefix}blocks.0" for i in range(1, n_layers)}
