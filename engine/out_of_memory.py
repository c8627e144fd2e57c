"""Out of memory, anywhere, as one line: Python's MemoryError, torch.OutOfMemoryError (a GPU) and
the CPU allocator's RuntimeError ("DefaultCPUAllocator: can't allocate memory: you tried to
allocate N bytes"), with the size asked for when the message gives it. No torch import: the
CLI's error path and the GUI's worker call this on any exception."""
from __future__ import annotations

import re

_CPU = re.compile(r"tried to allocate (\d+) bytes", re.I)
_GPU = re.compile(r"tried to allocate ([\d.]+ [KMGT]?i?B)", re.I)
MARKS = ("can't allocate memory", "out of memory", "cannot allocate memory")


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def out_of_memory_text(e: BaseException, hint: str = "try a shorter prompt or a smaller model") -> str | None:
    """The one line for an allocation failure, or None when `e` is something else."""
    text = str(e)
    if not (isinstance(e, MemoryError) or type(e).__name__ == "OutOfMemoryError"
            or (isinstance(e, RuntimeError) and any(m in text.lower() for m in MARKS))):
        return None
    on = " on the device" if type(e).__name__ == "OutOfMemoryError" else ""
    cpu, gpu = _CPU.search(text), _GPU.search(text)
    asked = f" (an allocation of {_size(int(cpu.group(1)))} failed)" if cpu else (
        f" (an allocation of {gpu.group(1)} failed)" if gpu else "")
    return f"out of memory{on}{asked}; {hint}"
