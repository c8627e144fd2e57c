"""The app's window builds the decoding lab only once the first view is drawn (its ~0.8 s of
widgets would otherwise hold the GIL that torch's import, the load and the run need): the dock
and the Lab menu are there from the start, the lab arrives after the first view, in that dock,
following the model already loaded; anything asking for `win.lab` sooner gets it built then."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from gui.main_window import MainWindow

WAIT = 60000


def _window(qtbot, tmp_path, model):
    st = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    st.setValue("prompt", "The animal")
    win = MainWindow(settings=st, model=model, lab_after_first_view=True)
    qtbot.addWidget(win)
    return win


def test_the_lab_is_built_after_the_first_view_in_its_own_dock(qtbot, tiny_gpt, tmp_path):
    win = _window(qtbot, tmp_path, tiny_gpt)
    dock = win.docks["Decoding lab"]
    menus = [a.text() for a in win.menuBar().actions()]
    assert win._lab is None and dock.widget() is not None
    win.show()
    seen = []
    win.inspector.viewShown.connect(lambda _n: seen.append(win._lab))
    with qtbot.waitSignal(win.inspector.viewShown, timeout=WAIT):
        win.start()
    assert seen == [None]  # the first view was drawn before the lab existed
    qtbot.waitUntil(lambda: win._lab is not None, timeout=WAIT)
    lab = win.lab
    assert dock.widget().widget() is lab  # in the dock made at start (a scroll area around the lab)
    assert lab.controller.lm is win.session.lm
    assert [a.text() for a in win.menuBar().actions()] == menus  # the Lab menu kept its place
    assert win.lab_menu.actions()  # and got the lab's actions


def test_asking_for_the_lab_before_the_first_view_builds_it(qtbot, tmp_path):
    win = _window(qtbot, tmp_path, None)
    assert win._lab is None
    lab = win.lab
    assert lab is not None and win.lab is lab
    assert win.docks["Decoding lab"].widget().widget() is lab
