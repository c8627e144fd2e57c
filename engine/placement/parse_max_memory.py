"""`--max-memory "cuda:0=20GiB,cuda:1=20GiB,cpu=30GiB"` -> accelerate's max_memory dict ({0: bytes, "cpu": bytes})."""
from __future__ import annotations

import re

from ..errors import InputError

UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
         "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*")
EXAMPLE = '"cuda:0=20GiB,cpu=30GiB"'


def parse_size(text: str, what: str) -> int:
    m = _SIZE.fullmatch(text)
    unit = m.group(2).upper() if m else None
    if m is None or unit not in UNITS:
        raise InputError(f"{what}: {text!r} is not a size like 20GiB, 512MiB or 3GB")
    return int(float(m.group(1)) * UNITS[unit])


def parse_device(text: str) -> int | str:
    """'cuda:1' / '1' -> 1; 'cuda' -> 0; 'cpu', 'mps', 'disk' as they are."""
    t = text.strip().lower()
    if t in ("cpu", "mps", "disk"):
        return t
    m = re.fullmatch(r"(?:cuda:?)?(\d+)|cuda", t)
    if m is None:
        raise InputError(f"--max-memory: unknown device {text!r}; use cuda:N, cpu, mps or disk (e.g. {EXAMPLE})")
    return int(m.group(1) or 0)


def parse_max_memory(text: str | None) -> dict[int | str, int] | None:
    """None or '' -> None (accelerate then measures what is free)."""
    if text is None or not text.strip():
        return None
    out: dict[int | str, int] = {}
    for part in text.split(","):
        dev, eq, size = part.partition("=")
        if not eq:
            raise InputError(f"--max-memory: {part.strip()!r} is not DEVICE=SIZE (e.g. {EXAMPLE})")
        key = parse_device(dev)
        if key in out:
            raise InputError(f"--max-memory names {dev.strip()} twice")
        out[key] = parse_size(size, f"--max-memory {dev.strip()}")
    return out


def format_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"
