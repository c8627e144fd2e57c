"""The work the GUI hands to its worker thread: plain functions, no Qt.

Each takes a `cancel` callable (polled by engine.run at layer boundaries) and returns plain data. engine (and so
torch) is imported inside the functions, so the window can appear before torch loads.
"""
from __future__ import annotations

import os
import time
from typing import Callable

import numpy as np

from engine.hook_names import layer_key

from .trace_store import TOKENS, TraceStore
from .i18n import tr

FULL_CAPTURE_BYTES = 128 * 2**20  # capture every step at once below this estimate
THUMB = 48  # attention-grid thumbnails are at most THUMB x THUMB
LENS_CHUNK = 64  # the logit lens fills in this many positions at a time (nearest the cursor first)


def leave_a_core_for_the_ui() -> None:
    """torch's intra-op threads spin while they wait and can starve the UI thread: all cores but
    one from 3 cores up, both on 2 (decoding at the engine's speed; engine.device.app_threads
    says why), unless the user chose (OMP_NUM_THREADS)."""
    import torch

    from engine.device import app_threads

    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(app_threads())


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


def load(name: str, device: str, dtype: str, progress: Callable[[str], None], placement: dict | None = None):
    from engine import load_model

    progress(tr("reading {name}…").format(name=name))
    t0 = time.perf_counter()
    if placement:
        return _load_placed(name, dtype, progress, t0, **placement)
    lm = load_model(name, device=device, dtype=dtype)
    progress(tr("loaded {name} in {s:.1f} s").format(name=lm.name, s=time.perf_counter() - t0))
    return lm


def _load_placed(name: str, dtype: str, progress, t0: float, device_map: str, max_memory: str | None):
    """Layers placed by accelerate; then three greedy decode steps measure the rate the status
    line shows beside where each layer is (lm.placement.rate)."""
    from engine.decoding import Generation, GenerationOptions
    from engine.placement import load_placed

    lm = load_placed(name, device_map, max_memory, dtype, report=progress)
    progress(f"placed {lm.name} in {time.perf_counter() - t0:.1f} s; measuring decode speed…")
    ids = lm.tokenizer.encode("The").ids[:1] or [0]
    if lm.model.generates and not lm.model.has_encoder:
        gen = Generation(lm.model, ids, GenerationOptions(strategy="greedy", max_new_tokens=4, min_new_tokens=4))
        list(gen)
        lm.placement.rate = gen.decode_tokens_per_second
    return lm


def trace_bytes_estimate(model, n_pos: int, n_tgt: int | None = None) -> int:
    """Bytes of a full capture at this length: every hook point's planned shape (engine.capture_plan)."""
    from engine.capture_plan import plan, total

    return total(plan(model, n_pos, n_tgt))


def _encode(lm, text: str):
    from engine.cli.common import encode_prompt

    ids = encode_prompt(lm, text)
    return ids, lm.tokenizer.encode(text)


def step_order(lm) -> list[str]:
    """Every hook name in computation order (engine.capture_plan's probe, run once per model)."""
    from engine.capture_plan import run_order

    return run_order(lm.model)


def target_ids(lm, target: str | None) -> list[int] | None:
    """Decoder input for an encoder-decoder model: the start token, then the target's tokens."""
    if not lm.model.has_encoder:
        return None
    start = lm.model.decoder_start_ids()
    if not target:
        return start or None
    return start + lm.tokenizer.encode_target(target, special=False).ids  # Marian: target.spm


