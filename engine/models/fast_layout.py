"""Weight layout for decoding: each matrix stored the way this machine multiplies fastest.

Why: a decode step is ~120 matrix-vector products that stream every weight from memory once.
On the 2-core AVX-512 machine this was written on, float32 `F.linear(x, W)` with W stored
[out, in] (nn.Linear's layout) ran at ~17 GB/s, the same values stored transposed (W = Wtᵀ,
Wt contiguous [in, out]) at ~22 GB/s: +35 % tokens/s on GPT-2 and SmolLM2. In float16 and
bfloat16 it is the other way round (the transposed float16 product is 6× slower). DEFAULT
holds those answers; TPLAY_WEIGHT_LAYOUT=probe measures both once per (device, dtype) and
process instead (~0.5–2 s, and noisy on a shared machine, hence not the default), and
benchmarks/decode.py times both layouts in one run, so a machine that differs shows it.

Only the strides change: every parameter keeps its identity, name and values (the same
Parameter objects, re-pointed like fusion.fuse_linears does), so hooks, interventions,
checkpoints and the module path read exactly what the fast step reads, and both paths run
the same kernels on the same tensors (bitwise equal, as before).
"""
from __future__ import annotations

import os
import time

import torch
import torch.nn.functional as F
from torch import nn

from .fusion import GENERATION

ROWS, COLUMNS = "rows", "columns"  # [out, in] contiguous (nn.Linear's) | its transpose contiguous
# the answer when the probe cannot tell (measured here: float32 columns +35 %, float16 rows ×6)
DEFAULT = {torch.float32: COLUMNS}
ENV = "TPLAY_WEIGHT_LAYOUT"  # rows | columns | probe | table (the default: DEFAULT)
_CHOSEN: dict[tuple[str, torch.dtype], str] = {}


def is_layout(w: torch.Tensor, layout: str) -> bool:
    """Whether matrix w [out, in] is stored in `layout` (a column slice of one counts)."""
    return w.stride(1) == 1 if layout == ROWS else w.stride(0) == 1


def relaid(w: torch.Tensor, layout: str) -> torch.Tensor:
    """The same values [out, in], stored in `layout`."""
    return w.contiguous() if layout == ROWS else w.t().contiguous().t()  # columns: [in, out] contiguous, viewed


def probe(device: torch.device, dtype: torch.dtype, mb: int = 48, reps: int = 3) -> str:
    """Time both layouts on matrices larger than the caches (a decode step's access pattern);
    a winner must be 10 % faster, else DEFAULT decides."""
    default = DEFAULT.get(dtype, ROWS)
    if device.type != "cpu":  # GPU kernels prefer nn.Linear's layout
        return ROWS
    n_in = 1024
    rows = max(1, mb * 2**20 // (n_in * torch.finfo(dtype).bits // 8) // 8)
    mats = {ROWS: [torch.ones(rows, n_in, dtype=dtype) for _ in range(8)]}  # 8 × [out, in]
    mats[COLUMNS] = [relaid(w, COLUMNS) for w in mats[ROWS]]
    x = torch.ones(1, n_in, dtype=dtype)  # [1, in]
    best = {k: float("inf") for k in mats}
    with torch.inference_mode():
        for _ in range(reps):
            for k, ws in mats.items():  # interleaved: noise from a shared machine hits both
                t = time.perf_counter()
                for w in ws:
                    F.linear(x, w)
                best[k] = min(best[k], time.perf_counter() - t)
    other = COLUMNS if default == ROWS else ROWS
    return other if best[other] * 1.1 < best[default] else default


def preferred_layout(device: torch.device, dtype: torch.dtype) -> str:
    """The layout decode steps multiply fastest in: $TPLAY_WEIGHT_LAYOUT, else DEFAULT's
    (cpu; other devices: nn.Linear's rows)."""
    forced = os.environ.get(ENV, "table")
    if forced in (ROWS, COLUMNS):
        return forced
    if forced != "probe":
        return DEFAULT.get(dtype, ROWS) if device.type == "cpu" else ROWS
    key = (device.type, dtype)
    if key not in _CHOSEN:
        _CHOSEN[key] = probe(device, dtype)
    return _CHOSEN[key]


def decode_matrices(model) -> list[tuple[nn.Module, str | None]]:
    """(module, None) for every linear a step multiplies by and not part of a fused matrix;
    (fusable module, "fused") for the fused ones; the unembedding (tied: the embedding table)."""
    out, fused = [], set()
    for m in model.modules():
        if getattr(m, "fused_weights", None):
            out.append((m, "fused"))
            fused |= {id(lin) for g in m._fuse_groups() for lin in g}
    out += [(m, None) for m in model.modules() if isinstance(m, nn.Linear) and id(m) not in fused]
    return out


def _unembedding(model) -> nn.Parameter | None:
    unembed = getattr(model, "unembed", None)
    if unembed is None:
        return None
    if not getattr(unembed, "tied", False):
        return getattr(unembed, "W_U", None)
    return getattr(model, "decoder", model).embed.W_E  # an encoder-decoder model's target stack


def apply_layout(model, layout: str | None = None) -> str:
    """Store every decode matrix of `model` in `layout` (default: preferred_layout for its
    device and dtype); a no-op for those already in it. Returns the layout."""
    p = next(model.parameters())
    layout = layout or preferred_layout(p.device, p.dtype)
    changed = False
    with torch.no_grad():
        for m, kind in decode_matrices(model):
            if kind == "fused":
                changed |= _relay_fused(m, layout)
            elif not is_layout(m.weight, layout):
                m.weight.data = relaid(m.weight.data, layout)
                changed = True
        w = _unembedding(model)
        if w is not None and w.dim() == 2 and not is_layout(w, layout):
            w.data = relaid(w.data, layout)
            changed = True
    if changed:
        GENERATION.bump()  # fast-step closures hold the fused tensors: build them again
    return layout


def _relay_fused(m, layout: str) -> bool:
    """Re-lay each fused matrix and re-point its linears at row slices of it (still views)."""
    changed = False
    for i, (g, (w, b)) in enumerate(zip(m._fuse_groups(), m.fused_weights)):
        if is_layout(w, layout):
            continue
        w = relaid(w, layout)  # [sum(out), in]
        start = 0
        for lin in g:
            n = lin.weight.shape[0]
            lin.weight.data = w[start:start + n]
            start += n
        m.fused_weights[i] = (w, b)
        changed = True
    return changed
