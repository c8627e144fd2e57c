"""Presenter mode: one stop at a time, full screen, large type, keyboard only.

← / → (also Page Up / Page Down, what a clicker sends) move between stops, F10 walks the steps
inside a stop, L switches the captions between English and Chinese, Esc leaves. Each stop is prepared on the worker thread (gui/tour/prepare.py) and
kept, the next one is prepared ahead while the current one is on screen.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QSizePolicy, QTableView, QVBoxLayout, QWidget

from ..worker import Job, Jobs
from . import stage_widgets
from .highlight import mark_cell
from .prepare import Models, PreparedStop, prepare
from ..i18n import tr  # the app's one translation context (resources/i18n)

SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)  # the type size, × the application's font
DEFAULT_SCALE = 1.5




class Presenter(QWidget):
    stopShown = Signal(int)  # the stop's index, once its view and caption are drawn
    stopFailed = Signal(str)  # one line: why the stop cannot be shown
    left = Signal()  # Esc

    def __init__(self, tour, lang: str = "en", scale: float = DEFAULT_SCALE, models: Models | None = None,
                 parent=None):
        super().__init__(parent)
        self.setWindowFlag(Qt.Window, True)  # its own window, also when the debugger window owns it
        self.setWindowTitle(tr("Tour: %1").replace("%1", tour.text(lang)))
        self.setObjectName("presenter")
        self.tour, self.lang, self.scale = tour, lang, scale
        self.models = models or Models()
        self.jobs = Jobs(self)
        self.prepared: dict[int, PreparedStop] = {}
        self._asked: set[int] = set()
        self.index, self.step = 0, 0
        self.stage: stage_widgets.Stage | None = None
        self.cache: dict = {}  # widgets reused between stops (the hidden lab)
        self.marker = None
        base = QFont(self.font())
        base.setPointSizeF(max(base.pointSizeF(), 9.0) * scale)
        self.setFont(base)
        lay = QVBoxLayout(self)
        m = int(12 * scale)
        lay.setContentsMargins(m, m // 2, m, m // 2)
        self.title = QLabel()
        self.title.setObjectName("tourTitle")
        f = QFont(base)
        f.setPointSizeF(base.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.PlainText)  # a tour file's text is shown as written, never as HTML
        self.caption = QLabel()
        self.caption.setObjectName("tourCaption")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.PlainText)
        self.caption.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.host = QVBoxLayout()
        self.host.setContentsMargins(0, 0, 0, 0)
        self.footer = QLabel()
        self.footer.setObjectName("tourFooter")
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.75)
        self.footer.setFont(small)
        lay.addWidget(self.title)
        lay.addWidget(self.caption)
        lay.addLayout(self.host, 1)
        lay.addWidget(self.footer)
        self.waiting = QLabel()
        self.host.addWidget(self.waiting)
        keys = {Qt.Key_Right: self.next_stop, Qt.Key_PageDown: self.next_stop, Qt.Key_Left: self.prev_stop,
                Qt.Key_PageUp: self.prev_stop, Qt.Key_F10: self.next_step, Qt.Key_Escape: self.leave,
                Qt.Key_L: lambda: self.set_language("zh" if self.lang == "en" else "en")}
        self.shortcuts = []
        for key, slot in keys.items():
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.WindowShortcut)
            sc.activated.connect(slot)
            self.shortcuts.append(sc)

    def show_full_screen(self) -> None:
        """Full screen on the screen the presenter opens on (its geometry set first: without a
        window manager, as on a bare X server or some projector set-ups, showFullScreen alone
        leaves the window at its own small size)."""
        screen = self.screen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    # --- moving ---------------------------------------------------------------------------
    def n_steps(self) -> int:
        prep = self.prepared.get(self.index)
        return prep.n_steps if prep else 1

    def go(self, index: int, step: int | None = None) -> None:
        """Show stop `index` at `step` (None: the stop's first view; a lab run opens finished)."""
        self.index = min(max(index, 0), len(self.tour.stops) - 1)
        self.step = step
        if self.index in self.prepared:
            self.show_prepared(self.index, self.prepared[self.index], step)
        else:
            self._clear_stage()
            self.title.setText(self.tour.stops[self.index].text("title", self.lang))
            self.caption.setText("")
            self.waiting.setText(tr("preparing this stop: running %1…").replace("%1", self.tour.stops[self.index].model))
            self.waiting.show()
            self._footer()
            self._ask(self.index)

    def next_stop(self) -> None:
        if self.index + 1 < len(self.tour.stops):
            self.go(self.index + 1)

    def prev_stop(self) -> None:
        if self.index > 0:
            self.go(self.index - 1)

    def next_step(self) -> None:
        """F10: the next step inside the stop; after the last, the first again (a lab run replays)."""
        if self.index in self.prepared and self.n_steps() > 1:
            self.show_prepared(self.index, self.prepared[self.index], (self.step + 1) % self.n_steps())

    def leave(self) -> None:
        self.left.emit()
        self.close()

    # --- preparing (worker thread) ------------------------------------------------------------
    def _ask(self, i: int) -> None:
        if i in self._asked or i in self.prepared or not 0 <= i < len(self.tour.stops):
            return
        self._asked.add(i)
        job = Job(prepare, self.tour.stops[i], self.models, name=f"tour stop {i}", cancel=True)
        job.signals.finished.connect(lambda prep, i=i: self._prepared(i, prep))
        job.signals.failed.connect(lambda msg, i=i: self._failed(i, msg))
        self.jobs.submit(job)

    def _prepared(self, i: int, prep: PreparedStop) -> None:
        self.prepared[i] = prep
        if i == self.index and self.stage is None:
            self.show_prepared(i, prep, self.step)

    def _failed(self, i: int, msg: str) -> None:
        self._asked.discard(i)
        if i == self.index:
            self.waiting.setText(msg)
        self.stopFailed.emit(msg)

    # --- drawing ----------------------------------------------------------------------------
    def _clear_stage(self) -> None:
        if self.stage is not None:
            self.host.removeWidget(self.stage.widget)
            stage_widgets.close(self.stage)
            self.stage, self.marker = None, None

    def show_prepared(self, i: int, prep: PreparedStop, step: int | None = None) -> None:
        """Draw stop i from its prepared run at `step` (None: its first view). Public: `tplay tour
        run` prepares on its own thread and calls this."""
        self.prepared[i] = prep
        step = prep.first_step if step is None else min(max(step, 0), prep.n_steps - 1)
        self.index, self.step = i, step
        self._clear_stage()
        self.waiting.hide()
        self.stage = stage_widgets.build(prep, step, self.cache)
        for w in [self.stage.widget, *self.stage.widget.findChildren(QWidget)]:
            w.setFocusPolicy(Qt.NoFocus)  # the keys are the presenter's
        self.host.addWidget(self.stage.widget, 1)
        self.stage.widget.show()  # a reused lab chart was hidden when its last stop ended
        for t in self.stage.widget.findChildren(QTableView):
            t.resizeColumnsToContents()  # sized for the presenter's larger type, not the window's
        self.title.setText(prep.title(self.lang) or prep.stop.id)
        self.caption.setText(prep.caption(self.lang))
        if prep.highlight is not None and self.stage.heatmap is not None:
            self.marker = mark_cell(self.stage.heatmap, *prep.highlight)
        self._footer()
        self.stopShown.emit(i)
        self._ask(i + 1)  # the next stop, while this one is talked about

    def set_language(self, lang: str) -> None:
        """Captions in `lang` ("en" | "zh"); the view stays as it is (L switches while presenting)."""
        self.lang = lang
        prep = self.prepared.get(self.index)
        if prep is not None and self.stage is not None:
            self.title.setText(prep.title(lang) or prep.stop.id)
            self.caption.setText(prep.caption(lang))

    def _footer(self) -> None:
        n = self.n_steps()
        step = tr(" · step %1/%2 (F10)").replace("%1", str((self.step or 0) + 1)).replace("%2", str(n)) if n > 1 else ""
        self.footer.setText(tr("stop %1/%2").replace("%1", str(self.index + 1)).replace("%2", str(len(self.tour.stops)))
                            + step + tr(" · ← → stops · L 中文/English · Esc leaves"))

    def closeEvent(self, e) -> None:
        self._clear_stage()
        stage_widgets.close_cache(self.cache)
        self.jobs.cancel_all()
        self.jobs.wait(5000)  # a stop still preparing holds models: let it end before the widgets go
        super().closeEvent(e)
