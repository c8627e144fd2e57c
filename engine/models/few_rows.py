"""Linear layers over a few rows (beam search's hypotheses) in the faster of two equal products.

Why: on the 2-core AVX-512 machine this was written on (AMD EPYC, MKL 2024.2, one thread,
float32), `F.linear(x, W)` with 4 rows in x and W [out, in] stored contiguous (the layout beam
search keeps, fast_layout.py) ran GPT-2's unembedding ([50257, 768]) in ~28 ms of CPU time, the
same product computed as (W · xᵀ)ᵀ, `torch.mm(W, x.t())` with its result [out, rows], in ~12 ms;
SmolLM2's unembedding 17 → 9 ms, the Q/K/V and up/gate projections (out ≥ in) 30–40 % faster,
while the down projections (out < in) were as much slower; 2, 3 and 5 rows alike, 6 rows gained
on the unembeddings only. One row (greedy: MKL's matrix-vector product), eight rows, bfloat16
and float16 showed no gain: they keep F.linear.
(benchmarks/few_rows.py times both products for every matrix shape of a model.)

The values are the same sums in another order, so float32 rounding may differ from F.linear's
in the last bits, never more. Both the modules (`Linear`, components.py) and the fast decode
step (fast_step.py) call `linear`, so the two paths still compute the same bits.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

# dtype -> {rows: the least out / in} for which a matrix (on the CPU) is multiplied as (W · xᵀ)ᵀ
# (measured in thread CPU time: 5 rows still gained 10-50 % on every out ≥ in shape, 6 rows only on
# the unembeddings, 8 rows nowhere); empty it (WIDE.clear()) to time F.linear alone
WIDE: dict[torch.dtype, dict[int, float]] = {torch.float32: {2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 16.0}}


def transposed_product(x: torch.Tensor, w: torch.Tensor) -> bool:
    """Whether `linear` multiplies x [..., in] by w [out, in] as (W · xᵀ)ᵀ."""
    least = WIDE.get(x.dtype, {}).get(x.numel() // w.shape[1])
    return (least is not None and w.shape[0] >= least * w.shape[1] and w.stride(1) == 1
            and x.device.type == "cpu")


def linear(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None = None) -> torch.Tensor:
    """F.linear(x, w, b): x [..., in], w [out, in], b [out] -> [..., out] (contiguous, as F.linear's)."""
    if not transposed_product(x, w):
        return F.linear(x, w, b)
    *lead, n_in = x.shape
    xt = x.reshape(-1, n_in).t()  # [rows, in] -> [in, rows] (a view)
    out = torch.mm(w, xt) if b is None else torch.addmm(b[:, None], w, xt)  # [out, rows]
    return out.t().contiguous().view(*lead, w.shape[0])  # [rows, out] -> [..., out]


class Linear(nn.Linear):
    """nn.Linear (same parameters, names and hooks) whose product is `linear`'s."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return linear(x, self.weight, self.bias)
