"""View ▸ Theme: dark and light apply at once to the palette and to every chart (already built or
built later), the choice is remembered, and token text stays dark on its pastel colour."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from gui import theme
from gui.main_window import MainWindow
from gui.views.tokens import TokensView


def _dark(c: QColor) -> bool:
    return c.lightness() < 100


def _charts(win) -> list:
    return [w for w in win.findChildren(pg.GraphicsView)]


def test_dark_theme_applies_to_palette_and_charts_and_is_remembered(qtbot, tmp_path):
    ini = str(tmp_path / "s.ini")
    win = MainWindow(settings=QSettings(ini, QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    try:
        win.theme_acts["dark"].trigger()
        app = QApplication.instance()
        assert _dark(app.palette().color(QPalette.Window)) and not _dark(app.palette().color(QPalette.WindowText))
        charts = _charts(win)
        assert len(charts) >= 5
        assert all(_dark(c.backgroundBrush().color()) for c in charts)
        assert _dark(win.lab.tree.view.backgroundBrush().color())  # the beam tree follows too
        later = pg.PlotWidget(background=theme.chart_background())  # a chart built after the switch
        qtbot.addWidget(later)
        assert _dark(later.backgroundBrush().color())
        win.settings.sync()
        assert QSettings(ini, QSettings.IniFormat).value("theme") == "dark"
        win.theme_acts["light"].trigger()
        assert not _dark(app.palette().color(QPalette.Window))
        assert not any(_dark(c.backgroundBrush().color()) for c in _charts(win))
    finally:
        theme.apply("light")


def test_a_new_window_starts_in_the_remembered_theme(qtbot, tmp_path):
    ini = str(tmp_path / "s.ini")
    QSettings(ini, QSettings.IniFormat).setValue("theme", "dark")
    try:
        win = MainWindow(settings=QSettings(ini, QSettings.IniFormat), autoload=False)
        qtbot.addWidget(win)
        assert theme.current().name == "dark" and win.theme_acts["dark"].isChecked()
        assert all(_dark(c.backgroundBrush().color()) for c in _charts(win))
    finally:
        theme.apply("light")


def test_token_text_is_dark_on_its_pastel_in_any_theme():
    html = TokensView._html("ab cd", [(0, 2), (2, 5)], ["ab", " cd"])
    assert html.count(f"color:{theme.TOKEN_INK}") == 2


def test_system_choice_follows_the_palette_when_the_scheme_is_unknown(monkeypatch):
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    assert theme.resolve("system") is theme.DARK
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    assert theme.resolve("system") is theme.LIGHT
    assert theme.resolve("bogus") is theme.LIGHT
