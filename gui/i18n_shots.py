"""Screenshots of the window in another language at a laptop's 1366×768 (run under a display):

  Xvfb :95 -screen 0 1366x768x24 &  DISPLAY=:95 python -m gui.i18n_shots --out docs/screenshots

The tiny GPT on "我是一个学生" (the debugger at a softmax step), the tiny translator on
"je suis étudiant" (tokens; the lab's beam search, width 2), and the View ▸ Language menu open.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from . import i18n
from .qt_wait import pump, wait
from .screenshots import Shooter


def _screen(app, path: Path) -> None:
    """The whole screen (menus are windows of their own: grabbing the main window misses them)."""
    app.primaryScreen().grabWindow(0).save(str(path), "PNG")
    print(f"{path} ({path.stat().st_size // 1024} KiB)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="docs/screenshots")
    p.add_argument("--lang", default="zh_CN", choices=i18n.LANGUAGES)
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if not i18n.install_language(args.lang):
        raise SystemExit(f"no translation for {args.lang} in {i18n.FOLDER}")
    from .main_window import MainWindow

    size = app.primaryScreen().size()
    tag = f"{args.lang}-{size.width()}x{size.height()}"
    win = MainWindow(settings=QSettings(f"{tempfile.mkdtemp()}/s.ini", QSettings.IniFormat), autoload=False)
    win.move(0, 0)
    win.show()
    win.start()
    wait(win.session.infoReady)
    sh = Shooter(app, win, out, size.width())
    sh.load("tiny-gpt", "我是一个学生 i am a student")
    sh.goto("blocks.0.attn.hook_pattern", head=1)
    sh.shot(f"window-{tag}.png")
    language = win.language_menu
    view = next(a.menu() for a in win.menuBar().actions() if a.menu() and language.menuAction() in a.menu().actions())
    win.menuBar().setActiveAction(view.menuAction())
    pump(0.3)
    view.setActiveAction(language.menuAction())
    pump(0.5)
    _screen(app, out / f"language-menu-{tag}.png")
    view.hide()

    sh.load("tiny-translator", "je suis étudiant", "i am a student")
    sh.goto("tokens")
    for _ in range(6):
        win.inspector.current_view.advance()
    sh.shot(f"tokens-{tag}.png")
    lab = win.lab
    lab.panel.prompt.setText("je suis étudiant")
    lab.panel.strategy.setCurrentText("beam")
    lab.panel.beams.setValue(2)
    lab.panel.max_new.setValue(6)
    lab.panel.n.setValue(6)
    lab.show_tab("beam tree")
    lab.panel.gen_btn.click()
    wait(lab.controller.runFinished)
    for key, dock in win.docks.items():  # the lab alone, as gui/lab/screenshots.py shows it
        dock.setVisible(key == "Decoding lab")
    win.resizeDocks([win.docks["Decoding lab"]], [int(size.height() * 0.75)], Qt.Vertical)
    sh.idle()
    sh.shot(f"lab-beam-tree-{tag}.png")

    win.session.jobs.wait(60_000)
    win.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
