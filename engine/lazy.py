"""Lazy package exports: `import engine` (or engine.decoding) costs nothing until a name is used,
so headless commands and the window's first paint do not pay for torch."""
from __future__ import annotations

from importlib import import_module
from typing import Callable


def lazy_getattr(package: str, exports: dict[str, str], namespace: dict) -> Callable[[str], object]:
    """A module `__getattr__` that imports `name` from its submodule (exports: name -> ".module")
    on first use and keeps it in `namespace` (the package's globals())."""

    def __getattr__(name: str):
        if name in exports:
            value = getattr(import_module(exports[name], package), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
