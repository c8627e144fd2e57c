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
