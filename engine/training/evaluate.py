"""Minimal decoding and scoring used to evaluate the models we train.

These are deliberately plain (no KV cache, no logits processors): the full decoding engine
with step events lives in engine.decoding. Here we only need batched greedy search for
exact-match over hundreds of held-out pairs, a small beam search, and perplexity.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F


def _pad(rows: Sequence[Sequence[int]], value: int) -> torch.Tensor:
    n = max(len(r) for r in rows)
    return torch.tensor([list(r) + [value] * (n - len(r)) for r in rows], dtype=torch.long)  # [batch, n]


@torch.inference_mode()
def greedy_batch(model, sources: Sequence[Sequence[int]], max_len: int = 24) -> list[list[int]]:
    """Greedy decoding of many sources at once; each output stops before its </s>."""
    cfg = model.cfg
    pad, start, eos = cfg.pad_token_id, cfg.decoder_start_token_id, cfg.eos_token_id
    model.eval()
    src = _pad(sources, pad).to(model.device)  # [batch, src_pos]
    mask = src != pad
    enc = model.encode(src, mask)  # [batch, src_pos, d_model]
    out = torch.full((len(sources), 1), start, dtype=torch.long, device=src.device)  # [batch, 1]
    done = torch.zeros(len(sources), dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits = model.decode(out, enc, src_mask=mask, last_only=True)  # [batch, 1, vocab]
        nxt = logits[:, -1].argmax(-1)
        nxt = torch.where(done, torch.full_like(nxt, pad), nxt)
        out = torch.cat([out, nxt[:, None]], dim=1)  # [batch, t+1]
        done |= nxt == eos
        if bool(done.all()):
            break
    result = []
    for row in out[:, 1:].tolist():
        result.append(row[: row.index(eos)] if eos in row else row)
    return result


@dataclass
class Beam:
    ids: list[int]  # generated tokens (no start token, no </s>)
    logprob: float
    finished: bool


@torch.inference_mode()
def beam_search(model, source: Sequence[int], width: int = 2, max_len: int = 24) -> list[Beam]:
    """Keep the `width` best partial translations by total log-probability; return them best first."""
    cfg = model.cfg
    start, eos = cfg.decoder_start_token_id, cfg.eos_token_id
    model.eval()
    src = torch.tensor([list(source)], dtype=torch.long, device=model.device)  # [1, src_pos]
    enc = model.encode(src)  # [1, src_pos, d_model]
    beams = [Beam([], 0.0, False)]
    for _ in range(max_len):
        live = [b for b in beams if not b.finished]
        if not live:
            break
        prefix = torch.tensor([[start] + b.ids for b in live], device=src.device)  # [live, t]
        logits = model.decode(prefix, enc.expand(len(live), -1, -1), last_only=True)  # [live, 1, vocab]
        logp = F.log_softmax(logits[:, -1].float(), dim=-1)  # [live, vocab]
        cands = [b for b in beams if b.finished]
        top = logp.topk(width, dim=-1)
        for b, vals, idx in zip(live, top.values.tolist(), top.indices.tolist()):
            for v, i in zip(vals, idx):
                fin = i == eos
                cands.append(Beam(b.ids if fin else b.ids + [i], b.logprob + v, fin))
        beams = sorted(cands, key=lambda b: b.logprob, reverse=True)[:width]
    return beams


def exact_match(model, tokenizer, pairs, batch_size: int = 256) -> tuple[float, list[tuple[str, str, str]]]:
    """Share of pairs whose greedy translation equals the reference; also the misses."""
    misses, hits = [], 0
    for i in range(0, len(pairs), batch_size):
        chunk = pairs[i:i + batch_size]
        outs = greedy_batch(model, [tokenizer.encode(p.src).ids for p in chunk])
        for p, ids in zip(chunk, outs):
            got = tokenizer.decode(ids)
            if got == p.tgt:
                hits += 1
            else:
                misses.append((p.src, p.tgt, got))
    return hits / max(1, len(pairs)), misses


@torch.inference_mode()
def perplexity(model, stream: Sequence[int], window: int) -> float:
    """exp(mean next-token cross-entropy) over consecutive windows of a held-out token stream."""
    model.eval()
    ids = torch.tensor(list(stream), dtype=torch.long)
    total, count = 0.0, 0
    for s in range(0, len(ids) - 1, window):
        chunk = ids[s:s + window + 1]
        if len(chunk) < 2:
            break
        logits = model(chunk[None, :-1].to(model.device))  # [1, pos, vocab]
        loss = F.cross_entropy(logits[0].float(), chunk[1:].to(model.device), reduction="sum")
        total += float(loss)
        count += len(chunk) - 1
    return math.exp(total / count)


@torch.inference_mode()
def masked_accuracy(model, sentences: Sequence[Sequence[int]], *, mask_id: int, pad_id: int,
                    special_ids: Sequence[int], rate: float = 0.15, seed: int = 0,
                    batch: int = 128) -> dict:
    """Held-out masked-token accuracy: in each sentence `rate` of its ordinary tokens (at least
    one), drawn with a seeded generator, all become [MASK]; the share whose argmax (and top-5)
    is the original token."""
    import random

    rng = random.Random(seed)
    special = set(special_ids) | {pad_id, mask_id}
    rows, targets = [], []
    for s in sentences:
        pos = [i for i, t in enumerate(s) if t not in special]
        if not pos:
            continue
        chosen = [i for i in pos if rng.random() < rate] or [rng.choice(pos)]
        inp = list(s)
        for i in chosen:
            inp[i] = mask_id
        rows.append(inp)
        targets.append({i: s[i] for i in chosen})
    model.eval()
    top1 = top5 = n = 0
    for b in range(0, len(rows), batch):
        ids = _pad(rows[b:b + batch], pad_id).to(model.device)  # [batch, pos]
        logits = model(ids, attention_mask=ids != pad_id)  # [batch, pos, vocab]
        best = logits.topk(5, dim=-1).indices.cpu()  # [batch, pos, 5]
        for r, tg in enumerate(targets[b:b + batch]):
            for i, t in tg.items():
                top1 += int(best[r, i, 0] == t)
                top5 += int(t in best[r, i].tolist())
                n += 1
    return dict(top1=top1 / n, top5=top5 / n, masked=n, sentences=len(rows))
