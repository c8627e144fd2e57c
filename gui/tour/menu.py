"""The Tour menu: present the built-in tour or a tour file, record your own ("Add this view as a
stop"), edit its captions, save it; the presenter's type size and caption language (kept in the
window's settings, group "tour")."""
from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog

from engine.errors import PlaygroundError

from .presenter import DEFAULT_SCALE, SCALES
from .recorder import Recorder, stop_from_session
from ..i18n import tr  # the app's one translation context (resources/i18n)

BUILTIN = "how-a-transformer-works"
FILES = "Tours (*.toml *.json)"




class TourMenu:
    def __init__(self, win):
        self.win = win
        self.recorder = Recorder()
        self.presenter = None
        st = win.settings
        self.scale = _float(st.value("tour/scale"), DEFAULT_SCALE)
        self.lang = st.value("tour/lang") if st.value("tour/lang") in ("en", "zh") else "en"
        m = self.menu = win.menuBar().addMenu(tr("&Tour"))
        self.acts = {
            "builtin": win.add_action(tr("Present “How a Transformer works”"), "F11", lambda: self.present(BUILTIN), m),
            "open": win.add_action(tr("Present a tour file…"), None, self.open_dialog, m),
        }
        m.addSeparator()
        self.acts["add"] = win.add_action(tr("Add this view as a stop"), "Ctrl+Shift+A", self.add_stop, m)
        self.acts["captions"] = win.add_action(tr("Edit captions…"), None, self.edit_captions, m)
        self.acts["save"] = win.add_action(tr("Save my tour as…"), None, self.save_dialog, m)
        self.acts["mine"] = win.add_action(tr("Present my tour"), None, lambda: self.present(self.recorder.tour), m)
        m.addSeparator()
        size = m.addMenu(tr("Presenter type size"))
        group = QActionGroup(size)
        for s in SCALES:
            a = QAction(f"× {s:g}", size, checkable=True, checked=abs(s - self.scale) < 1e-6)
            a.triggered.connect(lambda _=False, s=s: self._set("scale", s))
            group.addAction(a)
            size.addAction(a)
        lang = m.addMenu(tr("Caption language"))
        lgroup = QActionGroup(lang)
        for code, name in (("en", "English"), ("zh", "中文")):
            a = QAction(name, lang, checkable=True, checked=code == self.lang)
            a.triggered.connect(lambda _=False, c=code: self._set("lang", c))
            lgroup.addAction(a)
            lang.addAction(a)
        self._sync()

    def _set(self, key: str, value) -> None:
        setattr(self, key, value)
        self.win.settings.setValue(f"tour/{key}", value)

    def _sync(self) -> None:
        n = len(self.recorder.tour.stops)
        for k in ("captions", "save", "mine"):
            self.acts[k].setEnabled(n > 0)

    # --- presenting -------------------------------------------------------------------------
    def present(self, tour, full_screen: bool = True):
        """Open presenter mode on `tour` (a Tour, or a built-in name or file); returns the Presenter."""
        from engine.tour import load_tour

        from .presenter import Presenter
        from .stages import check_view

        try:
            tour = load_tour(tour) if isinstance(tour, str) else tour
            for i, s in enumerate(tour.stops):
                check_view(s.view, f"stop {i + 1} ({s.id})")
        except PlaygroundError as e:
            self.win.show_error(str(e))
            return None
        if self.presenter is not None:
            self.presenter.close()
        p = self.presenter = Presenter(tour, self.lang, self.scale, parent=self.win)  # closes with the window
        p.stopFailed.connect(self.win.say)
        if full_screen:
            p.show_full_screen()
        else:
            p.show()
        p.go(0)
        return p

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.win, tr("Present a tour file"), "", FILES)
        if path:
            self.present(path)

    # --- recording -------------------------------------------------------------------------
    def add_stop(self) -> int | None:
        try:
            i = self.recorder.add(stop_from_session(self.win.session, len(self.recorder.tour.stops)))
        except PlaygroundError as e:
            self.win.say(str(e))
            return None
        self._sync()
        self.win.say(tr("added stop %1 to your tour (Tour ▸ Edit captions… to write its caption)").replace("%1", str(i + 1)))
        return i

    def edit_captions(self):
        from .captions_dialog import CaptionsDialog

        d = self.captions_dialog = CaptionsDialog(self.recorder, self.win)
        d.setModal(False)
        d.show()
        return d

    def save_to(self, path: str) -> str:
        from engine.tour import save_tour

        save_tour(self.recorder.tour, path)
        self.recorder.path = path
        self.win.say(tr("saved your tour to %1").replace("%1", path))
        return path

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.win, tr("Save my tour"), self.recorder.path or "my-tour.toml", FILES)
        if not path:
            return
        try:
            self.save_to(path)
        except PlaygroundError as e:
            self.win.show_error(str(e))


def _float(v, default: float) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return f if min(SCALES) <= f <= max(SCALES) else default


def install_tour_menu(win) -> TourMenu:
    return TourMenu(win)
