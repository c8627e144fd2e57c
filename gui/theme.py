"""Light and dark themes: the window's palette, the charts' background and ink, and the one
place the rest of the GUI asks for colours that must follow the theme.

The choice is "system" (follow the OS colour scheme, and its changes), "light" or "dark"
(View ▸ Theme, remembered in the settings). Colour maps (viridis, the diverging map) and the
pastel token colours are readable on both: token text is always drawn dark on its pastel.
Charts built later pick the theme up from `chart_background()`; charts already on screen are
repainted by `apply()`, which walks the application's widgets.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

CHOICES = ("system", "light", "dark")


@dataclass(frozen=True)
class Theme:
    name: str
    window: str  # panels
    base: str  # text fields, chart backgrounds
    text: str  # ink on window and base
    muted: str  # secondary text (hints, placeholders)
    button: str
    highlight: str


LIGHT = Theme("light", "#efefef", "#ffffff", "#202020", "#666666", "#e4e4e4", "#2f6fd0")
DARK = Theme("dark", "#2b2d30", "#1e1f22", "#e3e3e3", "#a4a4a4", "#3a3c40", "#4d8cf0")
THEMES = {"light": LIGHT, "dark": DARK}
TOKEN_INK = "#111111"  # text on a pastel token colour, whatever the theme


class _State(QObject):
    changed = Signal(object)  # the Theme now in use


_state: _State | None = None
_current: Theme = LIGHT
_choice = "system"
_os_window_lightness: int | None = None  # the OS palette's, read before our first palette replaces it


def notifier() -> _State:
    """The object whose `changed` signal custom-painted widgets connect to."""
    global _state
    if _state is None:
        _state = _State()
    return _state


def current() -> Theme:
    return _current


def choice() -> str:
    return _choice


def chart_background() -> str:
    return _current.base


def muted() -> str:
    return _current.muted


def system_is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    lightness = _os_window_lightness if _os_window_lightness is not None else app.palette().color(QPalette.Window).lightness()
    return lightness < 128  # scheme unknown: judge by the OS palette


def resolve(choice_: str) -> Theme:
    if choice_ not in CHOICES:
        choice_ = "system"
    if choice_ == "system":
        return DARK if system_is_dark() else LIGHT
    return THEMES[choice_]


def palette(t: Theme) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.Window: t.window, QPalette.WindowText: t.text, QPalette.Base: t.base,
        QPalette.AlternateBase: t.window, QPalette.Text: t.text, QPalette.Button: t.button,
        QPalette.ButtonText: t.text, QPalette.ToolTipBase: t.base, QPalette.ToolTipText: t.text,
        QPalette.Highlight: t.highlight, QPalette.HighlightedText: "#ffffff",
        QPalette.PlaceholderText: t.muted, QPalette.BrightText: "#ff5555",
        QPalette.Link: t.highlight,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor(t.muted))
    return p


def apply(choice_: str) -> Theme:
    """Use `choice_` ("system" | "light" | "dark") now: palette, pyqtgraph defaults, and every chart
    already on screen. Returns the theme in use."""
    global _current, _choice, _os_window_lightness
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None and _os_window_lightness is None:
        _os_window_lightness = app.palette().color(QPalette.Window).lightness()
    _choice = choice_ if choice_ in CHOICES else "system"
    t = resolve(_choice)
    _current = t
    if app is None:
        return t
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")  # the platform styles ignore parts of a custom palette
    app.setPalette(palette(t))
    pg.setConfigOptions(background=t.base, foreground=t.text)
    for w in app.allWidgets():
        if isinstance(w, pg.GraphicsView):
            _restyle_chart(w, t)
    notifier().changed.emit(t)
    return t


def _restyle_chart(view, t: Theme) -> None:
    import pyqtgraph as pg

    view.setBackground(t.base)
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            item.setPen(t.text)
            item.setTextPen(t.text)
        elif isinstance(item, pg.LabelItem):
            item.setText(item.text, color=t.text)


def follow_system() -> None:
    """Re-apply when the OS colour scheme changes while the choice is "system"."""
    app = QGuiApplication.instance()
    if app is None:
        return
    app.styleHints().colorSchemeChanged.connect(lambda _s: apply("system") if _choice == "system" else None)
