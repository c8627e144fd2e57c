"""LabController: the Qt adapter between the lab's run state (LabRun, Qt-free), its worker jobs
and its charts (LabCharts). Engine work happens only in `jobs` (the GUI's one worker thread);
LabEvents come back through one Relay. A knob change re-runs the processor chain on the shown
step's cached raw scores: no forward pass.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..worker import Job, Jobs, Relay
from .lab_calls import GenerationSettings
from .lab_charts import LabCharts
from .model_following import ModelFollowing
from .run_state import LabRun
from .session_file import LabSession
from .side_jobs import SideJobs
from ..i18n import tr


class LabController(ModelFollowing, QObject):
    runFinished = Signal(str)  # why the pull ended ("paused" when more can come)
    runFailed = Signal(str)
    busyChanged = Signal(bool)
    modelReady = Signal(object)

    def __init__(self, panel, bars, stages, timeline, tree, translation, jobs: Jobs | None = None, parent=None):
        super().__init__(parent)
        self.panel, self.tree = panel, tree
        self.jobs = jobs or Jobs(self)
        self.side = SideJobs(self.jobs)
        self.run = LabRun(settings=panel.settings())
        self.charts = LabCharts(self.run, panel, bars, stages, timeline, tree, translation, self)
        self.stagger, self.stepShown, self.draw_times = self.charts.stagger, self.charts.stepShown, self.charts.draw_times
        self.relay = Relay()
        self.relay.item.connect(lambda item: item[0] is self.run.live and self.charts.receive(item[1]))
        self._job: Job | None = None
        panel.settingsChanged.connect(self.on_settings)
        panel.nextRequested.connect(lambda: self.pull(1))
        panel.generateRequested.connect(self.pull)
        panel.stopRequested.connect(self.stop)
        timeline.stepPicked.connect(self.select_step)

    # --- running --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._job is not None

    def _sync_buttons(self) -> None:
        self.panel.set_running(self.run.can_generate(self.busy), self.busy)

    def reset(self) -> None:
        """Forget the open generation: the next pull starts a new run."""
        if self._job is not None:
            self._job.cancel()
        self.run.reset()
        self.charts.reset()

    def start(self) -> bool:
        """A new run of the panel's prompt and settings (False, and runFailed, when it cannot)."""
        from engine.errors import PlaygroundError

        self.reset()
        try:
            live = self.run.start(self.panel.prompt.text(), self.panel.settings())
        except PlaygroundError as e:
            self.runFailed.emit(str(e))
            return False
        if self.run.lm.model.has_encoder:
            self.charts.start_translation(self.run.lm, live.prompt_ids)
        self.panel.say(self.run.running_text())
        return True

    def pull(self, n: int) -> None:
        """Next token (n=1) / Generate N: continue the open run, or start one."""
        if self.run.lm is None:
            return self.runFailed.emit(tr("no model is loaded yet"))
        if self.busy or self.run.loading is not None:  # a load is queued: a run would go to the old model
            return
        if self.run.needs_start(self.panel.prompt.text(), self.panel.settings()) and not self.start():
            return
        emit = lambda ev, live=self.run.live: self.relay.item.emit((live, ev))  # noqa: E731 - worker thread
        job = self._job = Job(self.run.live.pull, n, emit, name="generation", cancel=True)
        job.signals.finished.connect(lambda k, j=job: self._ended(j))
        job.signals.failed.connect(lambda msg, j=job: self._ended(j, msg))
        job.signals.cancelled.connect(lambda j=job: self._ended(j))
        self.charts.running_notes = self.run.running_text
        self._sync_buttons()
        self.busyChanged.emit(True)
        self.jobs.submit(job)

    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _ended(self, job: Job, error: str | None = None) -> None:
        if job is not self._job:
            return
        self._job, self.charts.running_notes = None, None
        if error is None:
            self.charts.flush()
        else:
            self.run.live = None
        self._sync_buttons()
        self.busyChanged.emit(False)
        if error is not None:
            self.panel.say_error(error)
            return self.runFailed.emit(error)
        reason, text = self.run.finished_text()
        self.panel.say(text)
        self.stagger.later("finished", lambda: self.runFinished.emit(reason), last=True)  # once all is drawn

    # --- the shown step -------------------------------------------------------------------
    def select_step(self, step: int) -> None:
        idx = self.run.select_step(step)
        if idx is not None:
            self.charts.show(idx)

    def on_settings(self, settings: GenerationSettings) -> None:
        """A knob moved: re-process the shown step's cached logits (no forward pass)."""
        self.run.settings = settings
        if not self.run.events:
            return
        try:
            self.charts.show(self.run.shown_index())
        except Exception as e:  # noqa: BLE001 - a bad value is shown, never raised into Qt
            self.panel.say_error(str(e))

    def context_ids(self) -> tuple[list[int], list[int] | None]:
        """(input ids, decoder target ids or None) for the text so far: prompt + generated."""
        return self.run.context_ids(self.panel.prompt.text())

    def check_session(self, s: LabSession) -> None:
        """Raise InputError unless every setting fits its knob and every token id the loaded model's
        vocabulary: restoring checks first, so a damaged session changes nothing."""
        from engine.errors import InputError

        for name, v in s.settings.flat().items():
            if not self.panel.accepts(name, v):
                raise InputError(self._refused_setting(name, v))
        lm = self.run.lm
        if lm is None:
            return
        vocab = lm.cfg.vocab_size
        for where, ids in ((tr("tokens"), s.tokens),
                           *((tr("beam tree node {i}").format(i=i), n.path) for i, n in enumerate(s.nodes)),
                           *((tr("event {i}").format(i=i), e.tokens) for i, e in enumerate(s.events)),
                           *((tr("ranking entry {i}").format(i=i), r[0]) for i, r in enumerate(s.ranking))):
            bad = next((t for t in ids if t >= vocab), None)
            if bad is not None:
                raise InputError(tr("token id {id} in {where} is outside the model's vocabulary "
                                    "({model} has {vocab} tokens)").format(id=bad, where=where, model=lm.name, vocab=vocab))

    def _refused_setting(self, name: str, v) -> str:
        if name == "strategy":
            items = [self.panel.strategy.itemText(i) for i in range(self.panel.strategy.count())]
            return tr("strategy {value} is not one the lab has ({items})").format(value=repr(v), items=", ".join(items))
        w = self.panel.knobs.get(name)
        if w is None:
            return tr("setting {name} is not one the lab has").format(name=name)
        return tr("setting {name} {value} is outside the lab's range for it ({lo:g} … {hi:g})").format(
            name=name, value=repr(v), lo=w.minimum(), hi=w.maximum())

    def show_session(self, s: LabSession) -> None:
        """A saved session's tokens and beam tree, the open run forgotten (charts need a new run).
        Call check_session(s) first."""
        self.reset()
        was_busy = self._forget_job()
        try:
            self.run.restore(s)
            self.charts.restore(s)
            if s.events:
                self.panel.say(tr("session restored: {steps} steps, {tokens} tokens, {nodes} tree nodes, the charts as "
                                  "saved · Next token starts a new run").format(
                                      steps=len(s.events), tokens=len(s.tokens), nodes=len(s.nodes)))
            else:
                self.panel.say(tr("session restored ({tokens} tokens, {nodes} tree nodes); generate again to see the charts")
                               .format(tokens=len(s.tokens), nodes=len(s.nodes)))
        finally:
            self._not_busy(was_busy)


# the run state's fields, read and set through the controller (panels and tests use ctl.lm, ctl.events, …)
for _name in ("lm", "model_ref", "live", "events", "tokens", "stop_reason", "settings", "loading"):
    setattr(LabController, _name, property(lambda self, n=_name: getattr(self.run, n),
                                           lambda self, v, n=_name: setattr(self.run, n, v)))
