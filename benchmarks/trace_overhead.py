"""Trace overhead on GPT-2-124M-shaped weights at 128 tokens, float32, CPU.

Prints: full capture / no capture / reference (transformers) forward, as times and ratios.
Targets: full capture <= 1.25x no capture; no capture <= 1.0x the reference.
Run: .venv/bin/python benchmarks/trace_overhead.py [--tokens 128] [--repeats 7]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_times  # noqa: E402

from engine import Capture, run  # noqa: E402
from engine.loading.build import instantiate  # noqa: E402
from engine.loading.registry import converter_for  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    hf_cfg = GPT2Config()  # 124M shape: 12 layers, 12 heads, 768 wide, 50257 vocab
    ref = GPT2LMHeadModel(hf_cfg).eval()
    conv = converter_for("GPT2LMHeadModel")
    cfg = conv.make_config(hf_cfg.to_dict() | {"architectures": ["GPT2LMHeadModel"]})
    ours = instantiate(cfg, conv.convert(ref.state_dict(), cfg))
    ids = torch.randint(0, hf_cfg.vocab_size, (1, args.tokens), generator=torch.Generator().manual_seed(1))

    with torch.inference_mode():
        want = ref(ids).logits
    got_full = run(ours, ids, capture=Capture())
    diff = (got_full.output - want).abs().max().item()

    def reference():
        with torch.inference_mode():
            ref(ids)

    times = median_times(
        {
            "reference": reference,
            "no_capture": lambda: run(ours, ids, capture=None),
            "full_capture": lambda: run(ours, ids, capture=Capture()),
        },
        repeats=args.repeats,
    )
    print(f"GPT-2-124M-shaped, {args.tokens} tokens, float32, {torch.get_num_threads()} threads")
    print(f"max |logits - reference| = {diff:.2e}; full capture recorded {len(got_full)} steps, "
          f"{got_full.nbytes / 2**20:.0f} MiB")
    for k, v in times.items():
        print(f"  {k:<13} {v * 1000:8.1f} ms")
    print(f"full capture / no capture = {times['full_capture'] / times['no_capture']:.3f}  (target <= 1.25)")
    print(f"no capture / reference    = {times['no_capture'] / times['reference']:.3f}  (target <= 1.00)")


if __name__ == "__main__":
    main()
