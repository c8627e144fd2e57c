"""Test-only Q4_K / Q6_K quantisers (the gguf package dequantises these but cannot quantise them).

Plain min/max scaling, not llama.cpp's search for the best scales: any valid block reads back
the same in both readers, which is all the parity tests need. Layouts follow
gguf.quants.Q4_K / Q6_K.dequantize_blocks exactly (the round trip is tested).
"""
from __future__ import annotations

import numpy as np

QK_K = 256


def _f16(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float16)


def quantize_q4_k(x: np.ndarray) -> np.ndarray:
    """[rows, cols] float32 (cols a multiple of 256) -> [rows, cols // 256 * 144] uint8."""
    rows = x.shape[0]
    xs = x.reshape(-1, 8, 32).astype(np.float32)  # [blocks, sub-block, value]
    lo = np.minimum(xs.min(-1), 0)
    scale, off = (xs.max(-1) - lo) / 15, -lo  # [blocks, 8] each, >= 0
    d, dmin = _f16(scale.max(-1) / 63), _f16(off.max(-1) / 63)  # [blocks]
    df, dminf = d.astype(np.float32)[:, None], dmin.astype(np.float32)[:, None]
    sc = np.clip(np.round(np.divide(scale, df, out=np.zeros_like(scale), where=df > 0)), 0, 63).astype(np.uint8)
    m = np.clip(np.round(np.divide(off, dminf, out=np.zeros_like(off), where=dminf > 0)), 0, 63).astype(np.uint8)
    eff_scale, eff_off = (df * sc)[..., None], (dminf * m)[..., None]
    q = np.divide(xs + eff_off, eff_scale, out=np.zeros_like(xs), where=eff_scale > 0)
    q = np.clip(np.round(q), 0, 15).astype(np.uint8)  # [blocks, 8, 32]
    scales = np.concatenate([
        (sc[:, :4] & 63) | ((sc[:, 4:] >> 4) << 6),
        (m[:, :4] & 63) | ((m[:, 4:] >> 4) << 6),
        (sc[:, 4:] & 15) | ((m[:, 4:] & 15) << 4),
    ], axis=1)  # [blocks, 12]
    qs = (q[:, 0::2] | (q[:, 1::2] << 4)).reshape(-1, 128)  # chunk c: sub-block 2c low, 2c+1 high
    blocks = np.concatenate([d.view(np.uint8).reshape(-1, 2), dmin.view(np.uint8).reshape(-1, 2), scales, qs], axis=1)
    return blocks.reshape(rows, -1)


def quantize_q6_k(x: np.ndarray) -> np.ndarray:
    """[rows, cols] float32 (cols a multiple of 256) -> [rows, cols // 256 * 210] uint8."""
    rows = x.shape[0]
    xs = x.reshape(-1, 16, 16).astype(np.float32)  # [blocks, group, value]
    scale = np.abs(xs).max(-1) / 31  # [blocks, 16]
    d = _f16(scale.max(-1) / 127)
    df = d.astype(np.float32)[:, None]
    sc = np.clip(np.round(np.divide(scale, df, out=np.zeros_like(scale), where=df > 0)), -128, 127).astype(np.int8)
    eff = (df * sc)[..., None]
    q = np.divide(xs, eff, out=np.zeros_like(xs), where=eff > 0)
    q = (np.clip(np.round(q), -32, 31) + 32).astype(np.uint8).reshape(-1, 2, 128)  # [blocks, half, value]
    low, high = q & 15, q >> 4
    ql = (low[:, :, :64] | (low[:, :, 64:] << 4)).reshape(-1, 128)
    hv = high.reshape(-1, 2, 4, 32)  # [blocks, half, t, w]
    qh = (hv[:, :, 0] | (hv[:, :, 1] << 2) | (hv[:, :, 2] << 4) | (hv[:, :, 3] << 6)).reshape(-1, 64)
    blocks = np.concatenate([ql, qh, sc.view(np.uint8), d.view(np.uint8).reshape(-1, 2)], axis=1)
    return blocks.reshape(rows, -1)


def quantize(x: np.ndarray, qtype) -> np.ndarray:
    import gguf

    own = {gguf.GGMLQuantizationType.Q4_K: quantize_q4_k, gguf.GGMLQuantizationType.Q6_K: quantize_q6_k}
    if qtype in own:
        return own[qtype](np.ascontiguousarray(x, dtype=np.float32))
    return gguf.quants.quantize(x, qtype)
