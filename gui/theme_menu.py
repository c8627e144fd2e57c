"""View ▸ Theme: System / Light / Dark, exclusive, remembered in the window's settings."""
from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup

from . import theme
from .i18n import N_, tr

LABELS = {"system": N_("Follow the system"), "light": N_("Light"), "dark": N_("Dark")}
NAMES = {"light": N_("light"), "dark": N_("dark")}  # the theme in use


def stored_choice(settings) -> str:
    value = settings.value("theme", "system")
    return value if value in theme.CHOICES else "system"


def install_theme_menu(win, view_menu) -> dict[str, QAction]:
    """Add the Theme submenu; picking one applies it at once and stores it."""
    menu = view_menu.addMenu(tr("&Theme"))
    group = QActionGroup(win)
    group.setExclusive(True)
    acts = {}
    for key in theme.CHOICES:
        a = QAction(tr(LABELS[key]), win, checkable=True)
        a.setChecked(key == theme.choice())
        a.triggered.connect(lambda _on=False, k=key: choose(win, k))
        group.addAction(a)
        menu.addAction(a)
        acts[key] = a
    return acts


def choose(win, key: str) -> None:
    t = theme.apply(key)
    win.settings.setValue("theme", key)
    win.theme_acts[key].setChecked(True)
    win.say(tr("theme: {choice} ({name})").format(choice=tr(LABELS[key]).lower(), name=tr(NAMES.get(t.name, t.name))))
