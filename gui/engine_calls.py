"""The work the GUI hands to its worker thread: plain functions, no Qt.

Each takes a `cancel` callable (polled by engine.run at layer boundaries) and returns plain data. engine (and so
torch) is imported inside the functions, so the window can appear before torch loads.
"""
from __future__ import annotations

import os
import time
import weakref
from typing import Callable

from engine.hook_names import layer_key

from .trace_store import TOKENS, TraceStore

FULL_CAPTURE_BYTES = 128 * 2**20  # capture every step at once below this estimate
THUMB = 48  # attention-grid thumbnails are at most THUMB x THUMB
LENS_POSITIONS = 128  # the logit lens covers the last this-many positions of a long prompt


def leave_a_core_for_the_ui() -> None:
    """torch's intra-op threads spin while they wait; on a small machine they starve the UI
    thread (and each other). Use all cores but one, unless the user chose (OMP_NUM_THREADS)."""
    import torch

    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))


def startup_info() -> dict:
    """Importing torch happens here, off the UI thread: models on offer and device reasons."""
    from engine.device import device_report

    leave_a_core_for_the_ui()
    from engine.loading import available

    refs = [(r.name, r.kind, str(r.path)) for r in available()]
    try:
        from engine.loading.sources import default_model

        default = default_model()
    except Exception:  # noqa: BLE001 - no models at all: the panel says so
        default = None
    return {"models": refs, "devices": device_report(), "default": default}


def describe_models() -> list[dict]:
    """Architecture, size, quantisation and why-it-cannot-open of every model on offer (headers only)."""
    from engine.loading import available
    from engine.loading.model_info import describe, human_size, summary

    rows = [describe(r) for r in available()]
    for r in rows:
        r["summary"] = summary(r)
        if "size_bytes" in r:
            r["size"] = human_size(r["size_bytes"])
    return rows


def estimate(name: str, dtype: str) -> dict:
    from engine.loading import resolve

    from .memory_estimate import estimate_params

    ref = resolve(name)
    n = estimate_params(ref.path)
    size = {"float32": 4, "float16": 2, "bfloat16": 2}.get(dtype, 4)
    return {"name": name, "params": n, "bytes": n * size if n else None}


def load(name: str, device: str, dtype: str, progress: Callable[[str], None]):
    from engine import load_model

    progress(f"reading {name}…")
    t0 = time.perf_counter()
    lm = load_model(name, device=device, dtype=dtype)
    progress(f"loaded {lm.name} in {time.perf_counter() - t0:.1f} s")
    return lm


def trace_bytes_estimate(cfg, n_pos: int, layers: int) -> int:
    """Rough size of a full capture: attention matrices plus per-position activations (fp32);
    `layers` counts every stack's (model.total_layers)."""
    per_layer = cfg.n_heads * n_pos * n_pos * 4  # scores, scaled, masked, pattern
    per_layer += n_pos * (cfg.d_model * 10 + cfg.d_mlp * 3 + cfg.n_heads * (cfg.d_model + 4 * cfg.d_head))
    return 4 * (layers * per_layer + n_pos * cfg.vocab_size)


def _encode(lm, text: str):
    from engine.cli.common import encode_prompt

    ids = encode_prompt(lm, text)
    return ids, lm.tokenizer.encode(text)


_ORDERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def step_order(lm) -> list[str]:
    """Every hook name in computation order, from one 2-token run (cached per model)."""
    from engine import run

    model = lm.model
    if model not in _ORDERS:
        order: list[str] = []
        ids = lm.tokenizer.encode("a b").ids[:2] or [0]
        run(model, ids, interventions={"*": lambda x, hp: order.append(hp.name)})
        _ORDERS[model] = order
    return list(_ORDERS[model])


def target_ids(lm, target: str | None) -> list[int] | None:
    """Decoder input for an encoder-decoder model: the start token, then the target's tokens."""
    if not lm.model.has_encoder:
        return None
    start = lm.model.decoder_start_ids()
    if not target:
        return start or None
    return start + lm.tokenizer.encode_target(target, special=False).ids  # Marian: target.spm


