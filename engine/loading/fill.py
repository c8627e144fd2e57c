"""Load these tensors into this meta-built model: every parameter gets its memory once, on its
device, in its dtype and final layout (fused Q/K/V and gate/up already), and each checkpoint
tensor is copied in (dtype converted on the way) and let go before the next, so a load never holds
a second copy of the weights.

    model = build on meta ; fuse_on_meta(model) ; allocate(model, device, dtype) ; fill(model, state)

A placement step calls `allocate` / `fill` per device (or `fill` with only the keys of one layer)."""
from __future__ import annotations

from typing import Callable, Iterable, MutableMapping

import torch
from torch import nn

from ..errors import ModelLoadError
from . import huge_pages
from .deferred import reader_of, write
from .safetensors_map import release

_OWN = ("_parameters", "_buffers", "_modules")


def _key(t: torch.Tensor):
    return t.untyped_storage()  # one object per storage (views of one fused tensor share it); held as a key


def fuse_on_meta(model: nn.Module) -> bool:
    """Fuse every fusable module while its parameters have no memory (so fusing copies nothing).
    False when fusing keeps a tensor that is not a view of a parameter or buffer (a derived copy
    the fill could not give values): the caller then builds the model again and fuses after
    filling, the slow way."""
    from .meta_build import MetaShortcuts

    with MetaShortcuts():
        for m in model.modules():
            if hasattr(m, "fuse"):
                m.fuse()
    owned = {_key(t) for t in _owned(model)}
    return all(_key(t) in owned for m in model.modules() for t in _attribute_tensors(m))


def allocate(model: nn.Module, device: torch.device | str, dtype: torch.dtype) -> None:
    """Real, uninitialised memory on `device` for every meta parameter (and meta buffer; floating
    ones in `dtype`), one allocation per storage: views stay views of one tensor. Tensors a module
    keeps as attributes (fused matrices) are pointed at the same memory. Buffers computed at build
    (on the CPU, see meta_build.py) are left as they are: build.instantiate recomputes and moves them."""
    flats: dict = {}  # storage -> [its elements], real

    def real(t: torch.Tensor) -> torch.Tensor:
        if not t.is_meta:
            return t
        flat = flats.get(_key(t))
        if flat is None:
            want = dtype if t.is_floating_point() else t.dtype
            n = t.untyped_storage().nbytes() // t.element_size()
            flat = flats[_key(t)] = torch.empty(n, dtype=want, device=device)  # [storage elements]
            huge_pages.advise(flat)  # before the fill first writes it (huge_pages.py)
        return flat.as_strided(t.shape, t.stride(), t.storage_offset())

    swapped: dict[int, nn.Parameter] = {}  # a shared (tied) parameter becomes one new parameter
    for m in model.modules():
        for name, p in list(m.named_parameters(recurse=False, remove_duplicate=False)):
            if p.is_meta:
                if id(p) not in swapped:
                    swapped[id(p)] = nn.Parameter(real(p), requires_grad=p.requires_grad)
                setattr(m, name, swapped[id(p)])
        for name, b in list(m.named_buffers(recurse=False, remove_duplicate=False)):
            setattr(m, name, real(b))

    def shared(t: torch.Tensor) -> torch.Tensor:
        if t.is_meta and _key(t) not in flats:
            raise ModelLoadError(f"{type(m).__name__} keeps a tensor of its own that loading cannot fill")
        return real(t)

    for m in model.modules():  # after every parameter: attributes may only view their memory
        for name, v in list(m.__dict__.items()):
            if name not in _OWN and _has_meta(v):
                setattr(m, name, _map(v, shared))


def fill(model: nn.Module, state: MutableMapping[str, torch.Tensor], *, consume: bool = False,
         keys: Iterable[str] | None = None, finite: Callable[[torch.Tensor], bool] | None = None) -> None:
    """Copy state[k] into the model's tensor k for every k (default: the whole state dict); a
    deferred tensor is read straight into it. consume: pop each source as it is copied (its
    memory, or its file pages, go back at once). finite(t) -> False raises, naming our key."""
    targets = model.state_dict(keep_vars=True)
    with torch.no_grad():
        for k in list(targets if keys is None else keys):
            dest = targets[k]
            src = state.pop(k) if consume else state[k]
            reader = reader_of(src)
            seen = write(reader, dest) if reader is not None else _copy(src, dest)
            if seen is None or dest.element_size() >= seen.element_size():
                seen = dest  # the same values (a narrower source widened): read from memory, not the file
            if finite is not None and not finite(seen):
                raise ModelLoadError(f"tensor {k!r} holds NaN or infinite values; the checkpoint is damaged")
            release(src)
            del src, seen


STEP = 8 << 20  # bytes of a large contiguous source copied (and its file pages let go) per step


def _copy(src: torch.Tensor, dest: torch.Tensor) -> torch.Tensor:
    """dest <- src; a large contiguous source a few rows at a time, each step's file pages handed
    back at once (so a mapped embedding never sits in memory whole beside its copy)."""
    if src.is_meta:
        raise ModelLoadError("a converter gave a tensor with no values (a meta tensor without a reader)")
    row = src[0].numel() * src.element_size() if src.dim() else 0
    if not (src.dim() and src.shape == dest.shape and src.is_contiguous() and src.shape[0] * row > STEP):
        dest.copy_(src)
        return src
    rows = max(1, STEP // max(row, 1))
    for i in range(0, src.shape[0], rows):
        dest[i:i + rows].copy_(src[i:i + rows])  # [rows, ...]
        release(src[i:i + rows])
    return src


def _owned(model: nn.Module):
    yield from (p for _, p in model.named_parameters(remove_duplicate=False))
    yield from (b for _, b in model.named_buffers(remove_duplicate=False))


def _attribute_tensors(m: nn.Module):
    stack = [v for k, v in m.__dict__.items() if k not in _OWN]
    while stack:
        v = stack.pop()
        if isinstance(v, torch.Tensor):
            yield v
        elif isinstance(v, (list, tuple)):
            stack.extend(v)


def _has_meta(v) -> bool:
    if isinstance(v, torch.Tensor):
        return v.is_meta
    return isinstance(v, (list, tuple)) and any(_has_meta(x) for x in v)


def _map(v, fn):
    if isinstance(v, torch.Tensor):
        return fn(v)
    if isinstance(v, tuple):
        return tuple(_map(x, fn) for x in v)
    if isinstance(v, list):
        return [_map(x, fn) for x in v]
    return v
