"""RoPE frequency types: rope_type -> (inv_freq, attention_scaling), as transformers computes them.

Each type is a small function of a RopeSpec and the current sequence length, registered in
ROPE_TYPES (the counterpart of transformers' `modeling_rope_utils.ROPE_INIT_FUNCTIONS`). The
arithmetic follows transformers' steps and dtypes (float32 tensors where they use tensors,
Python floats where they do), so the angles come out with the same bits.

`attention_scaling` multiplies cos and sin (YaRN's and LongRoPE's attention factor): q and k
both grow by it, so the scores grow by its square.

Two types depend on the sequence length at run time (seq_len = last position + 1):
- dynamic (NTK): past max_position_embeddings the base grows with seq_len; at or below it,
  plain RoPE. transformers' dynamic_rope_update recomputes per forward in the same cases; it
  also keeps the largest seen frequencies until a sequence shorter than max_position_embeddings
  comes (state between calls); here every forward depends on its own seq_len only, which is the
  same for a fresh model and for a growing generation.
- longrope (Phi-3): short_factor up to original_max_position_embeddings, long_factor past it.
Keys already in a KV cache keep the rotation they were given, on both sides.
"""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

import torch

from ..errors import ModelLoadError


@dataclass(frozen=True)
class RopeSpec:
    kind: str  # a key of ROPE_TYPES
    theta: float
    dim: int  # rotary dim: the first `dim` dims of each head rotate
    params: dict = field(default_factory=dict)  # the type's parameters, see REQUIRED

    @classmethod
    def of(cls, cfg) -> "RopeSpec":
        return cls(cfg.rope_type, float(cfg.rope_theta), cfg.rotary_dim or cfg.d_head, dict(cfg.rope_params))

    def get(self, key: str, default=None):
        value = self.params.get(key)
        return default if value is None else value


RopeFn = Callable[[RopeSpec, "int | None"], "tuple[torch.Tensor, float]"]
ROPE_TYPES: dict[str, RopeFn] = {}  # rope_type -> (spec, seq_len or None) -> (inv_freq [dim/2], scaling)
DESCRIBE: dict[str, Callable[[RopeSpec], str]] = {}  # rope_type -> words for the hook descriptions
REQUIRED: dict[str, tuple[str, ...]] = {}  # rope_type -> params it cannot run without
LENGTH_DEPENDENT: dict[str, Callable[[RopeSpec, int], bool]] = {}  # rope_type -> does this seq_len change it


def rope_type(name: str, describe: Callable[[RopeSpec], str], required: tuple[str, ...] = (),
              changes_at: Callable[[RopeSpec, int], bool] | None = None):
    def deco(fn: RopeFn) -> RopeFn:
        ROPE_TYPES[name], DESCRIBE[name], REQUIRED[name] = fn, describe, required
        if changes_at is not None:
            LENGTH_DEPENDENT[name] = changes_at
        return fn

    return deco


def check(spec: RopeSpec) -> None:
    """Refuse, by name, a type we do not implement or one missing a parameter it needs."""
    if spec.kind not in ROPE_TYPES:
        raise ModelLoadError(
            f"this checkpoint uses RoPE scaling of type {spec.kind!r}, which the playground does not "
            f"implement (supported: {', '.join(ROPE_TYPES)})"
        )
    missing = [k for k in REQUIRED[spec.kind] if spec.params.get(k) is None]
    if missing:
        raise ModelLoadError(f"RoPE scaling {spec.kind!r} needs {', '.join(missing)} in rope_parameters / rope_scaling")


_BUILDING = threading.local()


@contextmanager
def tables_later() -> Iterator[None]:
    """Models built inside (on this thread) get RoPE tables of the right shape on the meta device,
    computed for real only by `init_buffers` when the model is filled: a 128k-position model's
    tables are ~67 MB each, and a listing that counts parameters, or a load that would recompute
    them after filling anyway, need none of it (engine/loading/meta_build.py)."""
    before = getattr(_BUILDING, "later", False)
    _BUILDING.later = True
    try:
        yield
    finally:
        _BUILDING.later = before


def tables_deferred() -> bool:
    return getattr(_BUILDING, "later", False)


