"""Where each layer goes: accelerate's infer_auto_device_map on the meta-built model, per layer.

The map is then made canonical: one entry per layer (`blocks.3`, `encoder.blocks.0`, …: a layer is
never split), and everything outside the layers (embeddings, final norm, unembedding, RoPE
tables) on the main device, never on disk: the unembedding reads the embedding table directly
(tied models), which an offloaded module would only hold during its own forward.
"""
from __future__ import annotations

from torch import nn

from ..errors import InputError
from ..recompute import layer_keys

# --device-map value -> how accelerate spreads the layers ("auto" is transformers' default: balanced)
STRATEGIES = {"auto": "balanced", "balanced": "balanced", "sequential": "sequential"}
OFFLOADED = ("cpu", "disk")


def strategy_of(name: str) -> str:
    try:
        return STRATEGIES[name]
    except KeyError:
        raise InputError(f"--device-map {name!r}: choose {', '.join(STRATEGIES)}") from None


def layer_classes(model: nn.Module) -> list[str]:
    """Class names of the layers: accelerate keeps each instance on one device."""
    return sorted({type(model.get_submodule(k)).__name__ for k in layer_keys(model)})


def _device_of(name: str, raw: dict) -> int | str:
    """The device of module / tensor `name` in accelerate's map (its longest matching prefix)."""
    while True:
        if name in raw:
            return raw[name]
        if not name:
            raise KeyError(name)
        name = name.rpartition(".")[0]


def main_device(devices) -> int | str:
    """The lowest-numbered GPU in the map (or mps), else cpu: where inputs, logits and the
    modules outside the layers live, and where offloaded layers run."""
    gpus = sorted(d for d in devices if isinstance(d, int))
    if gpus:
        return gpus[0]
    return "mps" if "mps" in devices else "cpu"


def plan_device_map(model: nn.Module, strategy: str, max_memory: dict | None, dtype) -> dict[str, int | str]:
    """{module name: device} for dispatch_model: each layer, then the modules outside the layers."""
    from accelerate import infer_auto_device_map
    from accelerate.utils import get_balanced_memory

    no_split = layer_classes(model)
    how = strategy_of(strategy)
    budget = max_memory
    if how == "balanced":
        budget = get_balanced_memory(model, max_memory=max_memory, no_split_module_classes=no_split, dtype=dtype)
    raw = infer_auto_device_map(model, max_memory=budget, no_split_module_classes=no_split, dtype=dtype)
    layers = {k: _device_of(k, raw) for k in layer_keys(model)}
    main = main_device(set(layers.values()) | set(raw.values()))
    out: dict[str, int | str] = dict(layers)
    for name, _ in [*model.named_parameters(), *model.named_buffers()]:
        if not any(name.startswith(k + ".") for k in layers):
            out[name.rpartition(".")[0]] = main  # the module holding it, outside the layers
    return _merge_outside(out)


def _merge_outside(dmap: dict) -> dict:
    """Drop a module entry that sits inside another entry (accelerate refuses overlaps)."""
    names = sorted(dmap, key=len)
    keep = {}
    for n in names:
        if not any(n == k or n.startswith(k + ".") or k == "" for k in keep):
            keep[n] = dmap[n]
    return {n: keep[n] for n in dmap if n in keep}
