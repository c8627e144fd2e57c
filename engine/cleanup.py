"""Temp files and folders being written, removed on every exit path (exceptions, Ctrl+C, SIGTERM).

`pending(path)` marks a temp path for the length of a write; on an exception it is removed.
The CLI (`exit_on_signals`) answers Ctrl+C and SIGTERM without raising anything: the handler
removes every pending temp path, says one line and ends the process by the signal itself. An
exception raised from a handler lands wherever the main thread happens to be — inside an import
(swallowed as "Exception ignored", or a half-imported numpy), inside a C extension (an abort) —
so it cannot be relied on to unwind. Outside the CLI, SIGTERM raises Terminated while nobody else
has claimed it; a GUI that handles the signals itself calls remove_all().
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


SIGNAL_WORDS = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


def _exit_by_signal(signum, frame) -> None:
    """Clean up, say so in one line, then die of the signal (exit status 128 + signum)."""
    remove_all()
    try:
        os.write(2, f"tplay: {SIGNAL_WORDS.get(signum, 'stopped')}\n".encode())
    except OSError:
        pass
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextmanager
def exit_on_signals():
    """For the length of a CLI command (main thread only): Ctrl+C and SIGTERM end it cleanly at
    once, wherever it is; the previous handlers come back afterwards (commands run in-process in tests)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    try:
        for sig in SIGNAL_WORDS:
            previous[sig] = signal.signal(sig, _exit_by_signal)
    except (ValueError, OSError):  # not the main interpreter, or no such signal here
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _quiet_at_exit()


_AT_EXIT = []


def _quiet_at_exit() -> None:
    """A signal while the interpreter shuts down (after the command, in torch's atexit finalizers)
    raised KeyboardInterrupt there and printed a traceback; from the first atexit callback on (this
    one, registered last, runs first), our one-line handler answers it again."""
    if _AT_EXIT:
        return
    _AT_EXIT.append(True)

    def handle_again() -> None:
        for sig in SIGNAL_WORDS:
            try:
                signal.signal(sig, _exit_by_signal)
            except (ValueError, OSError):
                pass

    atexit.register(handle_again)


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


def hold(path) -> None:
    """Keep `path` on the removal list past any one block (until release(path) or the exit):
    e.g. a placed model's offload folder, which lives as long as the model."""
    install_term_handler()
    with _LOCK:
        _PENDING[os.fspath(path)] = None


def release(path) -> None:
    """Remove `path` now and take it off the list."""
    with _LOCK:
        _PENDING.pop(os.fspath(path), None)
    remove(os.fspath(path))


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
