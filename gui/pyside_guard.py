"""Work around a reference-count bug of PySide6 6.12 on Python 3.11: every call of a bound
method that returns void drops one reference to None (and bool-returning calls, such as a
signal's emit(), drop one to True/False). After ~16,000 such calls CPython aborts with
"Fatal Python error: none_dealloc" in whatever code happens to run next.

Python 3.12+ made these singletons immortal (PEP 683), so nothing is needed there. On 3.11 we
give them a very large reference count once, which is what immortality amounts to. Remove this
when PySide6 is fixed or Python 3.11 is dropped.
"""
from __future__ import annotations

import ctypes
import sys

PIN = 1 << 40  # references added; a call drops one, so this outlasts any session
_done = False


def pin_singletons() -> None:
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False, Ellipsis, NotImplemented):
        ctypes.c_ssize_t.from_address(id(obj)).value += PIN  # ob_refcnt is the first field
    _done = True
