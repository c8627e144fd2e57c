"""Ctrl+C and SIGTERM close the window as its Quit does (settings saved, worker stopped, temp files
removed) and exit 130 / 143, with no traceback; a settings file that cannot be written is said.

Qt's event loop runs in C++, so a Python signal handler would only run at the next Python
bytecode (a KeyboardInterrupt raised inside whatever slot came next, or never while idle).
`signal.set_wakeup_fd` makes the C-level handler write a byte to a socket a QSocketNotifier
watches: the event loop wakes, Python runs our handler, and the handler only schedules the quit.
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import tempfile

from PySide6.QtCore import QObject, QSettings, QSocketNotifier, QTimer
from .i18n import tr

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class QuitOnSignals(QObject):
    """Installed on the UI thread for the life of the app; `code` is the exit code once a signal came."""

    def __init__(self, app, win):
        super().__init__(app)
        self.app, self.win = app, win
        self.code: int | None = None
        self._read, self._write = socket.socketpair()
        for s in (self._read, self._write):
            s.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno())
        self.notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Read, self)
        self.notifier.activated.connect(self._drain)
        self._old = {s: signal.signal(s, self._on_signal) for s in SIGNALS}
        app.aboutToQuit.connect(self.uninstall)

    def _drain(self, *_) -> None:
        """The wake-up byte: reading it is all (Python has run the handler by now)."""
        try:
            while self._read.recv(64):
                pass
        except (BlockingIOError, OSError):
            pass

    def _on_signal(self, signum, frame) -> None:
        if self.code is not None:  # a second Ctrl+C while closing: quit at once, by the signal's default action
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.code = 128 + signum
        QTimer.singleShot(0, self._quit)

    def _quit(self) -> None:
        from engine.cleanup import remove_all

        self.app.setQuitOnLastWindowClosed(False)  # else that quit (exit code 0) wins over ours
        self.win.close()  # closeEvent: settings saved, worker jobs cancelled and waited for
        remove_all()
        self.app.exit(self.code)

    def uninstall(self) -> None:
        for s, old in self._old.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(self._old_fd)
        self.notifier.setEnabled(False)


def settings_problem(st: QSettings) -> str | None:
    """Why the settings file cannot be written (a read-only disk, a folder in its way), or None.

    Probed by writing: QSettings only finds out when it syncs, at quit, when nobody can be told.
    """
    path = st.fileName()
    folder = os.path.dirname(path) or "."
    try:
        above = folder
        while not os.path.exists(above) and os.path.dirname(above) != above:
            above = os.path.dirname(above)
        if not os.path.isdir(above):
            raise NotADirectoryError(0, f"{above} is a file, not a folder")
        if os.path.isdir(path):
            raise IsADirectoryError(0, "it is a folder")
        os.makedirs(folder, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".tplay-settings-", dir=folder)
        os.close(fd)
        os.unlink(probe)
        if os.path.exists(path):
            with open(path, "ab"):
                pass
    except OSError as e:
        return tr("settings cannot be saved to {path}: {error}").format(path=path, error=e.strerror or e)
    return None


def report_settings_problem(win) -> str | None:
    """At start-up: a dialog and the status line when the settings file cannot be written."""
    problem = settings_problem(win.settings)
    if problem:
        win.say(problem)
        win.show_error(problem + tr("\n\nThe window works; what you change is not kept for the next launch."))
    return problem


def report_unsaved(st: QSettings) -> None:
    """After the window closed: one stderr line when the last save failed."""
    if st.status() != QSettings.NoError:
        print(f"tplay: warning: settings could not be written to {st.fileName()}", file=sys.stderr)