def inv_freq(spec: RopeSpec, seq_len: int | None = None) -> tuple[torch.Tensor, float]:
    """(inv_freq [dim/2] float32, attention_scaling) at this sequence length (None: at load)."""
    return ROPE_TYPES[spec.kind](spec, seq_len)


def varies_at(spec: RopeSpec, seq_len: int) -> bool:
    """Whether the frequencies at seq_len differ from the ones at load time."""
    rule = LENGTH_DEPENDENT.get(spec.kind)
    return rule is not None and rule(spec, seq_len)


def describe(spec: RopeSpec) -> str:
    return DESCRIBE[spec.kind](spec)


def _exponents(dim: int) -> torch.Tensor:
    return torch.arange(0, dim, 2, dtype=torch.int64).float() / dim  # [dim/2]: 2i/dim


def _plain(theta: float, dim: int) -> torch.Tensor:
    return 1.0 / (theta ** _exponents(dim))  # [dim/2]


@rope_type("default", lambda s: f"θ_i = {s.theta:g}^(−2i/{s.dim})")
def default(spec: RopeSpec, seq_len=None):
    return _plain(spec.theta, spec.dim), 1.0


@rope_type("linear", lambda s: f"linear scaling: θ_i = {s.theta:g}^(−2i/{s.dim}) / {s.get('factor'):g}",
           required=("factor",))
def linear(spec: RopeSpec, seq_len=None):
    return _plain(spec.theta, spec.dim) / spec.get("factor"), 1.0


def _dynamic_changes(spec: RopeSpec, seq_len: int) -> bool:
    return seq_len > spec.get("max_position_embeddings")


@rope_type("dynamic", lambda s: (f"dynamic NTK scaling (factor {s.get('factor'):g}): past "
                                 f"{s.get('max_position_embeddings')} positions the base {s.theta:g} grows with "
                                 "the sequence length"),
           required=("factor", "max_position_embeddings"), changes_at=_dynamic_changes)
def dynamic(spec: RopeSpec, seq_len=None):
    factor, max_pos, dim = spec.get("factor"), spec.get("max_position_embeddings"), spec.dim
    if seq_len is None or seq_len <= max_pos:  # transformers' load-time path, in Python floats
        base = spec.theta * ((factor * max_pos / max_pos) - (factor - 1)) ** (dim / (dim - 2))
    else:  # its run-time path: seq_len is a tensor there, so the base is a float32 tensor
        n = torch.tensor(seq_len)
        base = spec.theta * ((factor * n / max_pos) - (factor - 1)) ** (dim / (dim - 2))
    return 1.0 / (base ** _exponents(dim)), 1.0


def _mscale(scale: float, m: float = 1.0) -> float:
    return 1.0 if scale <= 1 else 0.1 * m * math.log(scale) + 1.0


def yarn_attention_factor(spec: RopeSpec, factor: float) -> float:
    given = spec.get("attention_factor")
    if given is not None:
        return given
    m, m_all = spec.get("mscale"), spec.get("mscale_all_dim")
    return float(_mscale(factor, m) / _mscale(factor, m_all)) if m and m_all else _mscale(factor)


def _yarn_factor(spec: RopeSpec) -> float:
    return spec.get("factor") or spec.get("max_position_embeddings") / spec.get("original_max_position_embeddings")


@rope_type("yarn", lambda s: (f"YaRN (factor {_yarn_factor(s):g}, original {s.get('original_max_position_embeddings')}"
                              f" positions): blends interpolated and original θ_i; cos and sin × "
                              f"{yarn_attention_factor(s, _yarn_factor(s)):.4g}"),
           required=("original_max_position_embeddings",))
