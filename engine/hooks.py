"""Hook points: identity modules placed after every operation worth showing.

A HookPoint does nothing unless a run attaches functions to it (capture or intervention);
its name is its module path, derived once from the model tree (never hand-written).
Each declaration carries a one-line description, the axes of its tensor and the steps it
is computed from, so a Trace can be walked in computation order with real provenance.
"""
from __future__ import annotations

from contextlib import contextmanager
from fnmatch import fnmatchcase
from typing import Callable, Iterable, Iterator

import torch
from torch import nn

HookFn = Callable[[torch.Tensor, "HookPoint"], "torch.Tensor | None"]


def records_only(fn: HookFn) -> HookFn:
    """Mark a hook function that only reads its tensor (a capture, a probe): it never replaces a
    value, so a module may compute what it records on the side and keep its fast maths (the same
    bits with or without the recording). Unmarked functions are treated as interventions."""
    fn.records_only = True
    return fn


class HookPoint(nn.Module):
    """Identity module; `fns` run in order and may return a replacement tensor."""

    def __init__(self, description: str, axes: tuple[str, ...], inputs: Iterable[str] = ()):
        super().__init__()
        self.description = description
        self.axes = axes
        self.input_refs = tuple(inputs)  # relative refs, resolved by name_hooks()
        self.name = ""
        self.inputs: tuple[str, ...] = ()
        self.fns: list[HookFn] = []

    @property
    def active(self) -> bool:
        return bool(self.fns)

    @property
    def intervenes(self) -> bool:
        """A function here may replace the value (anything not marked records_only)."""
        return any(not getattr(fn, "records_only", False) for fn in self.fns)

    poll: Callable[[], None] | None = None  # set while a cancellable recompute runs (engine.recompute.polled)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Skip nn.Module's call machinery: ~190 hook points run per decoded token."""
        if self.poll is not None:
            self.poll()  # raises Cancelled when the caller asked to stop
        return self.forward(x) if self.fns else x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for fn in self.fns:
            out = fn(x, self)
            if out is not None:
                x = out
        return x

    def extra_repr(self) -> str:
        return f"{self.name!r}: {self.description}"


def _resolve(ref: str, hook_name: str) -> str:
    """Resolve a ref relative to the hook's parent module.

    '/x' is absolute; 'hook_q' is a sibling; '../ln1.hook_normalized' climbs one module.
    """
    if ref.startswith("/"):
        return ref[1:]
    parts = hook_name.split(".")[:-1]
    while ref.startswith("../"):
        ref = ref[3:]
        parts = parts[:-1]
    return ".".join(parts + [ref]) if parts else ref


def name_hooks(model: nn.Module) -> dict[str, HookPoint]:
    """Give every HookPoint its module path as name and resolve its input refs."""
    hooks = {}
    for name, module in model.named_modules():
        if isinstance(module, HookPoint):
            module.name = name
            hooks[name] = module
    for name, hp in hooks.items():
        hp.inputs = tuple(_resolve(r, name) for r in hp.input_refs)
    return hooks


def match_names(names: Iterable[str], patterns: Iterable[str] | None) -> list[str]:
    """Names matching any glob (or exact name). None means everything."""
    names = list(names)
    if patterns is None:
        return names
    pats = list(patterns)
    return [n for n in names if any(n == p or fnmatchcase(n, p) for p in pats)]


@contextmanager
def attached(hooks: dict[str, HookPoint], fns: dict[str, list[HookFn]]) -> Iterator[None]:
    """Attach functions to hook points for the duration of a block; on exit remove exactly
    what this block added, so functions attached by an enclosing block stay (nested runs)."""
    added: list[tuple[HookPoint, HookFn]] = []
    try:
        for name, lst in fns.items():
            hp = hooks[name]
            for fn in lst:
                hp.fns.append(fn)
                added.append((hp, fn))
        yield
    finally:
        for hp, fn in reversed(added):
            _remove_last(hp.fns, fn)


def _remove_last(fns: list[HookFn], fn: HookFn) -> None:
    """Remove the latest entry that *is* fn (by identity: two blocks may attach equal functions)."""
    for i in range(len(fns) - 1, -1, -1):
        if fns[i] is fn:
            del fns[i]
            return
