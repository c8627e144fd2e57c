"""Cursor moves over a list of step names: step, back, over a layer, to the next breakpoint."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from engine.hook_names import kind_of, layer_key


@dataclass
class Breakpoints:
    """Breakpoints on single steps (by name) and on kinds of step ('hook_pattern' = every softmax)."""

    names: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    def hit(self, name: str) -> bool:
        return name in self.names or kind_of(name) in self.kinds

    def toggle_name(self, name: str) -> bool:
        self.names.symmetric_difference_update({name})
        return name in self.names

    def toggle_kind(self, kind: str) -> bool:
        self.kinds.symmetric_difference_update({kind})
        return kind in self.kinds

    def clear(self) -> None:
        self.names.clear()
        self.kinds.clear()


def step(order: Sequence[str], i: int) -> int:
    return min(i + 1, len(order) - 1)


def back(order: Sequence[str], i: int) -> int:
    return max(i - 1, 0)


def over_layer(order: Sequence[str], i: int) -> int:
    """From inside a layer: the first step after it. Outside: the next step."""
    key = layer_key(order[i])
    if key is None:
        return step(order, i)
    j = i
    while j + 1 < len(order) and layer_key(order[j + 1]) == key:
        j += 1
    return step(order, j)


def to_breakpoint(order: Sequence[str], i: int, bps: Breakpoints) -> int:
    """The next step after i with a breakpoint, or the last step when none is ahead."""
    for j in range(i + 1, len(order)):
        if bps.hit(order[j]):
            return j
    return len(order) - 1
