"""Trace: the ordered record of one forward pass, step by step, with provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

import torch

from .hook_names import kind_of, layer_of
from .hooks import HookPoint, match_names


@dataclass
class Step:
    """One recorded operation: hook name, tensor, what it is and what it came from."""

    index: int
    name: str
    tensor: torch.Tensor
    description: str
    axes: tuple[str, ...]
    inputs: tuple[str, ...]
    heads: tuple[int, ...] | None = None  # a recomputation of some heads: the head axis holds these only

    @property
    def kind(self) -> str:
        """The hook's last component ('hook_pattern'), for 'every softmax'-style breakpoints."""
        return kind_of(self.name)


@dataclass
class Capture:
    """What to record: hook-name globs, layers, and a memory bound in bytes.

    When the bound would be exceeded, later steps are skipped and the trace says so.
    keep_inputs: also keep each layer's call, so engine.recompute can give any layer's steps
    later, bit for bit (a long prompt records only cheap steps, engine.recompute.cheap_names).
    """

    names: Iterable[str] | None = None
    layers: Iterable[int] | None = None
    max_bytes: int | None = None
    to_cpu: bool = False
    keep_inputs: bool = False

    def wanted(self, all_names: Iterable[str]) -> list[str]:
        names = match_names(all_names, self.names)
        if self.layers is not None:
            keep = set(self.layers)
            names = [n for n in names if layer_of(n) is None or layer_of(n) in keep]
        return names


@dataclass
class Trace:
    """Ordered record of a run. `trace['blocks.0.attn.hook_pattern']` gives the tensor."""

    steps: list[Step] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    target_ids: list[int] | None = None
    target_tokens: list[str] | None = None
    meta: dict = field(default_factory=dict)
    truncated: str | None = None
    output: torch.Tensor | None = None  # logits [batch, pos, vocab] (hidden states without a head)
    inputs: object = None  # engine.recompute.LayerInputs when the capture kept them
    _by_name: dict[str, Step] = field(default_factory=dict, repr=False)
    _bytes: int = 0

    def record(self, hp: HookPoint, x: torch.Tensor, capture: Capture,
               heads: tuple[int, ...] | None = None) -> None:
        if self.truncated:
            return
        size = x.numel() * x.element_size()
        if capture.max_bytes is not None and self._bytes + size > capture.max_bytes:
            self.truncated = (
                f"capture stopped at {hp.name}: the {capture.max_bytes / 2**20:.0f} MiB bound "
                "was reached; narrow the capture (names/layers) to see later steps"
            )
            return
        t = x.detach()
        if capture.to_cpu:
            t = t.to("cpu")
        self._bytes += size
        step = Step(len(self.steps), hp.name, t, hp.description, hp.axes, hp.inputs, heads)
        self.steps.append(step)
        self._by_name[hp.name] = step

    # --- lookup -------------------------------------------------------------------------
    def __getitem__(self, name: str) -> torch.Tensor:
        return self._by_name[name].tensor

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, name: str) -> Step:
        return self._by_name[name]

    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def select(self, patterns: Iterable[str]) -> list[Step]:
        keep = set(match_names(self.names(), patterns))
        return [s for s in self.steps if s.name in keep]

    @property
    def nbytes(self) -> int:
        return self._bytes

    def tensors(self) -> dict[str, torch.Tensor]:
        return {s.name: s.tensor for s in self.steps}

    def layer(self, model, key: str, names=None, cancel=None, to_cpu: bool = False, upto=None,
              heads=None) -> "Trace":
        """Layer `key`'s steps recomputed from its kept input (Capture(keep_inputs=True));
        `upto` and `heads` narrow it to what a view asks for (engine.recompute.recompute)."""
        from .recompute import recompute

        if self.inputs is None:
            from .errors import InputError

            raise InputError("this trace kept no layer inputs; run with Capture(keep_inputs=True)")
        t = Trace(ids=self.ids, target_ids=self.target_ids, meta=dict(self.meta))
        return recompute(model, self.inputs, key, t, names=names, cancel=cancel, to_cpu=to_cpu, upto=upto,
                         heads=heads)

    def save(self, path: str) -> None:
        """Save captured tensors by hook name as safetensors (written atomically)."""
        from .io_utils import atomic_write_safetensors

        atomic_write_safetensors(self.tensors(), path, metadata={"ids": ",".join(map(str, self.ids))})
