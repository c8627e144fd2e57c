"""torch's C++ library mapped and initialised without the GIL, ahead of `import torch`.

`import torch` opens libtorch_cpu.so (~0.5 s of relocation and static initialisers here) while
holding the GIL, so the UI thread building the window stands still meanwhile. Opened first
through a plain C call (ctypes releases the GIL around foreign calls), the library is already
in the process when torch's own extension asks for it, and that part of the import overlaps
the window's construction. Loaded with RTLD_LOCAL, as a dependency would be: nothing about
symbol lookup changes. Anything unexpected (another platform, a torch without this file) and
this does nothing: the import then simply pays for it as before."""
from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from pathlib import Path

LIBRARY = "libtorch_cpu.so"


def torch_library() -> Path | None:
    """Where the installed torch keeps its CPU library, found without importing torch."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "lib" / LIBRARY
    return path if path.is_file() else None


def load_torch_library() -> bool:
    """True when the library is now open in this process (torch's import will reuse it)."""
    if not sys.platform.startswith("linux") or "torch" in sys.modules:
        return False
    path = torch_library()
    if path is None:
        return False
    try:
        libc = ctypes.CDLL(None)
        dlopen = libc.dlopen
    except (OSError, AttributeError):
        return False
    dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    return bool(dlopen(os.fsencode(path), os.RTLD_NOW | os.RTLD_LOCAL))  # GIL released during the call
