"""Offloaded decoding: our placed model (engine/placement) against accelerate's own offloaded
transformers model, on the same weights and the same --max-memory, each in a fresh process;
and the placed load's peak memory against the weights' size and the CPU budget.

Acceptance figure: peak RSS added by the placed load <= the CPU budget + the largest layer.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/offload.py [--model smollm2-135m] [--max-memory cpu=330MiB]
        [--tokens 16] [--no-reference]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COMMON = r"""
import gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import torch, accelerate, tokenizers, safetensors.torch

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024
"""

# ours: load placed (peak RSS over the post-import baseline), then a greedy decode
OURS = COMMON + r"""
from engine.placement import load_placed
from engine.decoding import Generation, GenerationOptions
from engine.recompute import layer_keys
import engine.loading.gguf, engine.models  # code, not data: imported before the baseline
with torch.device("meta"):
    torch.nn.Linear(2, 2)(torch.zeros(1, 2))  # torch's meta kernels import ~70 MiB of code on first use
name, budget, n, offload = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
open("/proc/self/clear_refs", "w").write("5")  # VmHWM := current RSS
base = status("VmRSS:")
t = time.perf_counter()
lm = load_placed(name, "sequential", budget or None, offload_folder=offload, tokens=64)
load_s = time.perf_counter() - t
peak = status("VmHWM:") - base
pre = lm.placement.preflight
sizes = [sum(p.numel() * 4 for p in lm.model.get_submodule(k).parameters()) for k in layer_keys(lm.model)]
ids = lm.tokenizer.encode("The capital of France is").ids
opts = GenerationOptions(strategy="greedy", max_new_tokens=n, min_new_tokens=n)
list(Generation(lm.model, ids, GenerationOptions(strategy="greedy", max_new_tokens=2)))  # warm
gen = Generation(lm.model, ids, opts)
list(gen)
print(json.dumps({"peak": peak, "load_s": load_s, "weights": sum(pre.weights.values()), "per_device": pre.weights,
                  "largest_layer": max(sizes), "rate": gen.decode_tokens_per_second,
                  "summary": lm.placement.summary(lm.model), "ids": gen.sequences[0].ids}))
"""

# ours, not placed: the same weights all in RAM (the fast path on every layer)
PLAIN = COMMON + r"""
from engine.loading import load_model
from engine.decoding import Generation, GenerationOptions
lm = load_model(sys.argv[2], device="cpu")
n = int(sys.argv[4])
ids = lm.tokenizer.encode("The capital of France is").ids
list(Generation(lm.model, ids, GenerationOptions(strategy="greedy", max_new_tokens=2)))
gen = Generation(lm.model, ids, GenerationOptions(strategy="greedy", max_new_tokens=n, min_new_tokens=n))
list(gen)
print(json.dumps({"rate": gen.decode_tokens_per_second, "ids": gen.sequences[0].ids}))
"""

# acceptance: placed vs un-placed in one process: logits, every hook point, an ablation's change
CHECK = COMMON + r"""
from engine import Capture, run
from engine.loading import load_model
from engine.placement import load_placed
name, budget, offload = sys.argv[2], sys.argv[3], sys.argv[4]
ref = load_model(name, device="cpu")
lm = load_placed(name, "sequential", budget, offload_folder=offload, tokens=64)
ids = ref.tokenizer.encode("The capital of France is").ids
a, b = run(lm.model, ids, capture=Capture()), run(ref.model, ids, capture=Capture())
disk = [k for k, d in lm.placement.layers(lm.model).items() if d == "disk"]
def zero_head(x, hp):
    x = x.clone(); x[:, :, 3] = 0; return x
cut = {f"{disk[len(disk) // 2]}.attn.hook_z": zero_head}
only = lambda: Capture(names=["hook_logits"])
da = run(lm.model, ids, capture=only(), interventions=cut)["hook_logits"] - a["hook_logits"]
db = run(ref.model, ids, capture=only(), interventions=cut)["hook_logits"] - b["hook_logits"]
steps = max((a[n].float() - b[n].float()).nan_to_num(0, 0, 0).abs().max().item() for n in b.names())
print(json.dumps({"logits": (a["hook_logits"] - b["hook_logits"]).abs().max().item(), "steps": steps,
                  "same_names": a.names() == b.names(), "n_names": len(b.names()), "ablated": next(iter(cut)),
                  "ablation_change": db.abs().max().item(), "ablation_diff": (da - db).abs().max().item()}))
