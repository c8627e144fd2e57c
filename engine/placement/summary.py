"""'layers 0–14 cpu · 15–29 disk': where each layer is, as runs of consecutive layers."""
from __future__ import annotations


def _runs(items: list[tuple[str, str]]) -> list[tuple[str, int, int, str]]:
    """[(layer key, device)] -> [(stack prefix, first, last, device)] for consecutive equal devices."""
    out: list[list] = []
    for key, dev in items:
        prefix, _, idx = key.rpartition("blocks.")
        i = int(idx)
        if out and out[-1][0] == prefix and out[-1][3] == dev and out[-1][2] == i - 1:
            out[-1][2] = i
        else:
            out.append([prefix, i, i, dev])
    return [tuple(r) for r in out]


def layer_summary(layers: dict[str, str], rate: float | None = None) -> str:
    """layers: {'blocks.0': 'cpu', …} in order; rate: decode tokens per second, when measured."""
    parts = []
    for prefix, a, b, dev in _runs(list(layers.items())):
        span = f"{a}" if a == b else f"{a}–{b}"
        parts.append(f"{prefix.rstrip('.') + ' ' if prefix else ''}{span} {dev}")
    text = "layers " + " · ".join(parts) if parts else "no layers"
    return text + (f" · {rate:.1f} tok/s" if rate is not None else "")