def run_prompt(lm, text: str, cursor: str | None, cancel: Callable[[], bool], full: bool | None = None,
               target: str | None = None, head: int | None = None) -> TraceStore:
    """One forward pass, keeping tensors per the capture plan: everything for a small model,
    else the steps outside the layers plus what the cursor's view needs (of `head`)."""
    from engine import Capture, run

    ids, enc = _encode(lm, text)
    tgt = target_ids(lm, target)
    model = lm.model
    order = step_order(lm)
    if full is None:
        full = trace_bytes_estimate(model, len(ids), len(tgt) if tgt else None) <= FULL_CAPTURE_BYTES
    if full:
        capture = Capture(to_cpu=True)
    else:  # cheap steps and each layer's input; the cursor's layer is recomputed from it below
        from engine.recompute import cheap_names

        capture = Capture(names=cheap_names(model), to_cpu=True, keep_inputs=True)
    t0 = time.perf_counter()
    trace = run(model, ids, target_ids=tgt, capture=capture, cancel=cancel)
    first = None
    if not full:
        from engine.recompute import narrow_for

        key = layer_key(cursor or "")
        if key in trace.inputs and cursor in model.hook_points:
            first = trace.layer(model, key, cancel=cancel, to_cpu=True, **narrow_for(model, key, cursor, head))
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
    if not full:
        store.replay, store.cheap = trace, frozenset(trace.names())
    store.merge(trace)
    if first is not None:
        store.merge(first)
    return store


def capture_layer(lm, store: TraceStore, key: str, cancel: Callable[[], bool], upto: str | None = None,
                  head: int | None = None):
    """One layer's steps ('blocks.3'): recomputed from its kept input (long prompts), else a
    re-run of the same prompt recording only that layer. A long prompt's recomputation is
    narrowed to what the view of `upto` needs (engine.recompute.narrow_for)."""
    from engine import Capture, run

    if store.replay is not None:
        from engine.recompute import narrow_for

        upto = upto if upto is not None and layer_key(upto) == key else None
        how = narrow_for(lm.model, key, upto, head) if upto is not None else {}
        return store.replay.layer(lm.model, key, cancel=cancel, to_cpu=True, **how)
    return run(lm.model, store.ids, target_ids=store.target_ids,
               capture=Capture(names=[f"{key}.*"], to_cpu=True), cancel=cancel)


