"""Building a model with its parameters on the meta device (shapes, no memory) and nothing else:
buffers (sinusoidal tables) are computed for real on the CPU, RoPE tables are left on meta until
the fill computes them (rope.tables_later), and weight initialisers are skipped. In torch 2.13 nearly every operation on a meta tensor runs a Python decomposition
whose first use imports torch's dynamo compiler and sympy (~2 s and ~70 MB, once per process); this way
the only meta operations are fusion's torch.cat, answered here from the shapes. Skipping the
initialisers is exact: a meta tensor has no values, and loading writes every parameter.

The parameters go to meta in `nn.Module.register_parameter`, as accelerate's
init_empty_weights(include_buffers=False) does, but only in the thread inside `on_meta`."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from ..config import ModelConfig

_INITS = (
    "normal_", "uniform_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_",
)
SKIPPED = frozenset(
    [getattr(torch.nn.init, n) for n in _INITS if hasattr(torch.nn.init, n)]
    + [getattr(torch.Tensor, n) for n in ("normal_", "uniform_", "fill_", "zero_", "bernoulli_",
                                           "exponential_", "random_", "log_normal_", "cauchy_", "geometric_")]
)


class MetaShortcuts(TorchFunctionMode):
    """Initialisers of meta tensors do nothing; torch.cat of meta tensors gives an empty meta tensor
    of the joined shape and dtype. Everything else runs as usual."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is torch.cat and not kwargs.get("out") and _all_meta(args[0] if args else kwargs.get("tensors")):
            return _meta_cat(list(args[0] if args else kwargs["tensors"]),
                             args[1] if len(args) > 1 else kwargs.get("dim", 0))
        target = args[0] if args else kwargs.get("tensor", kwargs.get("self"))
        if func in SKIPPED and isinstance(target, torch.Tensor) and target.is_meta:
            return target  # in place on a tensor with no values: nothing to do
        return func(*args, **kwargs)


_local = threading.local()
_original_register = nn.Module.register_parameter


def _register_parameter(self, name, param):
    _original_register(self, name, param)
    if param is not None and getattr(_local, "meta", False) and not param.is_meta:
        p = self._parameters[name]
        self._parameters[name] = type(p)(p.to("meta"), requires_grad=p.requires_grad)


@contextmanager
def parameters_on_meta():
    if nn.Module.register_parameter is not _register_parameter:
        nn.Module.register_parameter = _register_parameter  # inert outside this context's thread
    before = getattr(_local, "meta", False)
    _local.meta = True
    try:
        yield
    finally:
        _local.meta = before


def on_meta(cfg: ModelConfig):
    """The model for cfg with its parameters on the meta device (no memory), buffers on the CPU."""
    from ..models import build_model
    from ..models.rope import tables_later

    with parameters_on_meta(), MetaShortcuts(), tables_later():  # RoPE tables: at fill time only
        return build_model(cfg)


def _all_meta(ts) -> bool:
    return isinstance(ts, (list, tuple)) and bool(ts) and all(isinstance(t, torch.Tensor) and t.is_meta for t in ts)


def _meta_cat(ts: list[torch.Tensor], dim: int) -> torch.Tensor:
    ts = [t for t in ts if t.shape != (0,)] or ts[:1]  # torch.cat skips 1-D empty tensors
    d = dim % ts[0].dim()
    if any(t.dim() != ts[0].dim() or t.shape[:d] + t.shape[d + 1:] != ts[0].shape[:d] + ts[0].shape[d + 1:]
           for t in ts):
        raise RuntimeError("torch.cat: tensors must have the same shape except in the joined dimension")
    shape = list(ts[0].shape)
    shape[d] = sum(t.shape[d] for t in ts)
    return torch.empty(shape, dtype=_joined_dtype(ts), device="meta")


def _joined_dtype(ts: list[torch.Tensor]) -> torch.dtype:
    out = ts[0].dtype
    for t in ts[1:]:
        out = torch.promote_types(out, t.dtype)
    return out