def yarn(spec: RopeSpec, seq_len=None):
    base, dim, factor = spec.theta, spec.dim, _yarn_factor(spec)
    original = spec.get("original_max_position_embeddings")
    beta_fast, beta_slow = spec.get("beta_fast") or 32, spec.get("beta_slow") or 1

    def correction_dim(rotations: float) -> float:  # the dim that turns `rotations` times over `original`
        return (dim * math.log(original / (rotations * 2 * math.pi))) / (2 * math.log(base))

    low, high = correction_dim(beta_fast), correction_dim(beta_slow)
    if spec.get("truncate", True):
        low, high = math.floor(low), math.ceil(high)
    low, high = max(low, 0), min(high, dim - 1)
    if low == high:
        high += 0.001  # transformers' guard against a zero-width ramp
    ramp = torch.clamp((torch.arange(dim // 2, dtype=torch.float32) - low) / (high - low), 0, 1)  # [dim/2]
    pos_freqs = base ** (torch.arange(0, dim, 2).float() / dim)  # [dim/2]
    keep = 1 - ramp  # 1: the original frequency (fast dims), 0: interpolated by factor (slow dims)
    inv = (1.0 / (factor * pos_freqs)) * (1 - keep) + (1.0 / pos_freqs) * keep
    return inv, yarn_attention_factor(spec, factor)


def _llama3_words(s: RopeSpec) -> str:
    return (f"Llama-3 scaling (factor {s.get('factor'):g}, low/high frequency factors {s.get('low_freq_factor'):g}/"
            f"{s.get('high_freq_factor'):g}, original {s.get('original_max_position_embeddings')} positions): "
            "long wavelengths θ_i / factor, short ones kept, smooth in between")


@rope_type("llama3", _llama3_words,
           required=("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"))
def llama3(spec: RopeSpec, seq_len=None):
    inv = _plain(spec.theta, spec.dim)
    factor, low_f, high_f = spec.get("factor"), spec.get("low_freq_factor"), spec.get("high_freq_factor")
    old_len = spec.get("original_max_position_embeddings")
    low_wavelen, high_wavelen = old_len / low_f, old_len / high_f
    wavelen = 2 * math.pi / inv  # [dim/2]
    scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
    smooth = (old_len / wavelen - low_f) / (high_f - low_f)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, scaled), 1.0


def llama3_freq_factors(spec: RopeSpec) -> torch.Tensor:
    """What a Llama-3.1/3.2 GGUF stores as `rope_freqs.weight` [dim/2]: plain θ_i / llama3 θ_i
    (llama.cpp divides each frequency by it). Feed it back as rope type "freq_factors"."""
    return _plain(spec.theta, spec.dim) / llama3(spec)[0]


@rope_type("freq_factors", lambda s: f"θ_i = {s.theta:g}^(−2i/{s.dim}) / f_i, per-frequency factors from the file "
                                     "(GGUF rope_freqs, e.g. Llama-3.1's scaling)",
           required=("freq_factors",))
def freq_factors(spec: RopeSpec, seq_len=None):
    factors = torch.tensor(spec.get("freq_factors"), dtype=torch.float32)  # [dim/2]
    if factors.shape != (spec.dim // 2,):
        raise ModelLoadError(f"rope_freqs has {factors.numel()} factors; a head rotates {spec.dim // 2} frequencies")
    return _plain(spec.theta, spec.dim) / factors, 1.0


def _longrope_factor(spec: RopeSpec) -> float:
    return spec.get("factor") or spec.get("max_position_embeddings") / spec.get("original_max_position_embeddings")


def longrope_attention_factor(spec: RopeSpec) -> float:
    given = spec.get("attention_factor")
    if given is not None:
        return given
    factor, original = _longrope_factor(spec), spec.get("original_max_position_embeddings")
    return 1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(original))


def _longrope_long(spec: RopeSpec, seq_len: int) -> bool:
    return seq_len > spec.get("original_max_position_embeddings")


@rope_type("longrope", lambda s: (f"LongRoPE: θ_i / short_factor_i up to {s.get('original_max_position_embeddings')}"
                                  " positions, / long_factor_i past them; cos and sin × "
                                  f"{longrope_attention_factor(s):.4g}"),
           required=("short_factor", "long_factor", "original_max_position_embeddings"), changes_at=_longrope_long)
def longrope(spec: RopeSpec, seq_len=None):
    long = seq_len is not None and _longrope_long(spec, seq_len)
    ext = torch.tensor(spec.get("long_factor" if long else "short_factor"), dtype=torch.float32)  # [dim/2]
    if ext.shape != (spec.dim // 2,):
        raise ModelLoadError(f"longrope factors have {ext.numel()} entries; a head rotates {spec.dim // 2} frequencies")
    return 1.0 / (ext * spec.theta ** _exponents(spec.dim)), longrope_attention_factor(spec)
