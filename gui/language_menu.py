"""View ▸ Language: System / English / 中文, exclusive, remembered in the window's settings.

The translator is installed before the window is built (gui/app.py), so a new choice takes
effect at the next start; a note says so, in the current language and in the chosen one."""
from __future__ import annotations

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMessageBox

from . import i18n
from .i18n import N_, tr

# each language is named in its own script, as language menus do; "system" is translated
LABELS = {"system": N_("Follow the system"), "en": "English", "zh_CN": "中文"}
NOTE = N_("The interface will be in {language} the next time Transformer Playground starts.")


def label(key: str) -> str:
    """A language by its own name; "system" says which one the OS locale means."""
    if key != "system":
        return LABELS[key]
    return f"{tr(LABELS[key])} ({LABELS[i18n.language_for(key, QLocale.system().name())]})"


def install_language_menu(win, view_menu) -> dict[str, QAction]:
    """Add the Language submenu; picking one stores it and says when it applies."""
    menu = view_menu.addMenu(tr("&Language"))
    menu.setObjectName("languageMenu")
    win.language_menu = menu
    group = QActionGroup(win)
    group.setExclusive(True)
    acts = {}
    chosen = i18n.stored_choice(win.settings)
    for key in i18n.CHOICES:
        a = QAction(label(key), win, checkable=True)
        a.setChecked(key == chosen)
        a.triggered.connect(lambda _on=False, k=key: choose(win, k))
        group.addAction(a)
        menu.addAction(a)
        acts[key] = a
    win.language_note = lambda k: note(win, k)
    return acts


def _in(lang: str, text: str) -> str:
    """`text` translated into `lang` (not the interface's language): the note's second line."""
    if lang == "en":
        return text
    t = QTranslator()
    return (t.translate(i18n.CONTEXT, text) or text) if t.load(str(i18n.qm_path(lang))) else text


def note(win, key: str) -> QMessageBox:
    """A non-modal note: the choice applies at the next start."""
    lang = i18n.language_for(key, QLocale.system().name())
    name = LABELS.get(lang, lang)
    lines = [tr(NOTE).format(language=name)]
    other = _in(lang, NOTE).format(language=name)
    if other not in lines:
        lines.append(other)
    box = QMessageBox(QMessageBox.Information, tr("Language"), "\n\n".join(lines), QMessageBox.Ok, win)
    box.setObjectName("languageDialog")
    box.setModal(False)
    box.show()
    win.language_box = box
    return box


def choose(win, key: str) -> None:
    win.settings.setValue(i18n.SETTING, key)
    win.language_acts[key].setChecked(True)
    if i18n.language_for(key, QLocale.system().name()) != i18n.current_language():
        note(win, key)
