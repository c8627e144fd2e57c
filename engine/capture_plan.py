"""What a capture will hold, before running it: every step's shape at the real prompt length.

One tiny run (a few tokens) records each step's shape; axes named as positions (`LENGTH_AXES`)
are then scaled to the real lengths (source and target separately for an encoder-decoder).
So the estimate follows the model's own hook points: no per-architecture formula.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import torch

from .hook_names import layer_key
from .hooks import records_only

LENGTH_AXES = {"pos", "query_pos", "key_pos"}
_SRC, _TGT = 3, 2  # the probe run's lengths (distinct, so a position axis says which it is)


@dataclass(frozen=True)
class PlannedStep:
    name: str
    shape: tuple[int, ...]
    dtype: torch.dtype

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize

    @property
    def layer(self) -> str | None:
        return layer_key(self.name)


_PROBES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _probe(model) -> list[tuple[str, tuple, tuple, torch.dtype]]:
    """(name, shape, axes, dtype) of every hook point in run order, from one tiny run: cached per
    model (order and shapes follow from its architecture and config alone), so the GUI's step
    list and every estimate share one probe instead of running a forward each."""
    if model not in _PROBES:
        from .runner import run

        probe: list[tuple[str, tuple, tuple, torch.dtype]] = []

        @records_only
        def shape(x, hp):
            probe.append((hp.name, tuple(x.shape), hp.axes, x.dtype))

        ids = [1] * _SRC
        tgt = [1] * _TGT if model.has_encoder else None
        run(model, ids, target_ids=tgt, interventions={"*": shape})
        _PROBES[model] = probe
    return _PROBES[model]


def run_order(model) -> list[str]:
    """Every hook point's name in the order a run reaches it."""
    return [name for name, *_ in _probe(model)]


def plan(model, n_src: int, n_tgt: int | None = None) -> list[PlannedStep]:
    """Every hook point's tensor at n_src prompt tokens (n_tgt decoder tokens), in run order."""
    scale = {_SRC: n_src, _TGT: n_tgt if n_tgt is not None else n_src}
    out = []
    for name, dims, axes, dtype in _probe(model):
        real = tuple(scale.get(d, d) if a in LENGTH_AXES else d for d, a in zip(dims, axes))
        out.append(PlannedStep(name, real + dims[len(axes):], dtype))
    return out


def total(steps, names=None) -> int:
    """Bytes of the planned steps (those in `names` when given)."""
    keep = None if names is None else set(names)
    return sum(s.nbytes for s in steps if keep is None or s.name in keep)


def largest_layer(steps, names=None) -> int:
    """Bytes of the biggest single layer's steps: what recomputing one layer at a time holds."""
    keep = None if names is None else set(names)
    per: dict[str, int] = {}
    for s in steps:
        if s.layer is not None and (keep is None or s.name in keep):
            per[s.layer] = per.get(s.layer, 0) + s.nbytes
    return max(per.values(), default=0)


def parse_size(text: str) -> int:
    """'512M', '2G', '2.5GiB', '1000000' -> bytes (ValueError otherwise)."""
    t = text.strip().upper().removesuffix("IB").removesuffix("B")
    mult = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}.get(t[-1:], 1)
    num = float(t[:-1] if t[-1:] in "KMGT" else t)
    if num <= 0 or math.isnan(num):
        raise ValueError(text)
    return int(num * mult)


def human(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def available_memory() -> int | None:
    """MemAvailable from /proc/meminfo (None where there is none)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
