"""Few-row products: F.linear vs (W · xᵀ)ᵀ for every matrix shape a decode step of a model multiplies by.

For each shape (GPT-2-124M's and SmolLM2-135M's by default) and each row count, the best thread
CPU time (time.thread_time: on a shared machine, time spent descheduled is not counted) of both
products over interleaved rounds, with enough copies of the matrix to stream it from memory as a
decode step does; the last column says which product engine/models/few_rows.py uses there.

    PYTHONPATH=. .venv/bin/python benchmarks/few_rows.py [--rows 1,2,3,4,6,8] [--dtypes float32]
        [--threads 1] [--rounds 7]
"""
from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from engine.models.few_rows import transposed_product

SHAPES = {  # name -> [out, in] (Q/K/V and gate/up fused as the engine runs them)
    "gpt2 qkv": (2304, 768), "gpt2 attn out": (768, 768), "gpt2 fc": (3072, 768), "gpt2 proj": (768, 3072),
    "gpt2 unembed": (50257, 768), "smollm2 qkv": (960, 576), "smollm2 attn out": (576, 576),
    "smollm2 gate+up": (3072, 576), "smollm2 down": (576, 1536), "smollm2 unembed": (49152, 576),
}


def products(w: torch.Tensor, b: torch.Tensor | None) -> dict:
    """The two products of x [rows, in] by w [out, in] (+ b), each -> [rows, out]."""
    bc = b[:, None] if b is not None else None  # [out, 1]

    def transposed(x):
        out = torch.mm(w, x.t()) if b is None else torch.addmm(bc, w, x.t())  # [out, rows]
        return out.t().contiguous()

    return {"F.linear": lambda x: F.linear(x, w, b), "(W·xᵀ)ᵀ": transposed}


def time_shape(out_f: int, in_f: int, rows: int, dtype: torch.dtype, rounds: int, unembed: bool) -> dict:
    copies = max(1, int(96e6 // (out_f * in_f * dtype.itemsize)))  # > the caches: streamed like a step
    ws = [torch.randn(out_f, in_f, dtype=dtype) for _ in range(copies)]
    b = None if unembed else torch.randn(out_f, dtype=dtype)
    fns = [products(w, b) for w in ws]
    x = torch.randn(rows, in_f, dtype=dtype)
    best = dict.fromkeys(fns[0], float("inf"))
    with torch.inference_mode():
        for _ in range(rounds):
            for k in best:  # interleaved: a shared machine's noise hits both
                t = time.thread_time()
                for f in fns:
                    f[k](x)
                best[k] = min(best[k], (time.thread_time() - t) / copies)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="1,2,3,4,5,6,8")
    ap.add_argument("--dtypes", default="float32")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); thread CPU time, best of "
          f"{args.rounds} interleaved rounds")
    for dtype in (getattr(torch, d) for d in args.dtypes.split(",")):
        for rows in (int(r) for r in args.rows.split(",")):
            print(f"\n{dtype}, {rows} row(s):   F.linear   (W·xᵀ)ᵀ   ratio  few_rows uses")
            for name, (o, i) in SHAPES.items():
                t = time_shape(o, i, rows, dtype, args.rounds, "unembed" in name)
                uses = "(W·xᵀ)ᵀ" if transposed_product(torch.empty(rows, i, dtype=dtype), torch.empty(o, i, dtype=dtype)) else "F.linear"
                print(f"  {name:<17} {t['F.linear'] * 1e3:7.2f} ms {t['(W·xᵀ)ᵀ'] * 1e3:7.2f} ms "
                      f"{t['F.linear'] / t['(W·xᵀ)ᵀ']:5.2f}x  {uses}", flush=True)


if __name__ == "__main__":
    main()
