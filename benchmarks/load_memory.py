"""Loading: peak memory while loading (vs the weights' size) and the warm GGUF load time (vs
transformers' GGUF load of the same file), each measured in this run, in child processes.

Targets: peak RSS added by a load <= 1.3x the weights (GGUF pack and a safetensors folder);
smollm2-135m warm GGUF load <= 0.05x transformers' GGUF load.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/load_memory.py [--models smollm2-135m,minilm-l6] [--no-reference]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# one load in a fresh process: imports first, then the peak-RSS mark is reset, then the load
CHILD = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[2])
import torch, gguf, safetensors.torch, tokenizers
from engine.loading import load_model

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

open("/proc/self/clear_refs", "w").write("5")  # reset VmHWM to the current RSS
base = status("VmRSS:")
t = time.perf_counter()
lm = load_model(sys.argv[1], device="cpu")
first = time.perf_counter() - t
peak = status("VmHWM:") - base
weights = sum(p.numel() * p.element_size() for p in {id(p): p for p in lm.model.parameters()}.values())
del lm
warm = []
for _ in range(3):  # the median of three: this machine's load varies from one second to the next
    gc.collect()
    t = time.perf_counter()
    load_model(sys.argv[1], device="cpu")
    warm.append(time.perf_counter() - t)
print(json.dumps({"peak": peak, "weights": weights, "first": first, "warm": sorted(warm)[1], "runs": warm}))
"""

REFERENCE = r"""
import sys, time
from pathlib import Path
from transformers import AutoModelForCausalLM
p = Path(sys.argv[1])
AutoModelForCausalLM.from_pretrained(p.parent, gguf_file=p.name)  # imports, caches warm
t = time.perf_counter()
AutoModelForCausalLM.from_pretrained(p.parent, gguf_file=p.name)
print(time.perf_counter() - t)
"""


def child(code: str, *args: str) -> str:
    p = subprocess.run([sys.executable, "-c", code, *args], cwd="/", capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}")
    return p.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="smollm2-135m,minilm-l6")
    ap.add_argument("--no-reference", action="store_true", help="skip transformers' GGUF load")
    ap.add_argument("--root", default=str(ROOT), help="the checkout whose engine is measured (for a before/after)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from engine.loading import resolve

    for name in args.models.split(","):
        try:
            r = json.loads(child(CHILD, name, args.root))
        except RuntimeError as e:
            print(f"{name}: skipped ({e})")
            continue
        ref = resolve(name)
        print(f"{name} ({ref.info.get('format', ref.kind)}): weights {r['weights'] / 2**20:.0f} MiB in float32")
        print(f"  peak RSS added by the load {r['peak'] / 2**20:.0f} MiB = {r['peak'] / r['weights']:.2f}x the weights"
              " (target <= 1.3)")
        print(f"  first load {r['first']:.2f} s (imports done); warm load {r['warm']:.2f} s (median of "
              f"{', '.join(f'{t:.2f}' for t in r['runs'])})")
        if ref.path.is_file() and not args.no_reference:
            try:
                t_ref = float(child(REFERENCE, str(ref.path)))
            except RuntimeError as e:
                print(f"  transformers' GGUF load: skipped ({e})")
                continue
            print(f"  transformers' GGUF load of the same file {t_ref:.2f} s -> ours {r['warm'] / t_ref:.3f}x"
                  " (target <= 0.05)")


if __name__ == "__main__":
    main()
