"""Logit lens and output probabilities: the model's own final norm + unembedding, applied early.

The GUI never does model maths; it asks this module for "what would the model predict if the
residual stream stopped at layer L". Each family registers how to reach its final head; the stack
it reads is the model's own `output_stack`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import torch

from .errors import InputError
from .models.base import TransformerModel

# family -> head(model, h [.., d_model]) -> logits
Head = Callable[[TransformerModel, torch.Tensor], torch.Tensor]
HEADS: dict[str, Head] = {}


def register_head(family: str):
    def deco(fn: Head) -> Head:
        HEADS[family] = fn
        return fn

    return deco


def _norm_then_unembed(stack, model, h, table):
    if stack.ln_final is not None:
        h = stack.ln_final(h)
    if getattr(stack, "project_out", None) is not None:  # OPT-350m: back to the embedding width
        h = stack.project_out(h)  # [.., d_model] -> [.., d_embed]
    return model.unembed(h, table)  # [.., vocab]


@register_head("decoder")
def _decoder_head(model, h):
    return _norm_then_unembed(model, model, h, model.embed.W_E)


@register_head("encoder-decoder")
def _encdec_head(model, h):
    return _norm_then_unembed(model.decoder, model, h, model.decoder.embed.W_E)


@register_head("encoder")
def _encoder_head(model, h):
    if not model.fills_masks:
        raise InputError("this encoder model has no language-model head, so there is no logit lens")
    return model.unembed(model.mlm_head(h), model.embed.W_E)


def _head(model: TransformerModel) -> Head:
    try:
        return HEADS[model.cfg.family]
    except KeyError:
        raise InputError(f"no logit lens for the {model.cfg.family!r} family") from None


def resid_names(model: TransformerModel) -> list[str]:
    """Hook names the lens reads: the residual stream after each layer of the head's stack."""
    _head(model)
    prefix = model.output_stack
    return [f"{prefix}blocks.{i}.hook_resid_post" for i in range(model.output_layers)]


@dataclass
class Lens:
    """Top-k next-token guesses per layer and position.

    names: the residual hook each row reads; top_ids/top_probs: [layer, pos, k].
    """

    names: list[str]
    top_ids: torch.Tensor
    top_probs: torch.Tensor


def top_k(logits: torch.Tensor, k: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax over the vocabulary, then the k most likely: (probs, ids), each [.., k]."""
    probs = torch.softmax(logits.float(), dim=-1)
    k = min(k, probs.shape[-1])
    p, i = probs.topk(k, dim=-1)
    return p, i


def logit_lens(
    model: TransformerModel,
    trace: Mapping[str, torch.Tensor],
    k: int = 5,
    cancel: Callable[[], bool] | None = None,
    positions: Sequence[int] | None = None,
) -> Lens:
    """Project every layer's resid_post through the model's final norm and unembedding.

    `trace` needs the hooks in resid_names(model) (batch 0 is used). Hooks are not attached
    here, so call it when no run is in flight on the same model. `cancel` is polled between
    layers (raising engine.Cancelled): a big vocabulary makes each layer a large matmul.
    `positions` limits the projection to those positions (the result's pos axis follows them).
    """
    from .runner import Cancelled

    head = _head(model)
    names = resid_names(model)
    missing = [n for n in names if n not in trace]
    if missing:
        raise InputError(f"the trace lacks {missing[0]}; capture {', '.join(names[:2])}, … first")
    ids, probs = [], []
    with torch.inference_mode():
        for n in names:
            if cancel is not None and cancel():
                raise Cancelled()
            h = trace[n].to(model.device, model.dtype)
            h = h[0] if h.dim() == 3 else h  # [batch, pos, d_model] -> [pos, d_model]
            if positions is not None:
                h = h[list(positions)]  # [n_selected, d_model]
            p, i = top_k(head(model, h[None])[0], k)  # [pos, k]
            probs.append(p.cpu())
            ids.append(i.cpu())
    return Lens(names, torch.stack(ids), torch.stack(probs))  # [layer, pos, k]
