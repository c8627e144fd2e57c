"""The debugger's export actions: the inspector's current view, or a chart dock, to PNG / SVG.

What is saved is the widget as drawn (every number a tensor from the run), through
gui.export (atomic writes); the last folder used is remembered in the window's settings.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QWidget
from .i18n import N_, tr

VIEW = "view"  # the inspector's current view; docks go by their title
EXPORT_DOCKS = ("Output", "Attention grid", "Logit lens")  # docks whose chart "Export…" saves
EXPORT_FILTERS = {N_("PNG image (*.png)"): ".png", N_("SVG image (*.svg)"): ".svg"}
NOTHING_TO_EXPORT = N_("nothing to export yet: run a prompt first")


class ViewExport:
    def __init__(self, win, file_menu) -> None:
        self.win = win
        self.acts = {VIEW: win.add_action(tr("Export current view…"), "Ctrl+E", lambda: self.dialog(VIEW), file_menu)}
        for title in EXPORT_DOCKS:
            self.acts[title] = win.add_action(tr("Export {title} chart…").format(title=tr(title)), None,
                                           lambda _=False, t=title: self.dialog(t), file_menu)
            dock = win.docks[title]
            dock.setContextMenuPolicy(Qt.CustomContextMenu)
            dock.customContextMenuRequested.connect(lambda pos, d=dock: self.dock_menu(d).exec(d.mapToGlobal(pos)))
        self.set_enabled(False)
        s = win.session
        s.traceChanged.connect(lambda _store: self.set_enabled(True))
        s.modelChanged.connect(lambda _lm: self.set_enabled(False))  # the new model has no run yet

    def set_enabled(self, on: bool) -> None:
        for a in self.acts.values():
            a.setEnabled(on)

    def dock_menu(self, dock: QDockWidget) -> QMenu:
        """A dock's context menu: the window's usual one (panels, toolbars) with "Export…" first."""
        menu = self.win.createPopupMenu() or QMenu(self.win)
        key = next(k for k, d in self.win.docks.items() if d is dock)  # its title is shown translated
        menu.insertAction(menu.actions()[0] if menu.actions() else None, self.acts[key])
        return menu

    def _target(self, which: str) -> tuple[QWidget | None, str]:
        """The widget `which` names as shown on screen (None before any run), and its label."""
        win = self.win
        if which == VIEW:
            return win.inspector.current_view, tr("current view")
        return (win.docks[which].widget() if win.session.store is not None else None), tr("{title} chart").format(title=tr(which))

    def _default_name(self, which: str) -> str:
        """The step (and head) for the current view, the dock's title else."""
        s, name = self.win.session, which
        if which == VIEW and s.current_name():
            name = s.current_name().replace(".hook_", ".") + f"_head{s.head}"
        return "".join(c if c.isalnum() or c in "._-" else "_" for c in name) + ".png"

    def dialog(self, which: str = VIEW) -> None:
        """Ask for a PNG or SVG file, then save() into it (tests call save directly)."""
        win = self.win
        target, label = self._target(which)
        if target is None:
            win.say(tr(NOTHING_TO_EXPORT))
            return
        start = Path(win.stored_text("exportFolder", str(Path.home()))) / self._default_name(which)
        filters = {tr(k): v for k, v in EXPORT_FILTERS.items()}
        path, chosen = QFileDialog.getSaveFileName(win, tr("Export {name}").format(name=label), str(start), ";;".join(filters))
        if path:
            if Path(path).suffix.lower() not in filters.values():
                path += filters.get(chosen, ".png")
            self.save(path, which)

    def save(self, path, which: str = VIEW) -> Path | None:
        """Write the on-screen view `which` to `path` (.png or .svg) atomically; say so in the
        status bar, or show the error dialog and leave no file. No re-run: it is what is drawn."""
        from engine.errors import InputError

        from .export import export_widget

        win = self.win
        target, label = self._target(which)
        if target is None:
            win.say(tr(NOTHING_TO_EXPORT))
            return None
        try:
            out = export_widget(target, path)
        except (OSError, InputError) as e:
            win.show_error(tr("Could not export the {what} to {path}.\n\n{error}").format(what=label, path=path, error=e))
            return None
        win.settings.setValue("exportFolder", str(out.parent.resolve()))
        win.say(tr("saved {path}").format(path=out))
        return out
