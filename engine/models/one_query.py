"""Attention of a single query position (every cached decode step), per dtype, on CPU.

Why: a decode step's attention is one query row per head against the cached keys, and
F.scaled_dot_product_attention's CPU kernel serves that shape badly in half precision
(2-core AVX-512 machine without float16 arithmetic, SmolLM2's 9 heads over 3 kv heads, d_head 64):
- float16: its products run through a slow generic fallback: 210 µs per layer at 20 keys,
  5.9 ms at 1,000 keys; the same attention upcast to float32: 50 µs / 0.55 ms. float16 on CPU
  therefore attends in float32 (the keys and values are exact in float32; the scores, softmax and
  the weighted sum of values accumulate in float32, returned in float16).
- bfloat16: grouped-query attention (enable_gqa) 2–6× slower than the same call with the query
  heads of one kv group as query rows of that kv head: [batch, head, 1, d_head] viewed as
  [batch, kv_head, group, d_head]. The same z, bit for bit (tests/engine/test_one_query.py).
- float32: neither helps; the plain call.
Both model paths (the modules and the fast decode step) call this through components.sdpa, so
they keep computing the same bits.
"""
from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

Tensor = torch.Tensor


def plain(q, k, v, mask, gqa: bool, scale: float | None) -> Tensor:
    """q [batch, head, 1, d_head], k/v [batch, kv_head, key_pos, d_head] -> z [batch, head, 1, d_head]."""
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=gqa, scale=scale)


def group_rows(q, k, v, mask, gqa: bool, scale: float | None) -> Tensor:
    """As plain, each kv group's query heads as query rows of its kv head (no GQA expansion)."""
    if not gqa:
        return plain(q, k, v, mask, gqa, scale)
    b, h, _, d = q.shape
    kvh = k.shape[1]
    g = h // kvh  # query heads per kv head: head i reads kv head i // g
    if mask is not None and mask.shape[1] != 1:  # a per-head mask: [batch, head, 1, key_pos] -> per group rows
        mask = mask.reshape(mask.shape[0], kvh, g, mask.shape[-1])
    z = F.scaled_dot_product_attention(q.reshape(b, kvh, g, d), k, v, attn_mask=mask, scale=scale)  # [b, kv_head, group, d]
    return z.reshape(b, h, 1, d)  # [batch, head, 1, d_head]


def in_float32(q, k, v, mask, gqa: bool, scale: float | None) -> Tensor:
    """As plain, computed in float32 (the caller casts z back to the model's dtype)."""
    return plain(q.float(), k.float(), v.float(), mask, gqa, scale)


# dtype -> how one query attends on CPU (measured above); other dtypes and devices: plain
ONE_QUERY: dict[torch.dtype, Callable[..., Tensor]] = {torch.float16: in_float32, torch.bfloat16: group_rows}


def one_query_attention(q, k, v, mask, gqa: bool, scale: float | None) -> Tensor:
    """q [batch, head, 1, d_head] -> z [batch, head, 1, d_head] (float32 for a float16 model on CPU)."""
    fn = ONE_QUERY.get(v.dtype, plain) if v.device.type == "cpu" else plain
    return fn(q, k, v, mask, gqa, scale)
