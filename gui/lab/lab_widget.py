"""The decoding lab as one widget: generation panel on the left; next-token bars and timeline on
top; tabs below for processor stages, beam tree, translation, masked fill, interventions and
training. Every chart has an Export… button (PNG / SVG). `save_settings` / `restore_settings`
keep what the user set (prompt, knobs, open tab) in a QSettings between launches.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from engine.errors import InputError, PlaygroundError

from ..worker import Jobs
from . import remembered
from .ablation_panel import AblationPanel
from .beam_tree import BeamTree
from .controller import LabController
from ..export import with_export_button
from .generation_panel import GenerationPanel
from .masked_fill_view import MaskedFillView
from .prob_bars import ProbBars
from .session_file import load as load_session, save as save_session
from .session_sections import AblationSection, TrainingSection, check_all, known_names
from .stage_charts import StageCharts
from .timeline import Timeline
from .training_view import TrainingView
from .translation_view import TranslationView
from ..i18n import N_, tr

TABS = (N_("stages"), N_("beam tree"), N_("translation"), N_("masked fill"), N_("interventions"), N_("training"))


class _SidewaysPage(QScrollArea):
    """Scrolls sideways only; the mouse wheel goes on to the dock (which scrolls a short lab)."""

    def wheelEvent(self, e) -> None:  # noqa: N802 - Qt's name
        e.ignore()


def _scrolls(page: QWidget) -> QScrollArea:
    """A tab page that scrolls sideways on its own when the lab is narrow (a 1366×768 screen), so
    the whole lab need not scroll sideways; it keeps a legible height (a short dock scrolls)."""
    area = _SidewaysPage()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    area.setMinimumSize(120, max(200, page.minimumSizeHint().height()))  # never cut off at the bottom
    return area


class LabWidget(QWidget):
    errorShown = Signal(str)  # a failure the user caused (a damaged session, an unwritable save): one line

    def __init__(self, jobs: Jobs | None = None, parent=None):
        super().__init__(parent)
        self.panel = GenerationPanel()
        self.bars = ProbBars(n=12, title=tr("next-token probabilities"))
        self.timeline = Timeline()
        self.stages = StageCharts()
        self.tree = BeamTree()
        self.translation = TranslationView()
        self.controller = LabController(self.panel, self.bars, self.stages, self.timeline, self.tree,
                                        self.translation, jobs, self)
        self.masked = MaskedFillView(self.controller)
        self.ablation = AblationPanel(self.controller)
        self.training = TrainingView()
        top = QSplitter(Qt.Horizontal)
        top.addWidget(with_export_button(self.bars, N_("next-token")))
        top.addWidget(with_export_button(self.timeline, N_("timeline")))
        top.setSizes([500, 500])
        top.setChildrenCollapsible(False)  # a short or narrow lab scrolls (its dock is a scroll area)
        self.tabs = QTabWidget()
        self.tabs.setElideMode(Qt.ElideNone)  # whole names ("interventions", not "interven…"); the bar scrolls
        self.tabs.setUsesScrollButtons(True)
        for name, w in zip(TABS, (self.stages, self.tree, self.translation, self.masked, self.ablation,
                                  self.training)):
            self.tabs.addTab(_scrolls(with_export_button(w, name)), tr(name))
        right = QSplitter(Qt.Vertical)
        right.addWidget(top)
        right.addWidget(self.tabs)
        right.setSizes([300, 420])
        right.setChildrenCollapsible(False)  # charts keep their minimum sizes rather than vanish
        main = QSplitter(Qt.Horizontal)
        main.addWidget(self.panel)
        main.addWidget(right)
        main.setSizes([300, 1100])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(main)
        self.controller.modelReady.connect(self.ablation.set_model)
        self.controller.modelReady.connect(self._family_tab)
        self.translation.exampleRequested.connect(self._translate_example)
        self.panel.fillRequested.connect(lambda: self.show_tab("masked fill"))
        self.training.saveFailed.connect(self.errorShown)
        # parts of a session beyond the run (gui/lab/session_sections.py); install_lab adds "debugger"
        self.sections = {"ablation": AblationSection(self.ablation), "training": TrainingSection(self.training)}
        self.model_gate = None  # (session, restore, report) -> None: the window loads the session's model first

    def _translate_example(self, text: str) -> None:
        self.panel.prompt.setText(text)
        self.controller.pull(self.panel.max_new.value())

    def set_model(self, lm, ref: str | None = None) -> None:
        self.controller.set_model(lm, ref)

    def model_changing(self, name: str) -> None:
        """Another model starts loading: stop the lab's work on the current model, and say why.
        Training goes on: it has its own model and its own worker thread, so it holds up no load."""
        self.controller.model_changing(name)

    def _family_tab(self, lm) -> None:
        self.panel.show_capabilities(getattr(lm, "name", "this model"), lm.model.generates, lm.model.fills_masks)
        tab = "translation" if lm.model.has_encoder else "masked fill" if not lm.model.generates else None
        if tab:
            self.tabs.setCurrentIndex(TABS.index(tab))

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    # --- remembered settings (the window's QSettings, lab/ group) ------------------------------
    def save_settings(self, st) -> None:
        remembered.write(st, {"prompt": self.panel.prompt.text(), **self.panel.settings().flat(),
                              "tab": TABS[self.tabs.currentIndex()]})

    def restore_settings(self, st) -> None:
        """Show the stored values that still fit; not a settings change (nothing re-processed or run)."""
        raw = remembered.read(st)
        self.panel.set_settings(remembered.settings_from(raw, self.panel), emit=False)
        self.controller.settings = self.panel.settings()  # what the next run and what-if compare against
        prompt = remembered.text(raw, "prompt")
        if prompt is not None:
            self.panel.prompt.setText(prompt)
        tab = remembered.text(raw, "tab", TABS)
        if tab is not None:
            self.show_tab(tab)

    # --- sessions -----------------------------------------------------------------------------
    def snapshot(self):
        """The lab as a LabSession: model, prompt, settings, tokens, beam tree, the run's events,
        the open tab and every registered section (ablation, training, the debugger's place)."""
        m = self.tree.model
        s = self.controller.run.snapshot(self.panel.prompt.text(), self.panel.settings(), m.nodes.values(),
                                         m.ranking)
        s.tab = TABS[self.tabs.currentIndex()]
        s.sections = {name: sec.save() for name, sec in self.sections.items()}
        return s

    def restore(self, s) -> None:
        """Show a saved session as it was: settings, prompt, the charts of its run, the beam tree,
        the sections and the tab. Checked first (InputError): a session that does not fit changes nothing."""
        self.controller.check_session(s)
        todo = check_all(self.sections, s.sections)
        if s.tab is not None and s.tab not in TABS:
            raise InputError(f"tab {s.tab!r} is not one of the lab's ({', '.join(TABS)})")
        self.panel.prompt.setText(s.prompt)
        self.panel.set_settings(s.settings)
        self.controller.show_session(s)
        for name in todo:
            self.sections[name].restore(s.sections[name])
        if s.tab is not None:
            self.show_tab(s.tab)

    def save_session(self, path: str) -> None:
        save_session(self.snapshot(), path)

    def open_session(self, path: str):
        """Load, check and show a session; InputError (naming the file) when it is damaged. In the
        window, `model_gate` first loads the session's model when another is loaded (the restore,
        and any message, then follow that load)."""
        s = load_session(path)

        def restore() -> None:
            try:
                self.restore(s)
            except InputError as e:
                raise InputError(f"cannot open {Path(path).name}: {e}") from None

        if self.model_gate is None:
            restore()
            return s
        try:  # what needs no model is refused before the session's model loads
            known_names(self.sections, s.sections)
        except InputError as e:
            raise InputError(tr("cannot open {file}: {error}").format(file=Path(path).name, error=e)) from None
        self.model_gate(s, restore, self.report)
        return s

    def report(self, msg: str) -> None:
        """A failure the user caused: the state line, and errorShown (the window shows a dialog)."""
        self.panel.say_error(msg)
        self.errorShown.emit(msg)

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save lab session"), "session.tplab.json",
                                              tr("Lab session (*.tplab.json *.json)"))
        if path:
            try:
                self.save_session(path)
            except PlaygroundError as e:  # WriteError: a full or read-only disk, a folder, …
                return self.report(str(e))
            self.panel.say(tr("session saved to {path}").format(path=path))

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open lab session"), "", tr("Lab session (*.tplab.json *.json)"))
        if path:
            try:
                self.open_session(path)
            except PlaygroundError as e:
                self.report(str(e))

    def shutdown(self) -> None:
        self.training.stop()
        self.training.jobs.wait(3000)
