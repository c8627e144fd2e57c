"""Long prompts in bounded memory: keep each layer's inputs, recompute its steps when asked.

A full capture of a 2,000-token prompt holds every layer's score matrices (tens of GB). A run
with `Capture(keep_inputs=True)` keeps, besides what it records, each block's call: its input
(the residual stream entering it, a few MB) and the arguments the stack hands it (mask, RoPE
tables, encoder output), all by reference. `recompute(trace, key)` calls that block again on
exactly those arguments with recorders attached, so every step of the layer comes out with
the bits a full capture records: recording never changes the maths (hooks.records_only), so the
cheap pass, the full capture and the recomputation all run the same operations on the same
inputs. Generic over architectures: it needs only hook names and the blocks' module paths.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import torch

from .errors import InputError
from .hook_names import layer_key
from .hooks import HookFn, attached, match_names, records_only


def layer_keys(model) -> list[str]:
    """Every layer of every stack, in computation order: 'blocks.0', … or 'encoder.blocks.0', …"""
    return [f"{prefix}blocks.{i}" for prefix, n in model.stack_layers.items() for i in range(n)]


def layer_hooks(model, key: str) -> list[str]:
    """The hook names inside one layer, in module order."""
    return [n for n in model.hook_points if layer_key(n) == key]


class LayerInputs:
    """Each block's (args, kwargs) of one run, by layer key; references, not copies."""

    def __init__(self, fns: dict[str, list[HookFn]] | None = None):
        self.calls: dict[str, tuple[tuple, dict]] = {}
        self.interventions = {n: [f for f in lst if not getattr(f, "records_only", False)]
                              for n, lst in (fns or {}).items()}  # replayed with the layer

    def __contains__(self, key: str) -> bool:
        return key in self.calls

    @property
    def nbytes(self) -> int:
        """Bytes held only here (each layer's input; shared masks / tables counted once)."""
        seen, total = set(), 0
        for args, kwargs in self.calls.values():
            for t in (*args, *kwargs.values()):
                if isinstance(t, torch.Tensor) and t.data_ptr() not in seen:
                    seen.add(t.data_ptr())
                    total += t.numel() * t.element_size()
        return total

    @contextmanager
    def watching(self, model) -> Iterator[None]:
        """Record every block's call during the block of code (torch forward pre-hooks)."""
        handles = []
        for key in layer_keys(model):
            def keep(module, args, kwargs, _k=key):
                self.calls[_k] = (args, dict(kwargs))
            handles.append(model.get_submodule(key).register_forward_pre_hook(keep, with_kwargs=True))
        try:
            yield
        finally:
            for h in handles:
                h.remove()


class _Reached(Exception):
    """Raised by the recorder once the step a caller waits for is recorded (upto)."""


def recompute(model, inputs: LayerInputs, key: str, trace, names=None,
              cancel: Callable[[], bool] | None = None, to_cpu: bool = False, upto: str | None = None):
    """Run layer `key` again from its stored call, recording its steps (those matching `names`,
    default all) into `trace` (a fresh engine.Trace). Returns the trace.

    upto: a step of the layer; the layer stops right after it (a view needs its step now, not
    the rest of the layer), so the trace holds the steps up to it."""
    from .trace import Capture

    if key not in inputs:
        raise InputError(f"{key} was not kept by this run; capture it with keep_inputs=True")
    if cancel is not None and cancel():
        from .runner import Cancelled

        raise Cancelled()
    capture = Capture(names=names, to_cpu=to_cpu)
    wanted = capture.wanted(layer_hooks(model, key))

    @records_only
    def rec(x, hp):
        trace.record(hp, x, capture)
        if hp.name == upto:
            raise _Reached()

    fns: dict[str, list[HookFn]] = {}
    for n, lst in inputs.interventions.items():
        if layer_key(n) == key:
            fns.setdefault(n, []).extend(lst)
    for n in wanted:
        fns.setdefault(n, []).append(rec)
    args, kwargs = inputs.calls[key]
    if upto is not None and upto not in wanted:
        raise InputError(f"{upto} is not a step of {key}")
    with torch.inference_mode(), attached(model.hook_points, fns):
        try:
            model.get_submodule(key)(*args, **kwargs)
        except _Reached:
            pass
    return trace


def cheap_names(model, names=None) -> list[str]:
    """What a long prompt keeps in its first pass: every step outside the layers and each
    layer's residual-stream steps (what the logit lens and the navigator's first view read)."""
    keep = match_names(model.hook_points, names)
    return [n for n in keep if layer_key(n) is None or n.rsplit(".", 1)[-1].startswith("hook_resid")]