def _chunks_nearest_first(n: int, focus: int, size: int) -> list[range]:
    chunks = [range(a, min(a + size, n)) for a in range(0, n, size)]
    return sorted(chunks, key=lambda r: abs(r.start // size - focus // size))


def logit_lens(lm, store: TraceStore, cancel: Callable[[], bool], k: int = 5,
               progress: Callable[[str], None] | None = None, focus: int | None = None) -> dict:
    """engine.lens over every position, LENS_CHUNK positions at a time, nearest `focus` (default
    the last position) first. With `progress`, the partial result (store.partial["lens"]: probs
    NaN where not yet computed) is announced after each chunk."""
    from engine import Capture, run
    from engine.lens import logit_lens as lens_fn, resid_names

    names = resid_names(lm.model)
    src = store
    if not all(n in store for n in names):
        src = run(lm.model, store.ids, target_ids=store.target_ids,
                  capture=Capture(names=names, to_cpu=True), cancel=cancel)
    n = len(store.target_ids or store.ids)
    out = store.partial.get("lens")  # a paused run's chunks stay done
    if out is None or out["names"] != names or out["probs"].shape != (len(names), n, k):
        out = {"names": names, "tokens": [[None] * n for _ in names],
               "probs": np.full((len(names), n, k), np.nan, np.float32), "positions": list(range(n)), "done": 0}
    chunks = _chunks_nearest_first(n, n - 1 if focus is None or focus < 0 else min(focus, n - 1), LENS_CHUNK)
    for r in chunks:
        if out["tokens"][0][r.start] is not None:
            continue
        lens = lens_fn(lm.model, src, k=k, cancel=cancel, positions=list(r))
        ids = lens.top_ids.tolist()  # [layer][pos][k]
        uniq = sorted({i for layer in ids for pos in layer for i in pos})
        text = dict(zip(uniq, lm.tokenizer.token_strings(uniq)))
        for li, layer in enumerate(ids):
            out["tokens"][li][r.start:r.stop] = [[text[i] for i in pos] for pos in layer]
        out["probs"][:, r.start:r.stop] = lens.top_probs.numpy()
        out["done"] += len(r)
        if progress is not None and out["done"] < n:
            store.partial["lens"] = out
            progress(f"{out['done']}/{n}")
    store.partial.pop("lens", None)
    return out


def thumbnails(lm, store: TraceStore, cancel: Callable[[], bool], size: int = THUMB,
               progress: Callable[[str], None] | None = None) -> list:
    """[(pattern hook name, array [head, s, s])] for every attention module, pooled for display.

    A long prompt recomputes its patterns a few heads at a time (THUMB_CHUNK_BYTES of matrices,
    so a cancel, e.g. for a view the user asked for, waits at most that long), layer by layer;
    with `progress` the thumbnails so far (store.partial["thumbs"]) are announced after each
    layer and store.progress["thumbs"] says (layers done, layers)."""
    import torch.nn.functional as F

    from engine import run
    from engine.hooks import records_only

    out: dict[str, object] = dict(store.partial.get("thumbs") or ())  # a paused run's layers stay done

    def pool(x):
        p = x[0].float()  # [batch, head, q, k] -> [head, q, k]
        s = (min(size, p.shape[-2]), min(size, p.shape[-1]))
        return F.adaptive_avg_pool2d(p, s).cpu().numpy()  # [head, s_q, s_k]

    names = [n for n in store.order if n.endswith("hook_pattern")]
    if all(n in store for n in names):
        for n in names:
            out[n] = pool(store[n])
    elif store.replay is not None:
        keys = list(dict.fromkeys(layer_key(n) for n in names))
        for i, key in enumerate(keys):
            for n in (n for n in names if layer_key(n) == key and n not in out):
                out[n] = pool(store[n]) if n in store else _pooled_by_heads(lm, store, key, n, pool, cancel)
            store.progress["thumbs"] = (i + 1, len(keys))
            if progress is not None and i + 1 < len(keys):
                store.partial["thumbs"] = [(n, out[n]) for n in names if n in out]
                progress(tr("layer {i}/{n}").format(i=i + 1, n=len(keys)))
    else:
        run(lm.model, store.ids, target_ids=store.target_ids, capture=None,
            interventions={"*hook_pattern": records_only(lambda x, hp: out.__setitem__(hp.name, pool(x)))},
            cancel=cancel)
    store.partial.pop("thumbs", None)
    store.progress.pop("thumbs", None)
    return [(n, out[n]) for n in names if n in out]


THUMB_CHUNK_BYTES = 48 * 2**20  # matrices recomputed at once for the thumbnails


def _pooled_by_heads(lm, store: TraceStore, key: str, name: str, pool, cancel):
    """One pattern step recomputed a chunk of heads at a time and pooled: [head, s, s]."""
    n_heads = lm.model.get_submodule(name.rsplit(".", 1)[0]).n_heads
    q, k = len(store.tokens_for(name)), len(store.key_tokens_for(name))
    per = max(1, THUMB_CHUNK_BYTES // max(1, 4 * q * k * 4))  # scores, scaled, masked, pattern
    parts = []
    for h0 in range(0, n_heads, per):
        t = store.replay.layer(lm.model, key, names=[name], upto=name, cancel=cancel,
                               heads=range(h0, min(h0 + per, n_heads)))
        parts.append(pool(t[name]))
        if t.step(name).heads is None:  # recorded whole (an attention without side records)
            return parts[-1]
    return np.concatenate(parts)


def top_probabilities(store: TraceStore, position: int, tokenizer, k: int = 10) -> dict:
    """The output step's softmax top-k at one position, via engine.lens.top_k."""
    from engine.lens import top_k

    logits = store["hook_logits"] if "hook_logits" in store else store.output
    p, i = top_k(logits[0, position], k)
    return {"probs": p.numpy(), "ids": i.tolist(), "tokens": tokenizer.token_strings(i.tolist())}
