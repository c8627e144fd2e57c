"""No model or trace kept alive across reloads (issue 14, items 1 and 9): after 20 loads of the same
bundled model the window holds one model and one trace, and its RSS is within 1.1x of the RSS
after the first load. The leak this catches: a slot that captured its job (`lambda j=job: …`)
made a cycle through the C++ signal connection, which Python's collector cannot see, so every
finished job kept its slots' closures (a trace store, a model) alive."""
from __future__ import annotations

import gc
import os
import weakref

from PySide6.QtCore import QSettings

from gui.worker import Job, Jobs

WAIT = 60000


class Held:
    """Stands in for a trace store captured by a slot."""


def test_a_slot_that_captures_its_job_does_not_keep_it_alive(qtbot):
    jobs = Jobs()
    held = Held()
    ref_held = weakref.ref(held)
    job = Job(lambda: 1, name="extra")
    got = []
    job.signals.finished.connect(lambda r, j=job, h=held: got.append((r, j.name, type(h).__name__)))
    ref_job = weakref.ref(job)
    with qtbot.waitSignal(job.signals.done, timeout=WAIT):  # the first job imports torch
        jobs.submit(job)
    qtbot.waitUntil(lambda: job not in jobs.live, timeout=5000)
    assert got == [(1, "extra", "Held")]  # the slot ran before it was let go
    del job, held
    gc.collect()
    assert ref_job() is None and ref_held() is None


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_twenty_reloads_keep_one_model_and_one_trace(qtbot, tiny_gpt, tmp_path):
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    win.show()
    s = win.session
    s.prompt = "The animal didn't cross the street"  # each load re-runs it, as in the window
    models, stores = [], []

    def load() -> None:
        with qtbot.waitSignal(s.traceChanged, timeout=WAIT):
            s.load_model(tiny_gpt, "cpu", "float32")
        qtbot.waitUntil(lambda: not s.busy and not s.extras_pending and not s.jobs.live, timeout=WAIT)
        models.append(weakref.ref(s.lm.model))
        stores.append(weakref.ref(s.store))

    load()
    gc.collect()
    first = _rss()
    for _ in range(19):
        load()
    gc.collect()
    assert sum(r() is not None for r in models) == 1, "old models are still alive"
    assert sum(r() is not None for r in stores) == 1, "old traces are still alive"
    assert _rss() <= 1.1 * first, (first / 2**20, _rss() / 2**20)


def test_the_heap_is_frozen_after_a_load_and_old_models_still_go(qtbot, tiny_gpt, tmp_path):
    from gui.gc_policy import FreezeAfterLoads
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    s = win.session
    policy = FreezeAfterLoads(s)
    gc.unfreeze()
    try:
        with qtbot.waitSignal(s.modelChanged, timeout=WAIT):
            s.load_model(tiny_gpt, "cpu", "float32")
        qtbot.waitUntil(lambda: policy.freezes == 1, timeout=WAIT)
        assert gc.get_freeze_count() > 100_000  # torch, Qt and the model's modules: out of the collector's walk
        first = weakref.ref(s.lm.model)
        with qtbot.waitSignal(s.modelChanged, timeout=WAIT):
            s.load_model(tiny_gpt, "cpu", "float32")
        qtbot.waitUntil(lambda: not s.busy and not s.jobs.live, timeout=WAIT)
        assert policy.freezes == 1  # nothing new was imported: no second freeze
        assert first() is None  # a frozen model is still freed when the window lets it go
    finally:
        gc.unfreeze()
