"""Transformer Playground engine: pure Python + torch. Never imports Qt or gui.

Names are imported lazily, so `import engine.cli` (e.g. `tplay tokenize`) does not pay for torch.
"""
from importlib import import_module

_EXPORTS = {
    "ModelConfig": ".config",
    "DeviceError": ".errors", "InputError": ".errors", "ModelLoadError": ".errors",
    "PlaygroundError": ".errors", "UnsupportedArchitecture": ".errors",
    "HookPoint": ".hooks",
    "LoadedModel": ".loading", "load_model": ".loading",
    "Cancelled": ".runner", "run": ".runner",
    "Capture": ".trace", "Step": ".trace", "Trace": ".trace",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'engine' has no attribute {name!r}")
