"""The default layout on a 1366×768 screen: the window fits, the toolbar's step counter shows,
the lab's Next token / Stop / Generate N buttons are on screen without scrolling, and the lab's
tab names are whole."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSettings

from gui.lab.lab_widget import TABS
from gui.main_window import FRAME, MainWindow, first_size


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)])
def test_first_size_fits_the_screen(screen):
    w, h = first_size(QRect(0, 0, *screen))
    assert w <= screen[0] - FRAME[0] and h <= screen[1] - FRAME[1]


def _on_screen(widget, window) -> bool:
    """Wholly visible: not clipped by a scroll area or the window."""
    r = widget.visibleRegion().boundingRect()
    return widget.isVisible() and r.size() == widget.size() and window.rect().contains(
        QRect(widget.mapTo(window, r.topLeft()), r.size()))


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)])
def test_default_layout_shows_the_lab_buttons_and_the_step_counter(qtbot, tmp_path, screen):
    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    win.resize(*first_size(QRect(0, 0, *screen)))
    win.show()
    qtbot.waitExposed(win)
    lab = win.lab
    for b in (lab.panel.next_btn, lab.panel.stop_btn, lab.panel.gen_btn):
        qtbot.waitUntil(lambda b=b: _on_screen(b, win))
    assert _on_screen(win.step_label, win)
    bar = lab.tabs.tabBar()
    for i, name in enumerate(TABS):
        assert bar.tabText(i) == name
        assert bar.tabRect(i).width() >= bar.fontMetrics().horizontalAdvance(name)  # not elided