def run_prompt(lm, text: str, cursor: str | None, cancel: Callable[[], bool], full: bool | None = None,
               target: str | None = None) -> TraceStore:
    """One forward pass, keeping tensors per the capture plan: everything for a small model,
    else the steps outside the layers plus the layer under the cursor."""
    from engine import Capture, run

    ids, enc = _encode(lm, text)
    tgt = target_ids(lm, target)
    model = lm.model
    order = step_order(lm)
    if full is None:
        full = trace_bytes_estimate(lm.cfg, len(ids), lm.model.total_layers) <= FULL_CAPTURE_BYTES
    if full:
        capture = Capture(to_cpu=True)
    else:
        keep = [n for n in order if layer_key(n) is None]
        key = layer_key(cursor or "") or layer_key(next(n for n in order if layer_key(n)))
        capture = Capture(names=keep + [f"{key}.*"], to_cpu=True)
    t0 = time.perf_counter()
    trace = run(model, ids, target_ids=tgt, capture=capture, cancel=cancel)
    elapsed = time.perf_counter() - t0
    store = TraceStore(order=[TOKENS] + order, ids=list(ids), offsets=enc.offsets, prompt=text)
    store.tokens = lm.tokenizer.token_strings(ids)
    if trace.target_ids is not None:
        store.target_ids = list(trace.target_ids)
        store.target_tokens = [lm.tokenizer.id_to_token(i) for i in trace.target_ids]
    store.meta = dict(trace.meta)
    store.target_stack = lm.model.target_stack()
    store.output = trace.output.detach().cpu() if trace.output is not None else None
    store.elapsed = elapsed
    store.merge(trace)
    return store


def capture_layer(lm, store: TraceStore, key: str, cancel: Callable[[], bool]):
    """Re-run the same prompt recording only the steps of one layer ('blocks.3')."""
    from engine import Capture, run

    return run(lm.model, store.ids, target_ids=store.target_ids,
               capture=Capture(names=[f"{key}.*"], to_cpu=True), cancel=cancel)


def logit_lens(lm, store: TraceStore, cancel: Callable[[], bool], k: int = 5) -> dict:
    """engine.lens on the store when it has the residuals, else on a narrow re-run."""
    from engine import Capture, run
    from engine.lens import logit_lens as lens_fn, resid_names

    names = resid_names(lm.model)
    src = store
    if not all(n in store for n in names):
        src = run(lm.model, store.ids, target_ids=store.target_ids,
                  capture=Capture(names=names, to_cpu=True), cancel=cancel)
    n = len(store.target_ids or store.ids)
    positions = list(range(max(0, n - LENS_POSITIONS), n))
    lens = lens_fn(lm.model, src, k=k, cancel=cancel, positions=positions)
    ids = lens.top_ids.tolist()  # [layer][pos][k]
    uniq = sorted({i for layer in ids for pos in layer for i in pos})
    text = dict(zip(uniq, lm.tokenizer.token_strings(uniq)))
    words = [[[text[i] for i in pos] for pos in layer] for layer in ids]
    return {"names": lens.names, "tokens": words, "probs": lens.top_probs.numpy(), "positions": positions}


def thumbnails(lm, store: TraceStore, cancel: Callable[[], bool], size: int = THUMB) -> list:
    """[(pattern hook name, array [head, s, s])] for every attention module, pooled for display."""
    import torch.nn.functional as F

    from engine import run

    out: dict[str, object] = {}

    def pool(name, x):
        p = x[0].float()  # [batch, head, q, k] -> [head, q, k]
        s = (min(size, p.shape[-2]), min(size, p.shape[-1]))
        out[name] = F.adaptive_avg_pool2d(p, s).cpu().numpy()  # [head, s_q, s_k]

    names = [n for n in store.order if n.endswith("hook_pattern")]
    if all(n in store for n in names):
        for n in names:
            pool(n, store[n])
    else:
        run(lm.model, store.ids, target_ids=store.target_ids, capture=None,
            interventions={"*hook_pattern": lambda x, hp: pool(hp.name, x)}, cancel=cancel)
    return [(n, out[n]) for n in names if n in out]


def top_probabilities(store: TraceStore, position: int, tokenizer, k: int = 10) -> dict:
    """The output step's softmax top-k at one position, via engine.lens.top_k."""
    from engine.lens import top_k

    logits = store["hook_logits"] if "hook_logits" in store else store.output
    p, i = top_k(logits[0, position], k)
    return {"probs": p.numpy(), "ids": i.tolist(), "tokens": tokenizer.token_strings(i.tolist())}
