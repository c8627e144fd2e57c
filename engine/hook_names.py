"""Reading hook names: which layer, which stack, which module, what kind of step.

One place for the engine, the CLI and the GUI, so none of them slices names by hand.
Names follow the scheme `[stack.]blocks.{L}.[module.]hook_x` (see engine/models/stack.py).
"""
from __future__ import annotations

import re

CROSS_MODULE = "cross_attn"  # the block attribute that holds cross-attention (engine/models/block.py)
SELF_MODULE = "attn"
_LAYER = re.compile(r"^(.*?)blocks\.(\d+)\.")


def layer_key(name: str) -> str | None:
    """'decoder.blocks.3.attn.hook_q' -> 'decoder.blocks.3'; None outside the layers."""
    m = _LAYER.match(name)
    return f"{m.group(1)}blocks.{m.group(2)}" if m else None


def layer_of(name: str) -> int | None:
    """'decoder.blocks.3.attn.hook_q' -> 3; None outside the layers."""
    m = _LAYER.match(name)
    return int(m.group(2)) if m else None


def stack_of(name: str, prefixes=("",)) -> str:
    """The stack prefix ('encoder.', 'decoder.' or '') a hook belongs to: the longest of
    `prefixes` (a model's `stack_layers` keys) that the name starts with."""
    return max((p for p in prefixes if name.startswith(p)), key=len, default="")


def module_of(name: str) -> str | None:
    """'decoder.blocks.3.cross_attn.hook_q' -> 'cross_attn'; None for a block's own hooks."""
    m = _LAYER.match(name)
    if not m:
        return None
    rest = name[m.end():].split(".")
    return rest[0] if len(rest) > 1 else None


def is_cross_attention(name: str) -> bool:
    return module_of(name) == CROSS_MODULE


def kind_of(name: str) -> str:
    """The hook's last component ('hook_pattern'), for 'every softmax'-style breakpoints."""
    return name.rsplit(".", 1)[-1]


def sibling(name: str, kind: str) -> str:
    """The hook of another kind in the same module: sibling('…attn.hook_q', 'hook_pattern')."""
    return name.rsplit(".", 1)[0] + "." + kind if "." in name else kind