"""

# the same weights as a transformers folder, loaded by transformers with accelerate's offload
EXPORT = COMMON + r"""
from engine.loading import resolve
from engine.loading.gguf import hf_view
from safetensors.torch import save_file
hf, tensors = hf_view(resolve(sys.argv[2]).path)
out = sys.argv[3]
save_file({k: v.contiguous() for k, v in tensors.items()}, out + "/model.safetensors")
json.dump({"model_type": "llama", **hf, "torch_dtype": "float32"}, open(out + "/config.json", "w"))
"""

REFERENCE = COMMON + r"""
from transformers import AutoModelForCausalLM
folder, budget, n, offload = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
mem = {k: v for k, v in (p.split("=") for p in budget.split(","))}
m = AutoModelForCausalLM.from_pretrained(folder, device_map="sequential", max_memory=mem, offload_folder=offload,
                                         dtype=torch.float32, attn_implementation="eager").eval()
ids = torch.tensor([[1, 504, 3575, 282, 4649, 314]])
def timed(k):
    t = time.perf_counter()
    with torch.inference_mode():
        out = m.generate(ids, max_new_tokens=k, min_new_tokens=k, do_sample=False)
    return time.perf_counter() - t, out
timed(2)
t1, _ = timed(1)
tn, _ = timed(n + 1)
disk = sum(1 for k, d in m.hf_device_map.items() if d == "disk")
print(json.dumps({"rate": n / (tn - t1), "disk_entries": disk, "entries": len(m.hf_device_map)}))
"""


def child(code: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, "-c", code, str(ROOT), *args], cwd="/", capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"child failed:\n{p.stderr[-3000:]}")
    lines = p.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="smollm2-135m")
    ap.add_argument("--max-memory", default="cpu=330MiB", help="the budget both runs get")
    ap.add_argument("--tokens", type=int, default=16, help="decode steps measured")
    ap.add_argument("--no-reference", action="store_true", help="skip transformers' offloaded model")
    a = ap.parse_args()
    from engine.placement.parse_max_memory import parse_max_memory

    cpu_budget = parse_max_memory(a.max_memory).get("cpu")
    with tempfile.TemporaryDirectory() as tmp:
        ours = child(OURS, a.model, a.max_memory, str(a.tokens), f"{tmp}/ours")
        plain = child(PLAIN, a.model, "", str(a.tokens))
        print(f"{a.model} placed with --max-memory {a.max_memory}: {ours['summary']}")
        print(f"  weights {mib(ours['weights'])} ({', '.join(f'{d} {mib(b)}' for d, b in ours['per_device'].items())}); "
              f"largest layer {mib(ours['largest_layer'])}")
        ok = cpu_budget is None or ours["peak"] <= cpu_budget + ours["largest_layer"]
        print(f"  load: {ours['load_s']:.1f} s, peak RSS added {mib(ours['peak'])} = {ours['peak'] / ours['weights']:.2f}x "
              f"the weights; budget + largest layer {mib((cpu_budget or 0) + ours['largest_layer'])}: "
              f"{'within' if ok else 'OVER'}")
        chk = child(CHECK, a.model, a.max_memory, f"{tmp}/check")
        print(f"  vs the un-placed model: logits max |diff| {chk['logits']:.2e}, every recorded step {chk['steps']:.2e}; "
              f"same {chk['n_names']} hook points recorded: {chk['same_names']}; ablating head 3 of {chk['ablated']} "
              f"changes the logits by up to {chk['ablation_change']:.3f} in both, the changes differ by {chk['ablation_diff']:.2e}")
        print(f"  decode: placed {ours['rate']:.2f} tok/s, all in RAM {plain['rate']:.2f} tok/s "
              f"(ratio {ours['rate'] / plain['rate']:.2f}); same tokens: {ours['ids'] == plain['ids']}")
        if not a.no_reference:
            Path(f"{tmp}/hf").mkdir()
            child(EXPORT, a.model, f"{tmp}/hf")
            ref = child(REFERENCE, f"{tmp}/hf", a.max_memory, str(a.tokens), f"{tmp}/ref")
            print(f"  transformers + accelerate, same weights and budget ({ref['disk_entries']} of {ref['entries']} "
                  f"map entries on disk): {ref['rate']:.2f} tok/s; ours / theirs = {ours['rate'] / ref['rate']:.2f}")


if __name__ == "__main__":
    main()
