"""Long prompts in bounded memory: keep each layer's inputs, recompute its steps when asked.

A full capture of a 2,000-token prompt holds every layer's score matrices (tens of GB). A run
with `Capture(keep_inputs=True)` keeps, besides what it records, each block's call: its input
(the residual stream entering it, a few MB) and the arguments the stack hands it (mask, RoPE
tables, encoder output), all by reference. `recompute(trace, key)` calls that block again on
exactly those arguments with recorders attached, so every step of the layer comes out with
the bits a full capture records: recording never changes the maths (hooks.records_only), so the
cheap pass, the full capture and the recomputation all run the same operations on the same
inputs. Generic over architectures: it needs only hook names and the blocks' module paths.

A view needs less than a layer, so a recomputation can be narrowed (each the same operations on
the same inputs, so the same bits): `upto` stops right after a step; `heads` computes the
attention matrices (recorded beside the fused kernel) of some query heads only; and a sub-layer
none of whose steps is wanted (a block's `attn`, `cross_attn`) is not run at all: its output,
kept by reference in the first pass (a residual-stream-sized tensor), stands in for it.
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


# a block's children whose output a recomputation may replay instead of running them
SKIPPABLE = ("attn", "cross_attn")


class LayerInputs:
    """Each block's (args, kwargs) of one run, by layer key, and the output of each of its
    SKIPPABLE sub-layers, by module path; references, not copies."""

    def __init__(self, fns: dict[str, list[HookFn]] | None = None):
        self.calls: dict[str, tuple[tuple, dict]] = {}
        self.outputs: dict[str, torch.Tensor] = {}  # 'blocks.3.attn' -> its output [batch, pos, d_model]
        self.interventions = {n: [f for f in lst if not getattr(f, "records_only", False)]
                              for n, lst in (fns or {}).items()}  # replayed with the layer

    def __contains__(self, key: str) -> bool:
        return key in self.calls

    @property
    def nbytes(self) -> int:
        """Bytes held only here (each layer's input; shared masks / tables counted once)."""
        seen, total = set(), 0
        for args, kwargs in [*self.calls.values(), (tuple(self.outputs.values()), {})]:
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
            block = model.get_submodule(key)
            handles.append(block.register_forward_pre_hook(keep, with_kwargs=True))
            for child in SKIPPABLE:
                if isinstance(getattr(block, child, None), torch.nn.Module):
                    def out(module, args, result, _p=f"{key}.{child}"):
                        if isinstance(result, torch.Tensor):
                            self.outputs[_p] = result
                    handles.append(getattr(block, child).register_forward_hook(out))
        try:
            yield
        finally:
            for h in handles:
                h.remove()


def kept_per_run(model) -> int:
    """Residual-stream-sized tensors a keep_inputs run holds: each layer's input and each
    SKIPPABLE sub-layer's output (for the memory estimate before a long capture)."""
    blocks = [model.get_submodule(k) for k in layer_keys(model)]
    return sum(1 + sum(isinstance(getattr(b, c, None), torch.nn.Module) for c in SKIPPABLE) for b in blocks)


class _Reached(Exception):
    """Raised by the recorder once the step a caller waits for is recorded (upto)."""


def _attentions(model, key: str) -> dict[str, object]:
    """The layer's attention modules that record matrices beside their fused kernel, by path."""
    from .models.components import Attention

    block = model.get_submodule(key)
    return {f"{key}.{n}": m for n, m in block.named_modules() if isinstance(m, Attention) and m.side_records}


@contextmanager
def _narrowed(model, key: str, inputs: LayerInputs, wanted: list[str], heads) -> Iterator[dict]:
    """While recomputing `key`: attention matrices for `heads` only, and each SKIPPABLE sub-layer
    with no wanted step replaced by its kept output (nn.Module calls an instance's `forward`
    attribute first; it is removed on exit). Yields {attention path: its heads} where narrowed."""
    narrowed: dict[str, tuple[int, ...]] = {}
    skipped = []
    try:
        if heads is not None:
            sel = tuple(sorted(set(heads)))
            for path, attn in _attentions(model, key).items():
                if not sel or sel[0] < 0 or sel[-1] >= attn.n_heads:
                    raise InputError(f"heads {list(sel)} are not all heads of {path} (0–{attn.n_heads - 1})")
                if len(sel) < attn.n_heads:
                    attn.record_heads = sel
                    narrowed[path] = sel
        for child in SKIPPABLE:
            path = f"{key}.{child}"
            if path in inputs.outputs and not any(n.startswith(path + ".") for n in wanted):
                module, kept = model.get_submodule(path), inputs.outputs[path]
                module.forward = lambda *a, _kept=kept, **kw: _kept
                skipped.append(module)
        yield narrowed
    finally:
        for path in narrowed:
            model.get_submodule(path).record_heads = None
        for module in skipped:
            del module.forward


@contextmanager
def polled(model, key: str, cancel: Callable[[], bool] | None) -> Iterator[None]:
    """`cancel` asked at every step of layer `key` while it runs, active or not (HookPoint.poll):
    one layer of a 2,000-token prompt computes for 0.1-0.5 s, and a cancelled recompute (the
    attention grid's thumbnails, when a view is asked for) held the worker until it ended.
    Polling changes nothing the layer computes: no hook function is added."""
    if cancel is None:
        yield
        return
    from .runner import Cancelled

    def poll():
        if cancel():
            raise Cancelled()

    points = [model.hook_points[n] for n in layer_hooks(model, key)]
    for hp in points:
        hp.poll = poll
    try:
        yield
    finally:
        for hp in points:
            hp.poll = None


def recompute(model, inputs: LayerInputs, key: str, trace, names=None,
              cancel: Callable[[], bool] | None = None, to_cpu: bool = False, upto: str | None = None,
              heads=None):
    """Run layer `key` again from its stored call, recording its steps (those matching `names`,
    default all) into `trace` (a fresh engine.Trace). Returns the trace.

    upto: a step of the layer; the layer stops right after it (a view needs its step now, not
    the rest of the layer), so the trace holds the steps up to it.
    heads: query heads whose attention matrices to record (their steps say so: Step.heads);
    the other heads' matrices are not computed. A sub-layer none of `names` is in is not run."""
    from .trace import Capture

    if key not in inputs:
        raise InputError(f"{key} was not kept by this run; capture it with keep_inputs=True")
    if cancel is not None and cancel():
        from .runner import Cancelled

        raise Cancelled()
    capture = Capture(names=names, to_cpu=to_cpu)
    wanted = capture.wanted(layer_hooks(model, key))

    narrowed: dict[str, tuple[int, ...]] = {}

    @records_only
    def rec(x, hp):
        sel = narrowed.get(hp.name.rsplit(".", 1)[0])
        part = sel is not None and hp.axes[1:2] == ("head",) and x.dim() == 4 and x.shape[1] == len(sel)
        trace.record(hp, x, capture, heads=sel if part else None)
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
    with torch.inference_mode(), attached(model.hook_points, fns), polled(model, key, cancel), \
            _narrowed(model, key, inputs, wanted, heads) as narrowing:
        narrowed.update(narrowing)
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


MATRIX_AXES = ("batch", "head", "query_pos", "key_pos")  # an attention matrix step


def narrow_for(model, key: str, step: str, head: int | None = None) -> dict:
    """What a view of `step` needs from layer `key`, as recompute() keywords: the layer's steps
    outside its SKIPPABLE sub-layers plus those of the sub-layer holding `step` (the others are
    replayed from their kept outputs), no attention matrices unless `step` is one, and then the
    matrices of `head` only, up to the pattern (the attention view draws both)."""
    hooks = model.hook_points
    names = layer_hooks(model, key)
    home = next((f"{key}.{c}" for c in SKIPPABLE if step.startswith(f"{key}.{c}.")), None)

    def inside(n: str) -> str | None:
        return next((f"{key}.{c}" for c in SKIPPABLE if n.startswith(f"{key}.{c}.")), None)

    def matrix(n: str) -> bool:
        return tuple(hooks[n].axes) == MATRIX_AXES

    keep = [n for n in names if inside(n) in (None, home) and not matrix(n)]
    out: dict = {"names": keep, "upto": step}
    if matrix(step):
        mats = [n for n in names if matrix(n) and n.rsplit(".", 1)[0] == step.rsplit(".", 1)[0]]
        out.update(names=sorted(set(keep) | set(mats), key=names.index), upto=mats[-1])
        if head is not None:
            out["heads"] = (head,)
    return out
