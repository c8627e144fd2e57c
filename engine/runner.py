"""engine.run: one forward pass with capture and interventions, returning a Trace."""
from __future__ import annotations

from typing import Callable, Sequence

import torch

from .errors import InputError
from .hooks import HookFn, attached, match_names, records_only
from .models.base import TransformerModel
from .trace import Capture, Trace

Interventions = dict[str, HookFn]

# Where a run polls its cancel callback: every layer boundary. (Polling at attention-internal
# hooks would switch every attention to its explicit, fully materialised path.)
CANCEL_POINTS = ("*hook_resid_pre", "*hook_resid_post", "hook_logits")


def _as_batch(ids, device) -> torch.Tensor:
    t = ids if isinstance(ids, torch.Tensor) else torch.tensor(list(ids), dtype=torch.long)
    if t.dim() == 1:
        t = t.unsqueeze(0)  # [pos] -> [1, pos]
    if t.shape[-1] == 0:
        raise InputError("the input is empty: type at least one character")
    return t.to(device)


def check_len(n: int, model: TransformerModel, what: str) -> None:
    if n > model.cfg.n_ctx:
        raise InputError(
            f"the {what} is {n} tokens long, beyond the model's context window of "
            f"{model.cfg.n_ctx} tokens; shorten it"
        )


def check_ids(ids: torch.Tensor, model: TransformerModel, what: str) -> None:
    """An id past the embedding table (a tokenizer larger than the model) is an error, not an IndexError."""
    if ids.numel() and (int(ids.max()) >= model.cfg.vocab_size or int(ids.min()) < 0):
        bad = int(ids.max()) if int(ids.max()) >= model.cfg.vocab_size else int(ids.min())
        raise InputError(f"the {what} has token id {bad}, outside the model's vocabulary of "
                         f"{model.cfg.vocab_size} (the tokenizer does not match the model)")


def _forward_decoder(model, ids, target, kw):
    return model(ids, attention_mask=kw.get("attention_mask"))


def _forward_encoder(model, ids, target, kw):
    return model(ids, attention_mask=kw.get("attention_mask"), token_type_ids=kw.get("token_type_ids"))


def _forward_encoder_decoder(model, ids, target, kw):
    if target is None:
        start = model.cfg.decoder_start_token_id
        if start is None:
            raise InputError("this encoder-decoder model has no decoder start token; give a target")
        target = torch.full((ids.shape[0], 1), start, dtype=torch.long, device=ids.device)
    return model(ids, target, src_mask=kw.get("attention_mask"))


FORWARD: dict[str, Callable] = {
    "decoder": _forward_decoder,
    "encoder": _forward_encoder,
    "encoder-decoder": _forward_encoder_decoder,
}


def run(
    model: TransformerModel,
    ids: Sequence[int] | torch.Tensor,
    *,
    target_ids: Sequence[int] | torch.Tensor | None = None,
    capture: Capture | None = None,
    interventions: Interventions | None = None,
    attention_mask: torch.Tensor | None = None,
    token_type_ids: torch.Tensor | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Trace:
    """Run the model once. capture=None records nothing (fast path); Capture() records all.

    interventions: {glob: fn(tensor, hook) -> tensor|None}; the trace records the values the
    model actually used (after the intervention). `cancel` is polled at every layer boundary
    (CANCEL_POINTS) and raises Cancelled when it returns True.
    """
    dev = model.device
    ids_t = _as_batch(ids, dev)
    check_len(ids_t.shape[-1], model, "prompt")
    check_ids(ids_t, model, "prompt")
    tgt_t = _as_batch(target_ids, dev) if target_ids is not None else None
    if tgt_t is not None:
        check_len(tgt_t.shape[-1], model, "target")
        check_ids(tgt_t, model, "target")
    trace = Trace(ids=ids_t[0].tolist(), target_ids=tgt_t[0].tolist() if tgt_t is not None else None)
    trace.meta.update(family=model.cfg.family, kv_head_of_head=model.kv_head_of_head(),
                      fills_masks=model.fills_masks,  # a masked LM's logits are about each position's own token
                      label_names=list(model.label_names), shared_weights=dict(model.shared_weights))
    fns: dict[str, list[HookFn]] = {}
    names = list(model.hook_points)
    for pattern, fn in (interventions or {}).items():
        matched = match_names(names, [pattern])
        if not matched:
            raise InputError(f"no hook point matches {pattern!r}")
        for n in matched:
            fns.setdefault(n, []).append(fn)
    if capture is not None:
        @records_only
        def rec(x, hp, _c=capture):
            trace.record(hp, x, _c)
        for n in capture.wanted(names):
            fns.setdefault(n, []).append(rec)
    if capture is not None and capture.keep_inputs:
        from .recompute import LayerInputs

        trace.inputs = LayerInputs(fns)
    if cancel is not None:
        @records_only
        def poll(x, hp):
            if cancel():
                raise Cancelled()
        for n in match_names(names, CANCEL_POINTS):
            fns.setdefault(n, []).insert(0, poll)
    kw = {"attention_mask": attention_mask, "token_type_ids": token_type_ids}
    with torch.inference_mode(), attached(model.hook_points, fns), _watching(trace, model):
        trace.output = FORWARD[model.cfg.family](model, ids_t, tgt_t, kw)
    return trace


def _watching(trace: Trace, model):
    """Keep every block's call for engine.recompute when the capture asks (keep_inputs)."""
    from contextlib import nullcontext

    return trace.inputs.watching(model) if trace.inputs is not None else nullcontext()


class Cancelled(Exception):
    """Raised inside a run when its cancel callback says so."""
