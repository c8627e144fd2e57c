"""The debugger window: dockable panels around the inspector, stepping actions, status bar.

Nothing here imports torch: the window is shown first, then the engine loads in the worker.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QScrollArea, QSlider, QToolBar, QWidget

from . import theme
from .debugger_place import DebuggerPlace
from .lab import DOCK as LAB_DOCK, install_lab
from .panels.inspector import Inspector
from .panels.model_panel import ModelPanel
from .panels.navigator import Navigator
from .panels.prompt_panel import PromptPanel
from .session import Session
from .staggered import Staggered
from .language_menu import install_language_menu
from .theme_menu import install_theme_menu, stored_choice
from .stored import as_text
from .view_export import VIEW, ViewExport
from .views.attention_grid import AttentionGridView
from .views.logit_lens import LogitLensView
from .views.probabilities import ProbabilitiesView
from .i18n import N_, tr

DEFAULT_PROMPT = "The animal didn't cross the street because it was too tired"
TALL = 900  # a window at least this tall gives the bottom dock (the decoding lab) LAB_SHARE
LAB_SHARE = 0.4  # of the central column (inspector + bottom dock); shorter windows give it BOTTOM_PX
BOTTOM_PX = 300
DEBUGGER = "debugger"  # settings group: the step, head, position and breakpoints (debugger_place.DebuggerPlace)


def _size(n: int) -> str:
    """Bytes in the largest binary unit that fits (B, KiB, MiB or GiB)."""
    for unit, size in ((N_("GiB"), 2**30), (N_("MiB"), 2**20), (N_("KiB"), 2**10)):
        if n >= size:
            return f"{n / size:.1f} {tr(unit)}"
    return f"{n} {tr('B')}"


# short toolbar labels, so the whole bar with its step counter fits a 1366 px wide screen
TOOLBAR_TEXT = {"run": N_("Run"), "cancel": N_("Cancel"), "back": N_("◀ Back"), "step": N_("Step ▶"), "over": N_("Over layer"),
                "continue": N_("Continue ▶▶"), "bp": N_("Breakpoint"), "bp_kind": N_("Break on kind"), "reset": N_("Reset")}
WANTED = (1500, 950)
FRAME = (16, 40)  # room for the window manager's frame and title bar


def first_size(available) -> tuple[int, int]:
    """The window's size on a first launch: the wanted size, shrunk to fit the screen's free area
    (a 1366×768 laptop or projector must see the whole window)."""
    if available is None or available.width() <= 0:
        return WANTED
    room = (available.width() - FRAME[0], available.height() - FRAME[1])
    # most of a large screen (a 1920×1080 projector), all of a small one (a 1366×768 laptop)
    return tuple(min(r, max(want, int(r * 0.94))) for want, r in zip(WANTED, room))


def _real_screen_area(w: QWidget):
    """The free area of the screen the window opens on; None for the offscreen platform (tests,
    renders), whose 800×800 "screen" is nobody's: there the window keeps its wanted size."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() == "offscreen" or w.screen() is None:
        return None
    return w.screen().availableGeometry()


def short_model_name(name: str) -> str:
    """A model given as a file or folder path is shown by its last part (the full path is the tooltip)."""
    return Path(name).name or name if ("/" in name or "\\" in name) else name


def _scrolling(w: QWidget) -> QScrollArea:
    """A panel that scrolls rather than overlaps when its dock is made small."""
    area = QScrollArea()
    area.setWidget(w)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setMinimumWidth(w.sizeHint().width() + 12)
    return area


