"""GGUF files (Llama architecture): to be written."""
from __future__ import annotations

from pathlib import Path


def load_gguf(path: Path):
    from ..errors import ModelLoadError

    raise ModelLoadError(f"GGUF loading is not implemented yet ({path})")
