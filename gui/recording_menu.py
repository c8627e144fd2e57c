"""File ▸ Save session… / Open session… / Save recording… / Open recording… in the debugger window.

Sessions are the lab's files (gui/lab/session_file.py; they hold the debugger's place too).
A recording is built on the worker thread (it may recompute layers and the logit lens), its size
is shown in the save dialog's title before anything is written, and it is written atomically on
the worker. Opening one shows it read-only (Session.show_recording): every view reads the
recorded trace, the lab shows the recorded charts, and what needs a model says so.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from .recording import SUFFIX
from .worker import Job
from .i18n import N_, tr

FILTER = N_("Recording (*.tplayrec)")  # SUFFIX


def size_text(n: int) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


class RecordingMenu(QObject):
    built = Signal(int)  # the estimated size in bytes, before the save dialog
    saved = Signal(str)
    opened = Signal(object)  # gui.recording.Replay, shown
    failed = Signal(str)

    def __init__(self, win, menu, before=None):
        super().__init__(win)
        self.win = win
        acts = [(N_("Save session…"), "Ctrl+S", lambda: win.lab.save_dialog()),
                (N_("Open session…"), None, lambda: win.lab.open_dialog()),
                (None, None, None),
                (N_("Save recording…"), "Ctrl+Shift+S", lambda: self.save()),
                (N_("Open recording…"), None, lambda: self.open()),
                (None, None, None)]
        self.acts = {}
        for text, keys, slot in acts:
            if text is None:
                menu.insertSeparator(before) if before is not None else menu.addSeparator()
                continue
            a = win.add_action(tr(text), keys, slot, menu)  # shown translated, kept by its English key
            if before is not None:  # add_action appends: move it above `before` (Quit)
                menu.removeAction(a)
                menu.insertAction(before, a)
            self.acts[text] = a
        self.failed.connect(win.show_error)

    # --- saving -----------------------------------------------------------------------------
    def save(self, path: str | None = None) -> None:
        """Build the recording on the worker; then ask where (with its size), then write it."""
        from .recording import build

        s = self.win.session
        if s.replay is not None:
            return self.failed.emit(tr("this is the recording {name} already: its file is the recording").format(name=s.replay.name))
        if s.store is None or s.lm is None:
            return self.failed.emit(tr("nothing to record yet: load a model and run a prompt first"))
        lab = self.win.lab.snapshot()
        lab.sections.pop("debugger", None)  # the recording holds the place itself, and no model to run it on
        job = Job(build, s.lm, s.store, dict(s.extra), s.remembered(), lab, name="recording", cancel=True)
        job.signals.finished.connect(lambda parts: self._built(parts, path))
        job.signals.failed.connect(self.failed)
        self.win.say(tr("preparing the recording…"))
        s.jobs.submit(job)

    def _built(self, parts, path: str | None) -> None:
        from .recording import estimate, save

        meta, tensors = parts
        size = estimate(meta, tensors)
        self.built.emit(size)
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.win, tr("Save recording (about {size})").format(size=size_text(size)),
                                                  f"run{SUFFIX}", tr(FILTER))
            if not path:
                return
            if not path.endswith(SUFFIX):
                path += SUFFIX
        job = Job(save, path, meta, tensors, name="writing the recording")
        job.signals.finished.connect(lambda p: self._saved(str(p), size))
        job.signals.failed.connect(self.failed)
        self.win.session.jobs.submit(job)

    def _saved(self, path: str, size: int) -> None:
        self.win.say(tr("recording saved to {path} (about {size})").format(path=path, size=size_text(size)))
        self.saved.emit(path)

    # --- opening ----------------------------------------------------------------------------
    def open(self, path: str | None = None) -> None:
        from .recording import open_recording

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.win, tr("Open recording"), "", tr(FILTER))
            if not path:
                return
        job = Job(open_recording, path, name="opening the recording")
        job.signals.finished.connect(self.show)
        job.signals.failed.connect(self.failed)  # a damaged file: one message, the window as it was
        self.win.session.jobs.submit(job)

    def show(self, rec) -> None:
        """Put a Replay on every view, read-only."""
        from engine.errors import PlaygroundError

        w = self.win
        lab = w.lab
        if rec.lab is not None:  # checked first: a lab part that does not fit changes nothing
            rec.lab.sections.pop("debugger", None)
            lab.controller.run.tokenizer = rec.tokenizer
            try:
                lab.restore(rec.lab)
            except PlaygroundError as e:
                return self.failed.emit(tr("cannot open {file}: {error}").format(file=rec.name, error=e))
            if w.session.lm is None:
                lab.panel.say(tr("the recorded lab run of {model}, read-only: load a model to generate").format(model=rec.model))
        w.prompt.set_text(rec.store.prompt)
        w.session.show_recording(rec)
        what = tr("recording {name} of {model}").format(name=rec.name, model=rec.model)
        w.setWindowTitle(tr("Transformer Playground — {what} (read-only)").format(what=what))
        w.st["model"].setText(tr("recording: {model}").format(model=rec.model))
        w.st["model"].setToolTip(str(rec.path))
        w.say(tr("showing the {what}, read-only: every view is the recorded run; load a model to run new prompts")
              .format(what=what))
        self.opened.emit(rec)
