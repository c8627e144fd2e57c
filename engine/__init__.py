"""Transformer Playground engine: pure Python + torch. Never imports Qt or gui."""
from .config import ModelConfig
from .errors import DeviceError, InputError, ModelLoadError, PlaygroundError, UnsupportedArchitecture
from .hooks import HookPoint
from .loading import LoadedModel, load_model
from .runner import Cancelled, run
from .trace import Capture, Step, Trace

__all__ = [
    "Cancelled", "Capture", "DeviceError", "HookPoint", "InputError", "LoadedModel", "ModelConfig",
    "ModelLoadError", "PlaygroundError", "Step", "Trace", "UnsupportedArchitecture", "load_model", "run",
]
