"""Device and dtype choice, with the reason when a GPU cannot be used."""
from __future__ import annotations

import torch

from .errors import DeviceError

DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def cuda_unavailable_reason() -> str | None:
    if torch.version.cuda is None and getattr(torch.version, "hip", None) is None:
        return "torch was built without CUDA"
    if not torch.cuda.is_available():
        return "torch has CUDA but no GPU or driver is visible"
    return None


def mps_unavailable_reason() -> str | None:
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_built():
        return "torch was built without MPS (Apple GPU) support"
    if not mps.is_available():
        return "MPS is built in, but this machine/macOS has no usable Apple GPU"
    return None


REASONS = {"cuda": cuda_unavailable_reason, "mps": mps_unavailable_reason}


def device_report() -> dict[str, str | None]:
    """device -> None if usable, else why not."""
    return {"cpu": None, **{d: f() for d, f in REASONS.items()}}


def pick_device(name: str = "auto") -> tuple[torch.device, str]:
    """Return (device, a sentence explaining the choice)."""
    if name == "auto":
        for d, why in REASONS.items():
            if why() is None:
                return torch.device(d), f"auto picked {d}"
        reasons = "; ".join(f"{d}: {why()}" for d, why in REASONS.items())
        return torch.device("cpu"), f"auto picked cpu ({reasons})"
    if name == "cpu":
        return torch.device("cpu"), "cpu"
    base = name.split(":")[0]
    if base not in REASONS:
        raise DeviceError(f"unknown device {name!r}; choose auto, cpu, cuda or mps")
    why = REASONS[base]()
    if why:
        raise DeviceError(f"device {name!r} is not available: {why}")
    return torch.device(name), name


def pick_dtype(name: str) -> torch.dtype:
    try:
        return DTYPES[name]
    except KeyError:
        raise DeviceError(f"unknown dtype {name!r}; choose {', '.join(DTYPES)}") from None


def app_threads(cores: int | None = None) -> int:
    """torch's intra-op threads in the app (the window's process), for `cores` CPUs.

    All cores but one leaves the UI thread a core to itself, but on a 2-core machine that halves
    decoding (one thread streams the weights at about half the memory bandwidth two reach).
    The UI thread needs a few ms per step, which the OS scheduler gives it between torch's
    threads. benchmarks/ui_latency_lab.py on smollm2-135m, 2 cores, load average 9-10 from
    other jobs: 2 threads decoded 6.4 / 4.4 / 1.9 tok/s (greedy / sample / beam) against 1
    thread's 2.2 / 2.0 / 1.2, worst stalls 337 / 149 / 161 ms against 335 / 176 / 206 ms, the
    UI thread itself busy ≤ 35 ms in both: the stalls were the machine's load, not our threads.
    So: at least 2, and one core spare from 3 cores up."""
    import os

    cores = cores or os.cpu_count() or 2
    return min(cores, max(2, cores - 1))
