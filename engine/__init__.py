"""Transformer Playground engine: pure Python + torch. Never imports Qt or gui.

Names are imported lazily, so `import engine.cli` (e.g. `tplay tokenize`) does not pay for torch.
"""
from .lazy import lazy_getattr

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

__getattr__ = lazy_getattr(__name__, _EXPORTS, globals())
