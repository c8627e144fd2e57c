"""A 2,000-token prompt on smollm2-135m: the debugger's first pass, a layer recomputed on demand,
the logit lens and `tplay trace`, each as a ratio against transformers' plain forward of the same
ids (same weights, measured in this run) or against its limit.

Targets: first pass <= 1.3x the reference forward; a layer (any view) <= 300 ms; `tplay trace`
(its default capture) <= 1.3x the reference forward, peak RSS <= weights + 2 GiB; also a capture that
runs the prompt and saves each layer's output (--names, --out), for scale.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/long_prompt.py [--tokens 2000] [--repeats 2] [--no-cli]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from decode import smollm2_pair  # noqa: E402

from engine import Capture, run  # noqa: E402
from engine.recompute import cheap_names, narrow_for  # noqa: E402


def best(fn, repeats: int) -> float:
    out = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def interleaved(fns, repeats: int) -> list[float]:
    """Median wall seconds of each function, run in turn `repeats` times."""
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def prompt_text(lm, n: int) -> str:
    """Plain words until the tokenizer gives n tokens."""
    words = "the of and to in a is that for it as was with be by on not he this are or his from at".split()
    text, i = [], 0
    while True:
        text.append(words[(i * 7) % len(words)])
        i += 1
        if i % 50 == 0 and len(lm.tokenizer.encode(" ".join(text)).ids) >= n:
            return " ".join(text)


def cli_trace(text_file: str, *extra: str) -> tuple[float, int, str]:
    """`tplay trace -m smollm2-135m --prompt-file F [extra]` in a child: wall seconds, peak RSS, its note."""
    # the child reports its own VmHWM (a fork of this big process would inflate RUSAGE_CHILDREN)
    code = ("import sys; from gui.cli import main; r = main(sys.argv[1:]); "
            "print('VmHWM', next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM')),"
            " file=sys.stderr); sys.exit(r)")
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, "trace", "-m", "smollm2-135m", "--prompt-file", text_file, *extra],
                       cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode:
        raise SystemExit(f"tplay trace {' '.join(extra)} failed: {p.stderr.strip()[-300:]}")
    note = next((ln.split(" to ")[0] for ln in p.stdout.splitlines() if ln.startswith(("long prompt", "saved"))), "")
    hwm = next((int(ln.split()[1]) * 1024 for ln in p.stderr.splitlines() if ln.startswith("VmHWM")), 0)
    return wall, hwm, note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-cli", action="store_true", help="skip the `tplay trace` child process")
    args = ap.parse_args()
    from engine import load_model

    lm = load_model("smollm2-135m")
    _, ref, ours, _ = smollm2_pair()
    text = prompt_text(lm, args.tokens)
    ids = torch.tensor([lm.tokenizer.encode(text).ids])
    n = ids.shape[1]
    weights = sum(p.numel() * p.element_size() for p in ours.parameters())
    print(f"smollm2-135m, {n} tokens, float32, {torch.get_num_threads()} threads; weights {weights / 2**20:.0f} MiB;"
          f" load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")

    def reference():
        with torch.inference_mode():
            ref(ids)

    kept = {}

    def first_pass():
        kept["t"] = None  # the previous pass's tensors go first
        kept["t"] = run(ours, ids, capture=Capture(names=cheap_names(ours), to_cpu=True, keep_inputs=True))

    # interleaved, so a busy shared machine slows each about alike; medians
    t_ref, t_plain, t_first = interleaved([reference, lambda: run(ours, ids), first_pass], args.repeats)
    trace = kept["t"]
    key = f"blocks.{ours.cfg.n_layers // 2}"
    t_layer = best(lambda: trace.layer(ours, key, to_cpu=True), args.repeats + 1)
    layer = trace.layer(ours, key)
    views = {}  # what a view of each step recomputes (engine.recompute.narrow_for), median of 5
    for kind in ("attn.hook_q", "attn.hook_pattern", "attn.hook_z", "hook_attn_out", "mlp.hook_post",
                 "hook_resid_post"):
        step = f"{key}.{kind}"
        how = narrow_for(ours, key, step, head=ours.cfg.n_heads - 1)
        ts = []
        for _ in range(5):
            t = time.perf_counter()
            trace.layer(ours, key, to_cpu=True, **how)
            ts.append(time.perf_counter() - t)
        views[step] = statistics.median(ts)
    print(f"  transformers forward      {t_ref:7.2f} s")
    print(f"  ours, plain forward       {t_plain:7.2f} s   = {t_plain / t_ref:.2f}x the reference")
    print(f"  debugger first pass       {t_first:7.2f} s   = {t_first / t_ref:.2f}x the reference (target <= 1.3)"
          f"; keeps {trace.nbytes / 2**20:.0f} MiB + layer inputs {trace.inputs.nbytes / 2**20:.0f} MiB")
    print(f"  one layer recomputed      {t_layer * 1000:7.0f} ms  ({len(layer)} steps, {layer.nbytes / 2**20:.0f} MiB;"
          " what a view needs is far less:)")
    for step, t in views.items():
        print(f"    view of {step:<28} {t * 1000:5.0f} ms = {t / 0.3:.2f}x the 300 ms limit (engine side)")
    from engine.lens import logit_lens

    chunk = list(range(n - 64, n))
    t_lens = best(lambda: logit_lens(ours, trace, positions=chunk), 1)
    print(f"  logit lens, 64 positions  {t_lens:7.2f} s   -> every position in ~{t_lens * n / 64:.0f} s, "
          "filled in nearest the cursor first")
    if args.no_cli:
        return
    tmp = tempfile.mkdtemp(prefix="long_prompt_")
    text_file, saved = os.path.join(tmp, "prompt.txt"), os.path.join(tmp, "resid.safetensors")
    with open(text_file, "w") as f:
        f.write(text)
    try:
        runs = {"default": cli_trace(text_file),  # the default capture: over the budget, listed from the plan
                # a capture that fits and is saved: the prompt is run (each layer's output, 138 MiB at 2,000 tokens)
                "saved": cli_trace(text_file, "--names", "blocks.*.hook_resid_post", "--out", saved)}
    finally:
        for name in (text_file, saved):
            if os.path.exists(name):
                os.unlink(name)
        os.rmdir(tmp)
    t0 = time.perf_counter()
    load_model("smollm2-135m")
    t_load = time.perf_counter() - t0
    limit = weights + 2 * 2**30
    what = {"default": "tplay trace (child)      ", "saved": "  --names 'blocks.*.hook_resid_post' --out F:"}
    for key, (wall, rss, note) in runs.items():
        print(f"  {what[key]} {wall:7.2f} s wall, of which ~{t_load:.2f} s load and start-up aside; {note}")
        print(f"    peak RSS {rss / 2**20:.0f} MiB = {rss / limit:.2f}x the limit (weights + 2 GiB = {limit / 2**20:.0f} MiB)")
        print(f"    trace part ~{max(wall - t_load, 0):.2f} s = {max(wall - t_load, 0) / t_ref:.2f}x the reference forward"
              " (wall minus an in-process warm load; includes interpreter start-up)"
              + (" (target <= 1.3)" if key == "default" else ""))
    print(f"  load average {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