class MainWindow(QMainWindow):
    errorShown = Signal(str)  # a dialog with this text is on screen (tests watch this)
    settingsSaving = Signal(object)  # QSettings: save_settings() is writing, add yours before it syncs
    startupDone = Signal()  # the first view is drawn (or nothing stands in its way): deferred start-up work runs

    def __init__(self, settings: QSettings | None = None, autoload: bool = True, model: str | None = None,
                 lab_after_first_view: bool = False):
        """lab_after_first_view: the decoding lab's dock and menu now, the lab itself (~0.8 s of
        widgets, every one holding the GIL torch's import needs) once the first view is drawn,
        or sooner when something asks for `win.lab`. The app starts so (gui/app.py)."""
        super().__init__()
        self._lab = None
        self._lab_later = lab_after_first_view
        self._first_view_done = False  # start-up work deferred until then has started (_after_first_view)
        self._at_first_view: dict[str, Callable[[], None]] = {}  # that work, by what it is (the latest of each kind)
        self.settings = settings or QSettings("TransformerPlayground", "tplay")
        theme.apply(stored_choice(self.settings))  # before any chart is built: they read its colours
        self.autoload = autoload
        self.started = False  # start() has put the saved prompt into the prompt panel
        self.devices_known = False  # the worker's device list (and the saved choice) is shown
        self.requested_model = model
        self.loading_name: str | None = None
        self.fallbacks: list[str] = []  # tried in turn while no model could be loaded yet
        self.session = Session(self)
        self.stagger = Staggered(self)  # panels other than the inspector repaint in later turns
        self.setWindowTitle("Transformer Playground")
        self.setDockNestingEnabled(True)
        self.inspector = Inspector()
        self.setCentralWidget(self.inspector)
        self.model_panel = ModelPanel()
        self.prompt = PromptPanel()
        self.navigator = Navigator()
        self.grid = AttentionGridView()
        self.lens = LogitLensView()
        self.output = ProbabilitiesView()
        self.output.bind(self.session)  # sentence embeddings of headless models run on its worker
        self.docks: dict[str, QDockWidget] = {}
        self.add_dock(N_("Model and device"), _scrolling(self.model_panel), Qt.LeftDockWidgetArea)
        self.add_dock(N_("Pipeline"), self.navigator, Qt.LeftDockWidgetArea)
        self.add_dock(N_("Prompt"), self.prompt, Qt.TopDockWidgetArea)
        self.add_dock(N_("Output"), self.output, Qt.RightDockWidgetArea)
        self.add_dock(N_("Attention grid"), self.grid, Qt.RightDockWidgetArea)
        self.add_dock(N_("Logit lens"), self.lens, Qt.RightDockWidgetArea)
        self.error_box = QMessageBox(QMessageBox.Warning, "Transformer Playground", "", QMessageBox.Ok, self)
        self.error_box.setObjectName("errorDialog")
        self.error_box.setModal(False)
        self._actions()
        self._status()
        self._wire()
        if lab_after_first_view:  # its place now (so the saved layout restores it), its widgets later
            self.add_dock(LAB_DOCK, QWidget(), Qt.BottomDockWidgetArea)  # empty until install_lab fills it
            self.lab_menu = self.menuBar().addMenu(tr("&Lab"))
        else:
            self.lab = install_lab(self)  # the decoding lab: one dock + Lab menu; see gui/lab/__init__.py
        from .recording_menu import RecordingMenu

        self.recordings = RecordingMenu(self, self.file_menu, self.quit_act)  # File ▸ sessions, recordings
        from .tour.menu import install_tour_menu  # the Tour menu: presenter mode, recording (gui/tour/)

        self.tour_menu = install_tour_menu(self)
        self.resize(*first_size(_real_screen_area(self)))
        self._default_layout()
        self.layout_restored = self._restore()
        self._shown_once = False

    # --- construction ---------------------------------------------------------------------
    @property
    def lab(self):
        """The decoding lab (gui/lab); built now if the window deferred it and nobody asked yet."""
        if self._lab is None and self._lab_later:
            self._lab_later = False
            install_lab(self)  # sets self.lab
        return self._lab

    @lab.setter
    def lab(self, lab) -> None:
        self._lab = lab

    def _build_lab(self) -> None:
        _ = self.lab

    def add_dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        """Public: put `widget` in a dock titled `title` (remembered in the layout, listed in `docks`).
        `title` is the key (mark it with N_); the dock shows it in the interface's language."""
        d = QDockWidget(tr(title), self)
        d.setObjectName(title.replace(" ", "_"))
        d.setWidget(widget)
        self.addDockWidget(area, d)
        self.docks[title] = d
        return d

    def add_action(self, text: str, keys, slot, menu) -> QAction:
        """Public: an action in `menu` with an optional shortcut that works anywhere in the window."""
        a = QAction(text, self)
        if keys:
            a.setShortcut(QKeySequence(keys))
            a.setShortcutContext(Qt.WindowShortcut)
        a.triggered.connect(slot)
        menu.addAction(a)
        self.addAction(a)
        return a

    def _actions(self) -> None:
        s = self.session
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.add_action(tr("Open model folder…"), "Ctrl+O", self.model_panel.pick_folder, file_menu)
        self.add_action(tr("Open GGUF file…"), "Ctrl+Shift+O", self.model_panel.pick_gguf, file_menu)
        file_menu.addSeparator()
        self.exporter = ViewExport(self, file_menu)
        self.export_acts = self.exporter.acts
        file_menu.addSeparator()
        self.file_menu = file_menu
        self.quit_act = self.add_action(tr("Quit"), QKeySequence.Quit, self.close, file_menu)
        dbg = self.menuBar().addMenu(tr("&Debug"))
        self.act = {
            "run": self.add_action(tr("Run prompt"), "Ctrl+Return", lambda: self.prompt.run(), dbg),
            "cancel": self.add_action(tr("Cancel run"), "Escape", s.cancel, dbg),
            "back": self.add_action(tr("Step back"), "Shift+F10", s.back, dbg),
            "step": self.add_action(tr("Step"), "F10", s.step, dbg),
            "over": self.add_action(tr("Step over layer"), "Ctrl+F10", s.step_over_layer, dbg),
            "continue": self.add_action(tr("Run to end / next breakpoint"), "F5", s.run_to_breakpoint, dbg),
            "bp": self.add_action(tr("Toggle breakpoint"), "F9", lambda: s.toggle_breakpoint(), dbg),
            "bp_kind": self.add_action(tr("Break on every step of this kind"), "Ctrl+F9",
                                    lambda: s.toggle_kind_breakpoint(), dbg),
            "reset": self.add_action(tr("Reset to the first step"), "Shift+F5", s.reset, dbg),
        }
        self.act["cancel"].setEnabled(False)
        for k, short in TOOLBAR_TEXT.items():  # the toolbar's short names; menus keep the full ones
            self.act[k].setIconText(tr(short))
            self.act[k].setToolTip(f"{self.act[k].text()} ({self.act[k].shortcut().toString()})")
        view_menu = self.menuBar().addMenu(tr("&View"))
        for d in self.docks.values():
            view_menu.addAction(d.toggleViewAction())
        view_menu.addSeparator()
        self.theme_acts = install_theme_menu(self, view_menu)
        self.language_acts = install_language_menu(self, view_menu)  # View ▸ Language (gui/language_menu.py)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.add_action(tr("Keyboard shortcuts"), "F1", self.show_shortcuts, help_menu)
        self.add_action(tr("About"), None, self._about, help_menu)
        bar = QToolBar(tr("Stepping"))
        bar.setObjectName("Stepping")
        for k in ("run", "cancel", "back", "step", "over", "continue", "bp", "bp_kind", "reset"):
            bar.addAction(self.act[k])
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setMinimumWidth(160)
        self.slider.setRange(0, 0)
        self.step_label = QLabel(tr(" step {i}/{n} ").format(i=0, n=0))
        bar.addWidget(self.slider)
        bar.addWidget(self.step_label)
        self.addToolBar(Qt.TopToolBarArea, bar)

    def _status(self) -> None:
        sb = self.statusBar()
        self.st = {k: QLabel("") for k in ("model", "params", "device", "dtype", "memory", "time")}
        for w in self.st.values():
            sb.addPermanentWidget(w)
        self.st["model"].setText(tr("no model"))

    def _wire(self) -> None:
        s = self.session
        mp = self.model_panel
        s.infoReady.connect(self._on_info)
        self.inspector.viewShown.connect(lambda _name: s.view_drawn())  # paused extras may run again
        s.estimateReady.connect(mp.set_estimate)
        s.modelsDescribed.connect(mp.set_descriptions)
        mp.estimateRequested.connect(lambda n, t: self.after_first_view("estimate", lambda: s.estimate(n, t)))
        mp.loadRequested.connect(lambda n, d, t: s.load_model(n, d, t, placement=mp.placement()))
        s.modelLoading.connect(self._on_model_loading)
        s.loadProgress.connect(lambda t: mp.set_loading(True, t))
        s.modelChanged.connect(self._on_model)
        s.modelFailed.connect(self._on_model_failed)
        self.prompt.runRequested.connect(s.run)
        self.prompt.cancelRequested.connect(s.cancel)
        s.busyChanged.connect(self._on_busy)
        s.traceChanged.connect(self._on_trace)
        s.runFailed.connect(self._on_run_failed)
        s.runStarted.connect(self._on_run_started)
        s.runCancelled.connect(lambda: self.say(tr("run cancelled; the previous trace is still shown")))
        s.cursorChanged.connect(self._on_cursor)
        s.stepReady.connect(self._on_step_ready)
        s.stepPending.connect(self.inspector.show_pending)
        s.breakpointsChanged.connect(lambda: self.navigator.show_breakpoints(s.bps))
        s.selectionChanged.connect(self._redraw)
        s.extraReady.connect(self._on_extra)
        self.navigator.stepActivated.connect(s.goto)
        self.navigator.toggleBreakpoint.connect(s.toggle_breakpoint)
        self.navigator.toggleKindBreakpoint.connect(s.toggle_kind_breakpoint)
        self.slider.valueChanged.connect(s.goto)
        self.inspector.headChanged.connect(s.set_head)
        self.inspector.positionChanged.connect(s.set_position)
        self.grid.headClicked.connect(self._open_head)
        self.docks["Logit lens"].visibilityChanged.connect(lambda v: s.want_extra("lens", v))
        self.docks["Attention grid"].visibilityChanged.connect(lambda v: s.want_extra("thumbs", v))

    # --- start-up and settings ---------------------------------------------------------------
    def stored_text(self, key: str, default: str | None = None) -> str | None:
        """A stored text, or `default` when it is missing or not text (a hand-edited file)."""
        return as_text(self.settings.value(key), default)

    def start(self) -> None:
        """Called once the window is on screen: the engine (torch) loads in the worker. The
        saved prompt and target run once a model is loaded; the saved step, head, position and
        breakpoints come back with that first trace."""
        st = self.settings
        self.prompt.set_text(self.stored_text("prompt", DEFAULT_PROMPT))
        self.prompt.target.setText(self.stored_text("target", ""))
        st.beginGroup(DEBUGGER)
        raw = {k: st.value(k) for k in st.childKeys()}
        st.endGroup()
        self.session.remember(DebuggerPlace.from_values(raw))
        self.started = True
        self.session.prompt = self.prompt.text()
        self.session.target = self.prompt.target.text()
        self.session.fetch_info()
        for sig in (self.inspector.viewShown, self.session.modelFailed, self.session.runFailed):
            sig.connect(self._after_first_view)  # the first view, or what stands in for it

    def _after_first_view(self, _name: str = "") -> None:
        """Work the first view does not need starts once it is drawn: before it, every Python
        step on this thread holds the GIL that torch's import, the load and the run need."""
        if self._first_view_done:
            return
        self._first_view_done = True
        for sig in (self.inspector.viewShown, self.session.modelFailed, self.session.runFailed):
            sig.disconnect(self._after_first_view)
        if self._lab_later:
            QTimer.singleShot(0, self, self._build_lab)  # after this view has painted
        for work in self._at_first_view.values():
            work()
        self._at_first_view.clear()
        self._warm_views()
        self.startupDone.emit()

    def after_first_view(self, what: str, work: Callable[[], None]) -> None:
        """Run `work` now, or once the first view is drawn while start-up still waits on it
        (a header read, a memory estimate: Python that would hold the GIL the load needs)."""
        if self.started and self.autoload and not self._first_view_done:
            self._at_first_view[what] = work
        else:
            work()

    def _warm_views(self) -> None:
        """Build the inspector's other views in idle turns after the first view, so the first
        step of each kind does not pay for widget construction: first their heatmaps, then
        the views (which take the prebuilt heatmaps), one per idle event-loop turn."""
        from .views.heatmap import Heatmap
        from .views.registry import VIEWS

        todo = [n for n in VIEWS if n not in self.inspector.views and n != "grid"]
        want = sum(VIEWS[n].heatmaps for n in todo)
        for i in range(want):
            self.stagger.when_idle(f"heatmap {i}", lambda: Heatmap.prebuild(want))
        for n in todo:
            self.stagger.when_idle(f"build {n}", lambda n=n: self.inspector.view(n))

    def _default_layout(self) -> None:
        # side columns run full height; a bottom dock (the decoding lab) sits under the inspector only
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.splitDockWidget(self.docks["Output"], self.docks["Attention grid"], Qt.Vertical)
        self.tabifyDockWidget(self.docks["Attention grid"], self.docks["Logit lens"])
        self.docks["Attention grid"].raise_()
        self.resizeDocks([self.docks["Model and device"], self.docks["Pipeline"]], [330, 520], Qt.Vertical)
        self.resizeDocks([self.docks["Pipeline"], self.docks["Output"]], [290, 430], Qt.Horizontal)
        self.resizeDocks([self.docks["Output"], self.docks["Attention grid"]], [330, 480], Qt.Vertical)
        self._size_bottom_docks()

    def _size_bottom_docks(self) -> None:
        """The decoding lab gets LAB_SHARE of the column it shares with the inspector in a tall
        window (measured once laid out: see showEvent), else BOTTOM_PX."""
        bottom = [d for d in self.docks.values()
                  if self.dockWidgetArea(d) == Qt.BottomDockWidgetArea and not d.isHidden() and not d.isFloating()]
        if not bottom:
            return
        h = BOTTOM_PX
        if self.height() >= TALL and self.isVisible():
            column = self.centralWidget().height() + max(d.height() for d in bottom)
            h = max(h, int(column * LAB_SHARE))
        self.resizeDocks(bottom, [h] * len(bottom), Qt.Vertical)

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if not self._shown_once:  # the first time the docks have real sizes
            self._shown_once = True
            if not self.layout_restored:
                self._size_bottom_docks()

    def _restore(self) -> bool:
        """Saved geometry and dock layout (True when a layout came back); anything but a saved
        byte array is ignored."""
        geo, state = self.settings.value("geometry"), self.settings.value("windowState")
        if isinstance(geo, (QByteArray, bytes)):
            self.restoreGeometry(QByteArray(geo))
        return isinstance(state, (QByteArray, bytes)) and self.restoreState(QByteArray(state))

    def save_settings(self) -> None:
        st = self.settings
        st.setValue("geometry", self.saveGeometry())
        st.setValue("windowState", self.saveState())
        if self.devices_known:  # else the panel still shows its placeholder, not the user's choice
            st.setValue("device", self.model_panel.device.currentText())
            st.setValue("dtype", self.model_panel.dtype.currentText())
            st.setValue("placement", self.model_panel.place.currentText())  # engine/placement
            st.setValue("max_memory", self.model_panel.max_memory.text())
        if self.started:  # closed before start-up filled the prompt: keep the saved one
            st.setValue("prompt", self.prompt.own_text())
            st.setValue("target", self.prompt.target.text())
            st.beginGroup(DEBUGGER)
            for k, v in self.session.remembered().values().items():
                st.setValue(k, v)
            st.endGroup()
        if self.session.lm is not None:
            st.setValue("model", self.session.lm.name)
        self.settingsSaving.emit(st)  # docks with settings of their own (the lab) add theirs
        st.sync()

    def closeEvent(self, e) -> None:
        self.save_settings()
        self.session.shutdown()
        super().closeEvent(e)

    def _on_info(self, info: dict) -> None:
        names = [n for n, _, _ in info["models"]]
        usual = [m for m in (self.stored_text("model"), info.get("default"), *names[:1]) if m]
        want = self.requested_model or (usual[0] if usual else None)
        self.fallbacks = [m for m in dict.fromkeys(usual) if m != want and m in names]  # if `want` fails
        self.model_panel.set_models(info["models"], select=want)
        self.after_first_view("describe", self.session.describe_models)  # headers of every model
        self.model_panel.set_devices(info["devices"], select=self.stored_text("device", "auto"))
        self.devices_known = True
        dt = self.stored_text("dtype", "float32")
        if dt in [self.model_panel.dtype.itemText(i) for i in range(self.model_panel.dtype.count())]:
            self.model_panel.dtype.setCurrentText(dt)
        self.model_panel.set_placement(self.stored_text("placement"), self.stored_text("max_memory", ""))
        if self.autoload and want:
            self.session.load_model(want, self.model_panel.device.currentText(), self.model_panel.dtype.currentText(),
                                    placement=self.model_panel.placement())
        elif self.started:
            self._after_first_view()  # no model to open: no first view to wait for

    # --- reactions -------------------------------------------------------------------------------
    def _on_model(self, lm) -> None:
        self.model_panel.set_loading(False, tr("loaded {name} ({family}, {architecture})").format(
            name=lm.name, family=lm.family, architecture=lm.cfg.architecture))
        self.model_panel.select_model(lm.name)
        short = short_model_name(lm.name)
        self.setWindowTitle(f"Transformer Playground — {short}")
        self.st["model"].setText(tr("model: {name}").format(name=short))
        self.st["model"].setToolTip(lm.name)
        self.inspector.show_hint(tr("{name} is loaded: type a prompt and press Enter.").format(name=short))
        self.st["params"].setText(tr("{n:.2f} M params").format(n=lm.n_params / 1e6))
        placed = getattr(lm, "placement", None)  # engine/placement: where each layer is, and the rate
        self.st["device"].setText(placed.summary(lm.model) if placed else tr("device: {device}").format(device=lm.device))
        self.st["device"].setToolTip("\n".join(placed.preflight.lines()) if placed else "")
        self.st["dtype"].setText(str(lm.dtype).replace("torch.", ""))
        self._update_memory()
        self.settings.setValue("model", lm.name)
        self.prompt.set_encoder_decoder(lm.model.has_encoder)
        if getattr(lm, "notes", [])[1:]:  # what loading noticed (e.g. config fields it does not know), beside the device choice
            self.say("; ".join(lm.notes[1:]))
        if self.started and not self.session.prompt:
            self._after_first_view()  # no prompt to run: no first view to wait for

    def _on_model_loading(self, name: str) -> None:
        self.loading_name = name
        self.model_panel.set_loading(True, tr("loading {name}…").format(name=name))

    def _on_model_failed(self, msg: str) -> None:
        failed, lm = self.loading_name, self.session.lm
        self.model_panel.forget(failed, select=lm.name if lm else None)
        fallback = self.fallbacks.pop(0) if lm is None and self.fallbacks else None
        if lm:
            state = tr("loading failed; the previous model is still loaded")
        elif fallback:
            state = tr("loading failed; loading {name} instead").format(name=fallback)
        else:
            state = tr("loading failed")
        self.model_panel.set_loading(False, state)
        self.show_error(tr("Could not load the model.\n\n{msg}").format(msg=msg))
        if fallback:  # nothing loaded (e.g. `tplay --model` with a typo): start on a usable model
            self.model_panel.select_model(fallback)
            self.session.load_model(fallback, self.model_panel.device.currentText(),
                                    self.model_panel.dtype.currentText())

    def show_error(self, text: str) -> None:
        """A non-modal dialog (found by tests as self.error_box, announced by errorShown)."""
        self.error_box.setText(text)
        self.error_box.show()
        self.errorShown.emit(text)

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _on_busy(self, busy: bool) -> None:
        self.prompt.set_running(busy)
        self.act["cancel"].setEnabled(busy)

    def _on_run_started(self) -> None:
        """The last run's error or note is not about this one."""
        self.statusBar().clearMessage()
        self.prompt.clear_failure()

    def _on_run_failed(self, msg: str) -> None:
        self.prompt.show_failure(msg, previous_shown=self.session.store is not None)
        self.inspector.show_hint(tr("The prompt was not run: {msg}").format(msg=msg))
        self.say(msg)

    def _on_trace(self, store) -> None:
        """A run finished: the inspector draws first (the cursor's step follows); the other
        panels repaint one per event-loop turn after it, so no turn paints them all."""
        self.navigator.set_order(store.order, store.meta.get("shared_weights"),
                                 {n: s.description for n, s in store.steps.items()})
        s = self.session  # the head and position may have been restored with this trace
        positions = max(len(store.tokens), len(store.target_tokens or ()))
        self.inspector.show_selection(s.head, s.position, store.n_heads, positions)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(store) - 1)
        self.slider.blockSignals(False)
        self.st["time"].setText(tr("last run {ms:.0f} ms").format(ms=store.elapsed * 1000))
        self._update_memory()
        self.stagger.later("grid stale", lambda: self.grid.mark_stale(store.order, self.session.extra))
        self.stagger.later("lens clear", lambda: self.lens.for_store(store))
        self.stagger.later("breakpoints", lambda: self.navigator.show_breakpoints(self.session.bps))
        self.stagger.later("output", self._redraw_output)

    def _redraw_output(self) -> None:
        """The Output dock, a turn after the trace arrived: by then another load may have cleared it."""
        ctx = self.session.context()
        if ctx is not None:
            self.output.show_step(ctx)

    def _update_memory(self) -> None:
        s = self.session
        trace = s.store.nbytes if s.store else 0
        self.st["memory"].setText(tr("memory: {model} model + {trace} trace").format(model=_size(s.model_bytes), trace=_size(trace)))

    def _on_cursor(self, i: int) -> None:
        self.navigator.set_current(i)
        self.slider.blockSignals(True)
        self.slider.setValue(i)
        self.slider.blockSignals(False)
        self.step_label.setText(tr(" step {i}/{n} ").format(i=i, n=len(self.session.store) - 1))

    def _on_step_ready(self, name: str) -> None:
        ctx = self.session.context()
        if ctx is None or ctx.name != name:
            return
        self.inspector.show_context(ctx)
        self.stagger.later("grid frame", lambda: self._show_if_current(self.grid, name))
        self._update_memory()

    def _show_if_current(self, view, name: str) -> None:
        ctx = self.session.context()
        if ctx is not None and ctx.name == name:
            view.show_step(ctx)

    def _redraw(self) -> None:
        s = self.session
        name = s.current_name()
        if name and s.store.has(name, s.head):
            self._on_step_ready(name)
        if s.store is not None:
            self.stagger.later("output", self._redraw_output)

    def _on_extra(self, what: str) -> None:
        ctx = self.session.context()
        if what == "lens":
            self.lens.show_step(ctx)
        elif what == "thumbs":
            self.grid.show_step(ctx)

    def _open_head(self, pattern_name: str, head: int) -> None:
        self.session.set_head(head)
        self.inspector.head.setValue(head)
        self.session.goto(pattern_name)

    # --- export (gui/view_export.py) -----------------------------------------------------------
    def export_view(self, path, which: str = VIEW):
        return self.exporter.save(path, which)

    def export_dialog(self, which: str = VIEW) -> None:
        self.exporter.dialog(which)

    def dock_menu(self, dock: QDockWidget):
        return self.exporter.dock_menu(dock)

    # --- help ------------------------------------------------------------------------------------
    def shortcuts_text(self) -> str:
        rows = [f"{a.shortcut().toString():<14} {a.text()}" for a in self.actions() if not a.shortcut().isEmpty()]
        return "\n".join(rows)

    def show_shortcuts(self) -> None:
        box = QMessageBox(QMessageBox.Information, tr("Keyboard shortcuts"), "", QMessageBox.Ok, self)
        box.setObjectName("shortcutsDialog")
        box.setText("<pre>" + self.shortcuts_text() + "</pre>")
        box.setModal(False)
        box.show()
        self.shortcuts_box = box

    def _about(self) -> None:
        QMessageBox.about(self, "Transformer Playground",
                          tr("Step through a real Transformer: every number shown is a tensor from the run."))
