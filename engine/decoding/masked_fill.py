"""Encoder-only models fill every [MASK]: top candidates per mask, optionally one mask at a time.

One-shot: one pass, each mask's distribution read independently. Iterative: fill the mask the
model is most sure of, run again with it filled, repeat, so later choices see earlier ones.
Each pass yields a MaskFill event (the Trace too, when a Capture is given).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import torch

from ..errors import InputError
from ..runner import run
from ..trace import Capture, Trace


@dataclass
class MaskFill:
    step: int
    ids: list[int]  # the input of this pass
    positions: list[int]  # masked positions still open in this pass
    top: dict[int, list[tuple[int, float]]]  # position -> [(token id, probability)] best first
    filled: dict[int, int] = field(default_factory=dict)  # position -> id chosen in this pass
    trace: Trace | None = None
    done: bool = False
    result: list[int] | None = None  # ids with every mask filled (last event)


def fill_masks(
    model,
    ids: list[int],
    *,
    top_k: int = 5,
    iterative: bool = False,
    capture: Capture | None = None,
    mask_id: int | None = None,
) -> Iterator[MaskFill]:
    cfg = model.cfg
    if not model.fills_masks:
        if model.generates or model.has_encoder:
            raise InputError("masked filling needs an encoder-only (BERT-style) model")
        raise InputError("this encoder model has no masked-LM head, so it cannot predict [MASK] tokens")
    mask_id = cfg.mask_token_id if mask_id is None else mask_id
    if mask_id is None:
        raise InputError("this model has no [MASK] token id")
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise InputError(f"top-k must be a whole number ≥ 1, got {top_k!r}")
    ids = list(ids)
    open_pos = [i for i, t in enumerate(ids) if t == mask_id]
    if not open_pos:
        raise InputError("the text has no [MASK] token to fill")
    step = 0
    while open_pos:
        trace = run(model, ids, capture=capture)
        probs = torch.softmax(trace.output[0, open_pos].float(), dim=-1)  # [masks, vocab]
        vals, idx = torch.topk(probs, min(top_k, probs.shape[-1]), dim=-1)  # [masks, k]
        top = {p: list(zip(idx[r].tolist(), vals[r].tolist())) for r, p in enumerate(open_pos)}
        if iterative:
            best = max(open_pos, key=lambda p: top[p][0][1])
            chosen = {best: top[best][0][0]}
        else:
            chosen = {p: top[p][0][0] for p in open_pos}
        ev = MaskFill(step, list(ids), list(open_pos), top, chosen, trace if capture else None)
        for p, t in chosen.items():
            ids[p] = t
        open_pos = [p for p in open_pos if p not in chosen]
        if not open_pos:
            ev.done, ev.result = True, list(ids)
        yield ev
        step += 1
