"""Start-up work the first view does not need waits for it: the memory estimate and the headers
of every listed model are read once the first view is drawn (their Python would hold the GIL
that torch's import, the load and the run need), and `startupDone` says when that is."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from gui.main_window import MainWindow

WAIT = 60000


def _window(qtbot, tmp_path, model):
    st = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    st.setValue("prompt", "The animal")
    win = MainWindow(settings=st, model=model)
    qtbot.addWidget(win)
    return win


def test_estimate_and_descriptions_wait_for_the_first_view(qtbot, tiny_gpt, tmp_path):
    win = _window(qtbot, tmp_path, tiny_gpt)
    events: list[str] = []
    s = win.session
    s.estimateReady.connect(lambda est: events.append("estimate"))
    s.modelsDescribed.connect(lambda rows: events.append("described"))
    win.inspector.viewShown.connect(lambda _n: events.append("view"))
    win.startupDone.connect(lambda: events.append("done"))
    win.show()
    with qtbot.waitSignal(win.startupDone, timeout=WAIT):
        win.start()
    qtbot.waitUntil(lambda: "estimate" in events and "described" in events, timeout=WAIT)
    assert events.index("view") < events.index("estimate")
    assert events.index("view") < events.index("described")
    assert events.count("done") == 1
    assert win.model_panel.estimate_label.text()  # the estimate reached the panel


def test_after_the_first_view_an_estimate_runs_at_once(qtbot, tiny_gpt, tmp_path):
    win = _window(qtbot, tmp_path, tiny_gpt)
    win.show()
    with qtbot.waitSignal(win.startupDone, timeout=WAIT):
        win.start()
    ran: list[str] = []
    win.after_first_view("probe", lambda: ran.append("now"))
    assert ran == ["now"]


def test_a_failed_load_still_ends_the_start_up(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, str(tmp_path / "no-such-model"))
    win.show()
    with qtbot.waitSignal(win.startupDone, timeout=WAIT):
        win.start()
    qtbot.waitUntil(lambda: bool(win.model_panel.described), timeout=WAIT)  # the headers were read after all


def test_the_ui_threads_collector_starts_with_the_first_view(qtbot, tiny_gpt, tmp_path):
    from types import SimpleNamespace

    from gui.app import _collect_on_the_ui_thread_later

    win = _window(qtbot, tmp_path, tiny_gpt)
    app = SimpleNamespace()
    _collect_on_the_ui_thread_later(app, win)
    assert getattr(app, "garbage_collector", None) is None  # nothing collects during start-up
    win.show()
    with qtbot.waitSignal(win.startupDone, timeout=WAIT):
        win.start()
    collector = app.garbage_collector
    assert collector.timer.isActive()
    win.startupDone.emit()
    assert app.garbage_collector is collector  # started once
    collector.timer.stop()
