"""Temp files and folders being written, removed on every exit path (exceptions, Ctrl+C, SIGTERM).

`pending(path)` marks a temp path for the length of a write; on an exception (KeyboardInterrupt
and Terminated included) it is removed. SIGTERM's default action kills the process with no
cleanup, so while nobody else has claimed it, SIGTERM raises Terminated in the main thread instead
(the CLI prints one line and exits 143). A GUI that handles SIGTERM itself calls remove_all().
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import threading
from contextlib import contextmanager

_PENDING: dict[str, None] = {}  # temp paths being written, in order
_LOCK = threading.Lock()


class Terminated(BaseException):
    """SIGTERM arrived; a BaseException so that `except Exception` blocks let it through."""


def _on_term(signum, frame) -> None:
    raise Terminated()


def install_term_handler() -> None:
    """Turn SIGTERM into Terminated, unless someone set their own handler (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _on_term)
    except (ValueError, OSError):  # not the main interpreter, or no such signal here
        pass


def remove(path: str) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass  # best effort: a read-only file system cannot hold our temp file anyway


def remove_all() -> None:
    with _LOCK:
        paths = list(_PENDING)
        _PENDING.clear()
    for p in paths:
        remove(p)


@contextmanager
def pending(path):
    """Remove `path` if the block ends in an exception of any kind."""
    path = os.fspath(path)
    install_term_handler()
    with _LOCK:
        _PENDING[path] = None
    try:
        yield path
    except BaseException:
        remove(path)
        raise
    finally:
        with _LOCK:
            _PENDING.pop(path, None)


atexit.register(remove_all)
