"""KV cache: keys and values of past positions, per layer, grown in place.

Stored as [batch, kv_head, capacity, d_head] so a slice over positions stays cheap for
matmuls; capacity doubles when full, so a step costs no torch.cat of the whole history. A
generation that knows its final length reserves it (KVCache.reserve): one allocation, no copy.
"""
from __future__ import annotations

import torch


class LayerKV:
    def __init__(self) -> None:
        self.k: torch.Tensor | None = None  # [batch, kv_head, capacity, d_head]
        self.v: torch.Tensor | None = None
        self.length = 0
        self.static = False  # cross-attention: computed once from the encoder output
        self.reserved = 0  # positions the first allocation makes room for
        self.shared = 0  # leading positions known equal in every row (a prompt copied to each beam)

    def append(self, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """k, v: [batch, kv_head, new_pos, d_head]; returns all keys/values so far."""
        b, h, n, d = k.shape
        need = self.length + n
        if self.k is None or need > self.k.shape[2]:
            cap = max(need + 64 if need > self.reserved else self.reserved,
                      2 * (self.k.shape[2] if self.k is not None else 0))
            k_buf = k.new_empty(b, h, cap, d)
            v_buf = v.new_empty(b, h, cap, d)
            if self.k is not None and self.length:
                k_buf[:, :, : self.length] = self.k[:, :, : self.length]
                v_buf[:, :, : self.length] = self.v[:, :, : self.length]
            self.k, self.v = k_buf, v_buf
        self.k[:, :, self.length : need] = k
        self.v[:, :, self.length : need] = v
        self.length = need
        return self.k[:, :, :need], self.v[:, :, :need]

    def set_static(self, k: torch.Tensor, v: torch.Tensor) -> None:
        self.k, self.v, self.length, self.static = k, v, k.shape[2], True

    def view(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self.k[:, :, : self.length], self.v[:, :, : self.length]

    def reorder(self, index: torch.Tensor) -> None:
        """Keep batch rows `index` (beam search picks parents).

        With the same row count, in place: only the rows whose parent is another row, and only
        the positions after `shared` (equal in every row, so copying them changes nothing).
        Rows drawn from a single one (the prompt copied to each beam) share every position."""
        if self.k is None:
            return
        rows = self.k.shape[0]
        if index.numel() == rows and not self.static:
            moved = (index != torch.arange(rows, device=index.device)).nonzero()[:, 0]  # [moved rows]
            if len(moved) and self.length > self.shared:
                part = slice(self.shared, self.length)
                for buf in (self.k, self.v):
                    keys = buf[:, :, part]  # [rows, kv_head, positions, d_head], a view
                    keys.index_copy_(0, moved, keys.index_select(0, index[moved]))
            return
        self.k = self.k.index_select(0, index)
        self.v = self.v.index_select(0, index)
        if not self.static and bool((index == index[0]).all()):
            self.shared = self.length


class KVCache:
    """One LayerKV per self-attention layer (and per cross-attention layer if any)."""

    def __init__(self, n_layers: int, cross: bool = False) -> None:
        self.self_attn = [LayerKV() for _ in range(n_layers)]
        self.cross_attn = [LayerKV() for _ in range(n_layers)] if cross else None

    @property
    def length(self) -> int:
        return self.self_attn[0].length

    def reserve(self, positions: int) -> None:
        """Room for `positions` self-attention keys from the first step on (prompt + new tokens)."""
        for layer in self.self_attn:
            layer.reserved = positions

    def reorder(self, index: torch.Tensor) -> None:
        for layer in self.self_attn:
            layer.reorder(index)
        if self.cross_attn is not None:
            for layer in self.cross_attn:
                layer.reorder(index)
