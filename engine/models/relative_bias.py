"""T5's relative position bias: a learned number per head for each bucket of (key − query) offsets.

T5 has no position embeddings. Instead every self-attention adds bias[head, query, key] to its
scores, looked up in a [bucket, head] table by the bucket of the offset key − query: offsets
below a threshold get a bucket each, larger ones share logarithmically wider buckets up to
`max_distance`, beyond which all share the last. The encoder's buckets are bidirectional
(half for keys before the query, half for keys after); the decoder's are causal (only keys at
or before the query). The checkpoint stores one table per stack, in its layer 0, and every
layer of that stack adds the same bias; cross-attention has none.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from ..config import ModelConfig


def relative_bucket(rel: torch.Tensor, bidirectional: bool, n_buckets: int, max_distance: int) -> torch.Tensor:
    """rel = key_pos − query_pos (long, any shape) -> bucket ids in [0, n_buckets), as T5 computes them."""
    buckets = torch.zeros_like(rel)
    if bidirectional:
        n_buckets //= 2
        buckets = buckets + (rel > 0).to(torch.long) * n_buckets  # keys after the query: the upper half
        dist = rel.abs()
    else:
        dist = -torch.clamp(rel, max=0)  # causal: keys after the query never attend
    exact = n_buckets // 2  # offsets below this get a bucket each
    log_part = exact + (
        torch.log(dist.float() / exact) / math.log(max_distance / exact) * (n_buckets - exact)
    ).to(torch.long)
    log_part = torch.clamp(log_part, max=n_buckets - 1)
    return buckets + torch.where(dist < exact, dist, log_part)


def describe_bias(n_buckets: int, max_distance: int, bidirectional: bool) -> str:
    """The bias step in words (the hook point's description)."""
    half = n_buckets // 2 if bidirectional else n_buckets
    how = (f"{n_buckets} buckets, half for keys before the query and half for keys after"
           if bidirectional else f"{n_buckets} causal buckets: keys at or before the query")
    return (f"relative position bias: a learned value per head for the bucket of key − query "
            f"({how}; offsets below {half // 2} exact, then logarithmic up to {max_distance}); "
            "the table is stored in layer 0 and every layer of this stack adds the same bias")


class RelativePositionBias(nn.Module):
    """The [bucket, head] table of one stack; forward gives the bias [1, head, query_pos, key_pos]."""

    def __init__(self, cfg: ModelConfig, bidirectional: bool):
        super().__init__()
        self.bidirectional = bidirectional
        self.n_buckets, self.max_distance = cfg.rel_pos_buckets, cfg.rel_pos_max_distance
        self.W_rel = nn.Parameter(torch.empty(cfg.rel_pos_buckets, cfg.n_heads))  # [bucket, head]

    def buckets(self, q_positions: torch.Tensor, k_len: int) -> torch.Tensor:
        """q_positions [q] (absolute), keys 0..k_len-1 -> bucket ids [q, k]."""
        k_positions = torch.arange(k_len, device=q_positions.device)
        rel = k_positions[None, :] - q_positions[:, None]  # [q, k]
        return relative_bucket(rel, self.bidirectional, self.n_buckets, self.max_distance)

    def forward(self, q_positions: torch.Tensor, k_len: int) -> torch.Tensor:
        values = F.embedding(self.buckets(q_positions, k_len), self.W_rel)  # [q, k, head]
        return values.permute(2, 0, 1)[None]  # [1, head, q, k]


def with_bias(mask: torch.Tensor | None, bias: torch.Tensor) -> torch.Tensor:
    """An additive float mask for SDPA: the bias [1, head, q, k] where attending is allowed, −∞
    where the boolean mask [batch|1, 1, q, k] forbids it. The module path and the fast decode
    step both call this, so they hand SDPA the same tensor."""
    if mask is None:
        return bias
    return bias.masked_fill(~mask, float("-inf"))  # [batch|1, head, q, k]
