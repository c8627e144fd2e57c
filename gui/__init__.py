"""Transformer Playground desktop app (PySide6). Imports engine; engine never imports gui."""

from .pyside_guard import pin_singletons as _pin  # PySide6 6.12 + Python 3.11 refcount bug (see there)

_pin()
