"""Application start: the window appears first; torch and the model load after it."""
from __future__ import annotations

import argparse
import os
import sys
import time

T0 = time.perf_counter()
START_COLLECTING_S = 10  # the latest start of the UI thread's garbage collector
NO_DISPLAY = "no display found: run under a desktop session, or set QT_QPA_PLATFORM=offscreen for headless use"


def add_app_args(p) -> None:
    """The window's options; `tplay --help` lists them too."""
    p.add_argument("-m", "--model", help="model to load instead of the last one used")
    p.add_argument("--prompt", help="prompt to start with")
    p.add_argument("--settings", help="use this INI file for settings (default: the user's)")
    p.add_argument("--exit-after-shown", action="store_true",
                   help="print the start-up time once the window is shown, then quit (benchmarks)")
    p.add_argument("--exit-after-first-view", action="store_true",
                   help="start as usual (model, prompt), print when each start-up stage ended and "
                        "when the first view was drawn, then quit (benchmarks)")


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="tplay gui", description="the step-through debugger window")
    add_app_args(p)
    return p.parse_args(argv)


def _no_display() -> bool:
    """Linux with no X11 or Wayland display and no Qt platform chosen: Qt would abort with a core dump."""
    keys = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    return sys.platform.startswith("linux") and not any(os.environ.get(k) for k in keys)


def _preload_engine() -> None:
    """Import torch and the loaders on a thread of their own from the very start, while Qt
    builds the window: the first view waits on them, nothing else does. (The worker's own
    imports then find them done, or wait on Python's import lock: never imported twice.)"""
    import threading

    def work():
        from .torch_preload import load_torch_library

        load_torch_library()  # torch's C++ library, without holding the GIL the window needs
        import torch  # noqa: F401

        import engine.loading  # noqa: F401
        from engine.loading.registry import load_all

        load_all()  # every converter, which the first load looks up
        import engine.loading.gguf  # noqa: F401  (the bundled packs and most local models are GGUF)
        import gc

        gc.freeze()  # what the imports made lives as long as the process: no collection walks it again

    threading.Thread(target=work, name="preload engine", daemon=True).start()


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if args.model is not None and not args.model.strip():  # `tplay -m ''` silently opened the default model
        from engine.cli import fail

        return fail(f"-m {args.model!r} names no model: give a bundled name, a folder, a .gguf file or a repo id")
    if _no_display():
        from engine.cli import fail

        return fail(NO_DISPLAY)
    import gc

    # No collection in any thread until the UI thread's collector starts (after the first view):
    # collections during start-up walked every object torch's import was making, on the UI thread.
    gc.disable()
    if not args.exit_after_shown:
        _preload_engine()
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Transformer Playground")
    from .theme import follow_system

    follow_system()  # View ▸ Theme "Follow the system" tracks the OS colour scheme as it changes
    from .main_window import MainWindow

    settings = QSettings(args.settings, QSettings.IniFormat) if args.settings else None
    from . import i18n

    i18n.install(settings or QSettings("TransformerPlayground", "tplay"))  # before any widget: View ▸ Language
    win = MainWindow(settings=settings, autoload=not args.exit_after_shown, model=args.model,
                     lab_after_first_view=not args.exit_after_shown)
    _collect_on_the_ui_thread_later(app, win)
    if args.prompt:
        win.settings.setValue("prompt", args.prompt)
    win.show()
    font_problem = i18n.cjk_font_problem()  # a prompt in Chinese (or the zh_CN interface) would show boxes
    if font_problem:
        QTimer.singleShot(0, lambda: win.statusBar().showMessage(font_problem))
    if args.exit_after_first_view:
        _time_first_view(app, win)
    if args.exit_after_shown:
        def shown():
            print(f"window shown after {time.perf_counter() - T0:.3f} s (torch loaded: {'torch' in sys.modules})",
                  flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    else:
        QTimer.singleShot(0, win.start)
    return _exec_quitting_cleanly(app, win)


def _collect_on_the_ui_thread_later(app, win) -> None:
    """Cyclic garbage is collected on the UI thread only (pyqtgraph's GarbageCollector, every
    second): a collection in a worker thread can destroy Qt objects there and deadlock against
    the UI thread. It starts once the first view is drawn (or after START_COLLECTING_S, for a
    load that takes long): before that, each collection walked what torch's import was making."""
    from PySide6.QtCore import QTimer

    def start():
        if getattr(app, "garbage_collector", None) is None:
            from pyqtgraph.util.garbage_collector import GarbageCollector

            app.garbage_collector = GarbageCollector(interval=1.0)

    win.startupDone.connect(start)
    QTimer.singleShot(START_COLLECTING_S * 1000, start)


def _exec_quitting_cleanly(app, win) -> int:
    """The event loop, with Ctrl+C / SIGTERM closing the window as Quit does (exit 130 / 143, no
    traceback) and a settings file that cannot be written said at start-up (gui/quit_signals.py)."""
    from PySide6.QtCore import QTimer

    from .quit_signals import QuitOnSignals, report_settings_problem, report_unsaved

    QuitOnSignals(app, win)
    QTimer.singleShot(0, lambda: report_settings_problem(win))
    _freeze_long_lived_objects(win)
    code = app.exec()
    report_unsaved(win.settings)
    return code


def _freeze_long_lived_objects(win) -> None:
    """Full collections walk only what was made since the last load (gui/gc_policy.py): a
    collection over the whole heap stalled the UI thread for 90-250 ms during model switches."""
    from .gc_policy import FreezeAfterLoads

    win.gc_policy = FreezeAfterLoads(win.session)


def _time_first_view(app, win) -> None:
    """--exit-after-first-view: the start-up timeline (seconds since the interpreter started
    this module), ending when the inspector has drawn the first run's step."""
    s = win.session
    marks: list[str] = []

    def mark(what):
        return lambda *_: marks.append(f"{what} {time.perf_counter() - T0:.2f}")

    s.infoReady.connect(mark("info"))
    s.modelChanged.connect(mark("model"))
    s.traceChanged.connect(mark("trace"))

    def first_view(name):
        marks.append(f"first-view {time.perf_counter() - T0:.2f}")
        print("start-up: " + ", ".join(marks), flush=True)
        app.quit()

    win.inspector.viewShown.connect(first_view)
    s.modelFailed.connect(lambda msg: (print(f"start-up failed: {msg}", flush=True), app.quit()))
