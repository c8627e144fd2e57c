"""The numbers a caption may state, computed from the stop's run (a registry: name -> function).

Each fact function takes a FactInput (the model, the prompt's tokens, the run's tensors by hook
name, the generated sequences or the training history) and returns {placeholder: value}; a value
named "_place" gives the stop its layer / head / position / highlight when the file does not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import torch

from ..errors import InputError
from ..hook_names import is_cross_attention, layer_of


@dataclass
class FactInput:
    lm: object  # engine LoadedModel
    prompt: str
    ids: list[int]
    tokens: list[str]
    tensors: object  # name -> tensor (an engine Trace or the GUI's TraceStore): `t[name]`, `name in t`
    names: list[str]  # every captured hook name, in order
    args: dict = field(default_factory=dict)
    layer: int = 0
    head: int = 0
    position: int = -1
    module: str = ""  # the stop's first step's module ('blocks.0.attn'), "" when it names none
    target_tokens: list[str] = field(default_factory=list)
    sequences: list[tuple[list[int], float]] = field(default_factory=list)  # a lab run's, best first
    training: dict | None = None  # {"history": [StepReport], "vocab": [str]}


FACTS: dict[str, Callable[[FactInput], dict]] = {}


def fact(name: str):
    def deco(fn):
        FACTS[name] = fn
        return fn
    return deco


def compute(names, inp: FactInput, where: str) -> dict:
    """Every named fact's values, merged (a later fact's "_place" fills what an earlier one left)."""
    out: dict = {}
    for n in names:
        fn = FACTS.get(n)
        if fn is None:
            raise InputError(f"{where}: unknown fact {n!r} (known: {', '.join(sorted(FACTS))})")
        vals = fn(inp)
        place = {**vals.pop("_place", {}), **out.pop("_place", {})}
        out.update(vals)
        if place:
            out["_place"] = place
    return out


def _norm(tok: str) -> str:
    return tok.replace("Ġ", " ").replace("▁", " ").removeprefix("##").strip().lower()


def token_index(tokens: list[str], word: str, what: str) -> int:
    """The first token that is `word` (ignoring case, a leading space or ##)."""
    w = word.strip().lower()
    for i, t in enumerate(tokens):
        if _norm(t) == w:
            return i
    raise InputError(f"no token {word!r} for {what} among {' '.join(repr(t) for t in tokens[:40])}")


def _arg(inp: FactInput, key: str):
    if key not in inp.args:
        raise InputError(f"the fact needs args.{key}")
    return inp.args[key]


def _head_slice(t: torch.Tensor, h: int) -> torch.Tensor:  # [batch, head, q, k] -> [q, k]
    return t[0, h].float()


# --- the paper's figures (the articles quote them; captions say they are the paper's) ---------
@fact("paper")
def paper(inp: FactInput) -> dict:
    d_model, heads, positions = 512, 8, 20  # Vaswani et al. 2017, "Attention is all you need"
    d_head = d_model // heads
    return {"paper_d_model": d_model, "paper_heads": heads, "paper_d_head": d_head,
            "paper_sqrt_dk": math.isqrt(d_head), "paper_positions": positions, "paper_layers": 6,
            "paper_beams": 2}


@fact("tokens")
def tokens(inp: FactInput) -> dict:
    """How many tokens the prompt became, and how one long word (args.word) was cut."""
    out = {"n_tokens": len(inp.ids), "n_words": len(inp.prompt.split()), "vocab": inp.lm.cfg.vocab_size,
           "first_ids": " ".join(str(i) for i in inp.ids[:6])}
    word = inp.args.get("word")
    if word:
        enc = inp.lm.tokenizer.encode(inp.prompt)
        start = inp.prompt.lower().find(word.lower())
        if start < 0:
            raise InputError(f"args.word {word!r} is not in the prompt")
        end = start + len(word)
        pieces = [i for i, (a, b) in enumerate(enc.offsets) if a < end and b > start and b > a]
        out.update(word=word, word_pieces=" · ".join(repr(inp.tokens[i].replace("Ġ", " ")) for i in pieces),
                   n_word_pieces=len(pieces))
    short = inp.args.get("short_word")
    if short:
        i = token_index(inp.tokens, short, "args.short_word")
        out.update(short_word=short, short_id=inp.ids[i])
    return out


def _first(inp: FactInput, kind: str) -> str:
    name = next((n for n in inp.names if n == kind or n.endswith("." + kind)), None)
    if name is None:
        raise InputError(f"the run has no {kind} step")
    return name


@fact("embedding")
def embedding(inp: FactInput) -> dict:
    e = inp.tensors[_first(inp, "hook_embed")][0].float()  # [pos, d_model]
    return {"d_model": e.shape[-1], "n_tokens": e.shape[0], "emb_min": e.min().item(), "emb_max": e.max().item()}


@fact("positions")
def positions(inp: FactInput) -> dict:
    """The model's position table against the paper's formula at the model's own size."""
    from ..models.components import sinusoidal_table

    pe = inp.tensors[_first(inp, "hook_pos_embed")].float()  # [pos, d_model]
    n, d = pe.shape
    return {"n_pos": n, "pos_d_model": d, "pe_min": pe.min().item(), "pe_max": pe.max().item(),
            "pe_formula_err": (pe - sinusoidal_table(n, d)).abs().max().item(), "pe_half": d // 2}


def _module(inp: FactInput) -> str:
    if not inp.module:
        raise InputError("the fact needs the stop's steps to name an attention step")
    return inp.module


@fact("attention_cell")
def attention_cell(inp: FactInput) -> dict:
    """One query token against one key token (args.query, args.key) in the stop's layer and head:
    q·k, the divisor, the scaled score, the softmax weight, and the key it weighs most."""
    m, h = _module(inp), inp.head
    q = token_index(inp.tokens, _arg(inp, "query"), "args.query")
    k = token_index(inp.tokens, _arg(inp, "key"), "args.key")
    raw = _head_slice(inp.tensors[f"{m}.hook_attn_scores"], h)
    scaled = _head_slice(inp.tensors[f"{m}.hook_attn_scaled"], h)
    pat = _head_slice(inp.tensors[f"{m}.hook_pattern"], h)
    d_head = inp.tensors[f"{m}.hook_q"].shape[-1]
    top = int(pat[q].argmax())
    return {"query": inp.tokens[q], "key": inp.tokens[k], "score": raw[q, k].item(), "scaled": scaled[q, k].item(),
            "divisor": (raw[q, k] / scaled[q, k]).item(), "d_head": d_head, "sqrt_dk": math.sqrt(d_head),
            "weight": pat[q, k].item(), "top_key": inp.tokens[top], "top_weight": pat[q, top].item(),
            "n_keys": pat.shape[1], "_place": {"position": q, "highlight": (q, k)}}


@fact("heads")
def heads(inp: FactInput) -> dict:
    m = _module(inp)
    q = inp.tensors[f"{m}.hook_q"]  # [batch, pos, head, d_head]
    res = inp.tensors[f"{m}.hook_result"]  # [batch, pos, head, d_model]
    return {"n_heads": q.shape[2], "d_head": q.shape[3], "concat": q.shape[2] * q.shape[3], "d_model": res.shape[-1]}


def _best(inp: FactInput, cross: bool, q: int, k: int) -> tuple[str, int, float]:
    """(pattern hook, head, weight) of the head that puts the most weight on key k from query q."""
    best = None
    for n in inp.names:
        if n.endswith("hook_pattern") and is_cross_attention(n) == cross:
            p = inp.tensors[n][0, :, q, k].float()  # [head]
            h = int(p.argmax())
            if best is None or p[h].item() > best[2]:
                best = (n, h, p[h].item())
    if best is None:
        raise InputError("the run has no attention pattern to search")
    return best


@fact("best_link")
def best_link(inp: FactInput) -> dict:
    """Over every self-attention layer and head: which one links args.query to args.key most
    (and, with args.key2, the best for that word too)."""
    q = token_index(inp.tokens, _arg(inp, "query"), "args.query")
    k = token_index(inp.tokens, _arg(inp, "key"), "args.key")
    name, h, w = _best(inp, False, q, k)
    n_heads = inp.tensors[name].shape[1]
    all_w = torch.stack([inp.tensors[n][0, :, q, k].float() for n in inp.names
                         if n.endswith("hook_pattern") and not is_cross_attention(n)])  # [layer, head]
    out = {"query": inp.tokens[q], "key": inp.tokens[k], "link_layer": layer_of(name), "link_head": h,
           "link_weight": w, "link_mean": all_w.mean().item(), "n_heads": n_heads, "n_layers": all_w.shape[0],
           "uniform": 1.0 / inp.tensors[name].shape[-1],
           "_place": {"layer": layer_of(name), "head": h, "position": q, "highlight": (q, k)}}
    if "key2" in inp.args:
        k2 = token_index(inp.tokens, inp.args["key2"], "args.key2")
        name2, h2, w2 = _best(inp, False, q, k2)
        out.update(key2=inp.tokens[k2], link2_layer=layer_of(name2), link2_head=h2, link2_weight=w2)
    return out


@fact("masked")
def masked(inp: FactInput) -> dict:
    m = _module(inp)
    s = _head_slice(inp.tensors[f"{m}.hook_attn_masked"], inp.head)
    n = s.shape[0]
    return {"n_masked": int(torch.isneginf(s).sum()), "n_rows": n, "n_cells": s.numel(),
            "decoder_tokens": " ".join(inp.target_tokens or inp.tokens), "_place": {"highlight": (0, 1)} if n > 1 else {}}


@fact("cross_link")
def cross_link(inp: FactInput) -> dict:
    """Cross-attention: which layer and head links decoder token args.query to source token args.key most."""
    q = token_index(inp.target_tokens, _arg(inp, "query"), "args.query (decoder side)")
    k = token_index(inp.tokens, _arg(inp, "key"), "args.key (source side)")
    name, h, w = _best(inp, True, q, k)
    return {"query": inp.target_tokens[q], "key": inp.tokens[k], "cross_layer": layer_of(name), "cross_head": h,
            "cross_weight": w, "n_src": len(inp.tokens),
            "_place": {"layer": layer_of(name), "head": h, "position": q, "highlight": (q, k)}}


@fact("next_token")
def next_token(inp: FactInput) -> dict:
    logits = inp.tensors["hook_logits"][0].float()  # [pos, vocab]
    pos = inp.position if inp.position is not None and inp.position >= 0 else logits.shape[0] + (inp.position or -1)
    p = torch.softmax(logits[pos], -1)
    top = torch.topk(p, 2)
    names = inp.lm.tokenizer.token_strings(top.indices.tolist())
    return {"vocab": p.shape[0], "top1": names[0].replace("Ġ", " ").strip(), "p1": top.values[0].item(),
            "top2": names[1].replace("Ġ", " ").strip(), "p2": top.values[1].item(),
            "logit1": logits[pos, top.indices[0]].item(), "p_sum": p.sum().item()}


@fact("generation")
def generation(inp: FactInput) -> dict:
    """The lab run's returned sequences, best first: text and score of the first two."""
    if not inp.sequences:
        raise InputError("the generation fact needs a lab run (view greedy or beam)")
    dec = lambda ids: inp.lm.tokenizer.decode(list(ids))  # noqa: E731
    out = {"n_returned": len(inp.sequences), "out1": dec(inp.sequences[0][0]), "score1": inp.sequences[0][1],
           "beams": int(inp.args.get("beams", 1))}
    if len(inp.sequences) > 1:
        out.update(out2=dec(inp.sequences[1][0]), score2=inp.sequences[1][1])
    return out


@fact("training")
def training(inp: FactInput) -> dict:
    """The training lab run: loss at the first and last report, the probe's target tokens and the
    tokens its distribution is drawn over (the targets and each position's top 3, as the view does)."""
    if not inp.training or not inp.training["history"]:
        raise InputError("the training fact needs a training run (view training)")
    hist, vocab = inp.training["history"], inp.training["vocab"]
    snap = next(r.snapshot for r in reversed(hist) if r.snapshot is not None)
    probs = snap.probs.float()  # [pos, vocab]
    cols = sorted(set(snap.labels) | set(torch.topk(probs, 3, dim=1).indices.flatten().tolist()))
    p_target = probs[torch.arange(len(snap.labels)), torch.tensor(snap.labels)]  # [pos]
    return {"steps": hist[-1].step, "loss_first": hist[0].loss, "loss_last": hist[-1].loss,
            "acc_last": hist[-1].accuracy, "targets": " ".join(vocab[t] for t in snap.labels),
            "n_targets": len(snap.labels), "n_cols": len(cols), "cols": " ".join(vocab[c] for c in cols),
            "p_target_min": p_target.min().item(), "train_vocab": len(vocab)}
