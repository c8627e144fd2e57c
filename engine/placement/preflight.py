"""Before any weight is read: bytes per device, the KV cache and a full trace at the prompt
length, what goes to disk, and one clear refusal when it cannot fit (instead of an OOM crash)."""
from __future__ import annotations

import shutil
from pathlib import Path
from dataclasses import dataclass, field

import torch
from torch import nn

from ..recompute import layer_keys
from .parse_max_memory import format_size


def _dev_name(d) -> str:
    return f"cuda:{d}" if isinstance(d, int) else str(d)


@dataclass
class Preflight:
    weights: dict[str, int]  # device -> bytes of weights kept there ("disk": the offload folder)
    main: str  # where inputs, logits, the KV cache and streamed layers live
    largest_offloaded: int  # bytes of the biggest layer streamed from cpu/disk (held while it runs)
    kv_cache: int  # bytes at the prompt length (+ new tokens) on the main device
    trace: int | None  # bytes of a full capture at the prompt length (None: not estimated)
    offloaded: dict[str, list[str]] = field(default_factory=dict)  # "disk"/"cpu" -> layer keys
    limits: dict[str, int] = field(default_factory=dict)  # device -> the budget --max-memory gave it
    free: dict[str, int] = field(default_factory=dict)  # device -> what it has free now (RAM, GPU, disk)
    tokens: int = 0
    overhead: int = 0  # RAM the load took before any weight (tokenizer, metadata), counted in the cpu budget

    @property
    def needs_on_main(self) -> int:
        return self.weights.get(self.main, 0) + self.largest_offloaded + self.kv_cache

    def lines(self) -> list[str]:
        per = ", ".join(f"{d} {format_size(b)}" for d, b in self.weights.items())
        out = [f"weights: {per}"]
        for where, keys in self.offloaded.items():
            out.append(f"offloaded to {where}: {len(keys)} layer(s), each streamed to {self.main} when it runs "
                       f"(largest {format_size(self.largest_offloaded)})")
        out.append(f"KV cache at {self.tokens} tokens: {format_size(self.kv_cache)} on {self.main}")
        if self.trace is not None:
            out.append(f"a full trace at {self.tokens} tokens: {format_size(self.trace)} (recompute-on-demand keeps less)")
        else:
            out.append("a full trace: not estimated (layers on disk; `trace` bounds its capture with --max-memory)")
        return out

    def _need(self, dev: str, kv: bool) -> tuple[int, str]:
        w = self.weights.get(dev, 0)
        extra = self.overhead if dev == "cpu" and not kv else 0
        taken = f" + {format_size(extra)} the tokenizer and metadata took" if extra else ""
        if dev != self.main:
            return w + extra, f"{format_size(w)} of weights{taken}"
        need = w + self.largest_offloaded + (self.kv_cache if kv else 0) + extra
        what = (f"{format_size(w)} of weights that stay there (embeddings, unembedding, resident layers) + "
                f"{format_size(self.largest_offloaded)} for the largest streamed layer{taken}"
                + (f" + {format_size(self.kv_cache)} of KV cache at {self.tokens} tokens" if kv else ""))
        return need, what

    def refusal(self) -> str | None:
        """One line when a device is given more than its budget or than it has free, else None.

        The budget (--max-memory) bounds the weights, as accelerate reads it; what the device has
        free must hold the KV cache too."""
        for dev, limit in self.limits.items():
            need, what = self._need(dev, kv=False)
            if dev != "disk" and need > limit:
                return (f"cannot place the model: {dev} needs {format_size(need)} ({what}) but --max-memory gives "
                        f"it {format_size(limit)}; give {dev} more, or use --dtype bfloat16")
        for dev, free in self.free.items():
            need, what = (self.weights.get("disk", 0), "of offloaded weights") if dev == "disk" else self._need(dev, kv=True)
            if need > free:
                where = "the offload folder's disk" if dev == "disk" else dev
                return (f"cannot place the model: {where} needs {format_size(need)} ({what}) but has "
                        f"{format_size(free)} free; lower its share in --max-memory or use --dtype bfloat16")
        return None


def _param_bytes(module: nn.Module, dtype: torch.dtype) -> int:
    seen, n = set(), 0
    for p in module.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            n += p.numel() * (dtype.itemsize if p.is_floating_point() else p.element_size())
    return n


def kv_cache_bytes(cfg, tokens: int, dtype: torch.dtype) -> int:
    """Keys and values of every self-attention layer at `tokens` positions, batch 1."""
    return 2 * cfg.n_layers * cfg.n_kv_heads * cfg.d_head * tokens * dtype.itemsize


def estimate(model: nn.Module, dmap: dict, dtype: torch.dtype, tokens: int,
             max_memory: dict | None, offload_folder=None, trace: int | None = None, overhead: int = 0) -> Preflight:
    from .device_map import main_device

    main = _dev_name(main_device(set(dmap.values())))
    layers = set(layer_keys(model))
    weights: dict[str, int] = {}
    offloaded: dict[str, list[str]] = {}
    largest = 0
    for name, dev in dmap.items():
        d = _dev_name(dev)
        size = _param_bytes(model.get_submodule(name), dtype)
        streamed = d == "disk" or (d == "cpu" and main != "cpu")
        weights[d] = weights.get(d, 0) + size
        if name in layers and streamed:
            offloaded.setdefault(d, []).append(name)
            largest = max(largest, size)
    limits = {_dev_name(k): int(v) for k, v in (max_memory or {}).items()}
    free = {d: f for d in weights if d != "disk" and (f := free_memory(d)) is not None}
    if offload_folder is not None and "disk" in weights:
        probe = next(p for p in [Path(offload_folder), *Path(offload_folder).parents] if p.exists())
        free["disk"] = shutil.disk_usage(probe).free
    return Preflight(weights, main, largest, kv_cache_bytes(model.cfg, tokens, dtype), trace, offloaded,
                     limits, free, tokens, overhead)


def free_memory(device: str) -> int | None:
    """What the device has free now: MemAvailable for the CPU, the driver's figure for a GPU."""
    from ..capture_plan import available_memory

    if device == "cpu":
        return available_memory()
    if device.startswith("cuda") and torch.cuda.is_available():
        return torch.cuda.mem_get_info(torch.device(device))[0]
    return None
