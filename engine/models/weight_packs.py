"""oneDNN pre-packed copies of the decode matrices for one generation (bfloat16 on CPU).

Why: F.linear in bfloat16 on CPU hands the weight to oneDNN, which copies it into its blocked
layout at every call: a decode step reads every matrix, writes it again and reads the copy.
Packed once per generation (torch.ops.mkldnn._reorder_linear_weight) the step reads each matrix
once: SmolLM2's 30 gate/up matrices 14.8 -> 11.2 ms of CPU per step (1 thread, a loaded 2-core
machine), its lm_head 6.9 -> 4.2 ms; the products are bitwise those of F.linear
(tests/engine/test_weight_packs.py). float16 is not packed: oneDNN's float16 path needs
avx512_fp16 or avx_ne_convert (refused on the machine measured), and float32's gains nothing.

The Parameters stay the truth. A pack is stamped with the weight's storage pointer and the
version counters of the weight and of the Parameters that are views of it (fused Q/K/V,
gate/up), so a weight edited in place (an optimiser step, an edit under no_grad) is packed again
at its next use. A decoder-only generation packs its matrices when it starts, after the prompt
(fast_step.prepack; as fast_layout re-lays weights there), so the first generation's first token
waits for it (SmolLM2-135M: a few decode steps' time); any matrix not packed by then is packed at its
first decode step. The packs are kept with the stack's fast-step plan, so the next generations start packed; they go with the plan (moving the
model, fusing / re-laying its matrices, deleting it). Memory: one more copy of each matrix once a
bfloat16 model has decoded (SmolLM2-135M: +270 MB; GPT-2-124M: +250 MB); a matrix whose copy would
pass BUDGET of the memory available at the first decode step runs unpacked.
"""
from __future__ import annotations

import os

import torch

from ..capture_plan import available_memory
from .few_rows import linear

PACKED_DTYPES = {torch.bfloat16}  # on CPU, where oneDNN can pack them (checked once, see can_pack)
BUDGET = 0.25  # of MemAvailable: the packed copies of one generation together
ENV = "TPLAY_WEIGHT_PACKS"  # "off": never pack (benchmarks time both)
_SUPPORTED: dict[torch.dtype, bool] = {}


def can_pack(dtype: torch.dtype) -> bool:
    """Whether oneDNN packs `dtype` weights on this CPU (a tiny trial, once per process)."""
    if dtype not in _SUPPORTED:
        try:
            w = torch.ones(8, 8, dtype=dtype)
            packed = torch.ops.mkldnn._reorder_linear_weight(w, None)
            torch.ops.mkldnn._linear_pointwise(torch.ones(1, 8, dtype=dtype), packed, None, "none", [], "")
            _SUPPORTED[dtype] = True
        except (RuntimeError, AttributeError):
            _SUPPORTED[dtype] = False
    return _SUPPORTED[dtype]


class WeightPacks:
    """Packed weights by tensor, for the matrices a generation multiplies by."""

    def __init__(self, budget_bytes: int) -> None:
        self.left = budget_bytes
        self._packs: dict[int, tuple[torch.Tensor, tuple, torch.Tensor | None]] = {}  # id -> (w, stamp, pack)

    def counts(self) -> tuple[int, int]:
        """(matrices seen, matrices packed)."""
        return len(self._packs), sum(p is not None for _, _, p in self._packs.values())

    def linear(self, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, views: tuple = ()) -> torch.Tensor:
        """F.linear(x, w, b), through w's pack; `views`: Parameters that are views of w."""
        pack = self._pack(w, views)
        if pack is None:
            return linear(x, w, b)
        return torch.ops.mkldnn._linear_pointwise(x, pack, b, "none", [], "")

    def prepare(self, w: torch.Tensor, views: tuple = ()) -> None:
        """Pack w now (before the first decode step), as linear(x, w, b, views) would."""
        self._pack(w, views)

    def _pack(self, w: torch.Tensor, views: tuple) -> torch.Tensor | None:
        if w.is_inference():  # made under inference_mode: no version counter to notice an edit by
            return None
        stamp = (w.data_ptr(), w._version, *(p._version for p in views))
        got = self._packs.get(id(w))
        if got is not None and got[0] is w and got[1] == stamp:
            return got[2]
        if got is not None:  # edited in place or re-pointed: its old pack's memory comes back first
            self.left += got[0].numel() * got[0].element_size() if got[2] is not None else 0
        nbytes = w.numel() * w.element_size()
        pack = None
        if nbytes <= self.left:
            pack = torch.ops.mkldnn._reorder_linear_weight(w, None)
            self.left -= nbytes
        self._packs[id(w)] = (w, stamp, pack)
        return pack


def applies(dtype: torch.dtype, device: torch.device) -> bool:
    """Whether decode steps in `dtype` on `device` multiply by packed weights here."""
    return device.type == "cpu" and dtype in PACKED_DTYPES and os.environ.get(ENV) != "off" and can_pack(dtype)


def packs_for(cache, dtype: torch.dtype, device: torch.device, kept: dict) -> WeightPacks | None:
    """The packs this generation (its KV cache) multiplies with: `kept`'s for `dtype` (made at the
    first decode step of the first generation, kept by the fast-step plan), or None where packing
    does not apply (dtype, device, $TPLAY_WEIGHT_PACKS=off)."""
    if "packs" in cache.__dict__:
        return cache.packs
    packs = None
    if applies(dtype, device):
        if dtype not in kept:
            kept[dtype] = WeightPacks(int(BUDGET * (available_memory() or 0)))  # unknown free memory: pack nothing
        packs = kept[dtype]
    cache.packs = packs  # the unembedding (outside the blocks) finds them here
    return packs


def linear_of(packs: WeightPacks | None):
    """The linear a step multiplies with: its packs' (which fall back to few_rows.linear per matrix) or
    few_rows.linear (F.linear, or its transposed product for a few float32 rows)."""
    return linear if packs is None else packs.linear
