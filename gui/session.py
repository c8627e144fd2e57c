"""Session: the debugger's view-model — model, prompt, trace, step cursor, breakpoints.

Widgets call its methods and listen to its signals; all engine work goes through `jobs`
(one worker thread), so the UI thread only swaps in results.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from . import engine_calls, stepping
from .debugger_place import DebuggerPlace
from engine.hook_names import kind_of

from .trace_store import TOKENS, TraceStore
from .views.base import StepContext
from .worker import Job, Jobs
from .i18n import tr


RUN, LAYER, EXTRA = 10, 5, 0  # worker priorities
EXTRAS_DELAY_MS = 100
EXTRAS_AFTER_LAYER_MS = 500  # paused extras restart after a layer's view is drawn, or after this at the latest


class Session(QObject):
    infoReady = Signal(object)  # {"models": [(name, kind, path)], "devices": {dev: reason|None}}
    estimateReady = Signal(object)  # {"name", "params", "bytes"}
    modelsDescribed = Signal(object)  # [engine.loading.model_info.describe rows + "summary"]
    modelLoading = Signal(str)
    loadProgress = Signal(str)
    modelChanged = Signal(object)  # engine LoadedModel
    modelFailed = Signal(str)  # the previous model stays loaded
    busyChanged = Signal(bool)
    runStarted = Signal()
    traceChanged = Signal(object)  # TraceStore
    runFailed = Signal(str)
    runCancelled = Signal()
    cursorChanged = Signal(int)
    stepReady = Signal(str)  # the current step's tensors are available: draw it
    stepPending = Signal(str)  # the current step's layer is being captured
    breakpointsChanged = Signal()
    selectionChanged = Signal()  # head or position
    extraReady = Signal(str)  # "lens" | "thumbs" results arrived

    def __init__(self, parent=None):
        super().__init__(parent)
        self.jobs = Jobs(self)
        self.calls = engine_calls  # tests may wrap these functions
        self.lm = None
        self.store: TraceStore | None = None
        self.cursor = 0
        self.bps = stepping.Breakpoints()
        self.head = 0
        self.position = -1
        self.prompt = ""
        self.target = ""
        self.extra: dict = {}
        self._run_job: Job | None = None
        self._load_job: Job | None = None
        self._layer_jobs: dict[str, Job] = {}
        self._extra_jobs: list[Job] = []
        self._pauses = 0  # counts _pause_extras calls: a resume planned before the latest pause is void
        self._resume_when_drawn: int | None = None  # the pause whose extras view_drawn() resumes
        self._busy = 0
        self.wanted_extras: set[str] = set()
        self.closed = False
        self._pending: DebuggerPlace | None = None  # restored with the next trace (remember())
        self.replay = None  # gui.recording.Replay while a recording is shown (read-only: no model work)

    # --- start-up, models -----------------------------------------------------------------
    def shutdown(self, ms: int = 10_000) -> bool:
        """Stop taking work, cancel what runs and wait for the worker threads to finish.

        Call before the window goes away: a QThreadPool destroyed with a job still running
        would wait for it while holding the GIL the job needs (a deadlock)."""
        self.closed = True
        self.cancel()
        for j in self._extra_jobs:
            j.cancel()
        return self.jobs.wait(ms)

    def fetch_info(self) -> None:
        if self.closed:
            return
        job = Job(self.calls.startup_info, name="start-up")
        job.signals.finished.connect(self.infoReady)
        self.jobs.submit(job)

    def describe_models(self) -> None:
        """Headers of every listed model, read on the light worker after the list is shown."""
        if self.closed:
            return
        job = Job(self.calls.describe_models, name="describing models")
        job.signals.finished.connect(self.modelsDescribed)
        self.jobs.submit(job, light=True)

    def estimate(self, name: str, dtype: str) -> None:
        if self.closed:
            return
        job = Job(self.calls.estimate, name, dtype, name="estimate")
        job.signals.finished.connect(self.estimateReady)
        job.signals.failed.connect(lambda msg: self.estimateReady.emit({"name": name, "error": msg}))
        self.jobs.submit(job, light=True)

    def load_model(self, name: str, device: str = "auto", dtype: str = "float32", placement: dict | None = None) -> None:
        """placement: {"device_map", "max_memory"} to spread the layers with accelerate (ModelPanel.placement)."""
        if self.closed:
            return
        job = Job(self.calls.load, name, device, dtype, name=f"loading {name}", progress=True,
                  **({"placement": placement} if placement else {}))
        self._load_job = job
        job.signals.progress.connect(self.loadProgress)
        job.signals.finished.connect(self._on_loaded)
        # a load the user has since replaced by another fails quietly: the window's message and
        # fallback are about the model being loaded now
        job.signals.failed.connect(lambda msg, j=job: j is self._load_job and self.modelFailed.emit(msg))
        self._track(job)
        self.modelLoading.emit(name)
        self.jobs.submit(job)

    def _on_loaded(self, lm) -> None:
        self.lm = lm
        self.replay = None  # a loaded model's runs replace a recording that was shown
        self.store = None
        self.extra = {}
        self.cursor = 0
        self.modelChanged.emit(lm)
        if self.prompt:
            self.run(self.prompt)

    # --- running ------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy > 0

    def _track(self, job: Job) -> None:
        self._busy += 1
        if self._busy == 1:
            self.busyChanged.emit(True)

        def done():
            self._busy -= 1
            if self._busy == 0:
                self.busyChanged.emit(False)

        job.signals.done.connect(done)

    def current_name(self) -> str | None:
        return self.store.order[self.cursor] if self.store else None

    def run(self, prompt: str, target: str | None = None) -> None:
        """Run the prompt; the cursor stays on the same named step when it still exists.

        target: the decoder's input text for encoder-decoder models (None keeps the last one).
        """
        self.prompt = prompt
        if target is not None:
            self.target = target
        if self.closed:
            return
        if self.replay is not None and self.lm is None:
            self.runFailed.emit(f"{self.replay.name} is a recording of {self.replay.model}, shown read-only: "
                                "load a model to run a new prompt")
            return
        if self.lm is None:
            self.runFailed.emit(tr("no model is loaded yet"))
            return
        self.replay = None  # a new run on the loaded model closes the recording
        for old in [self._run_job, *self._layer_jobs.values(), *self._extra_jobs]:
            if old is not None:
                old.cancel()  # queued work for the old prompt must not delay the new one
        self._extra_jobs = []
        cursor = self.current_name() or (self._pending.step if self._pending else None)
        job = Job(self.calls.run_prompt, self.lm, prompt, cursor, name="run", cancel=True,
                  target=self.target or None, head=self.head)
        self._run_job = job
        job.signals.finished.connect(lambda store, j=job: self._on_run(j, store))
        job.signals.failed.connect(lambda msg, j=job: j is self._run_job and self.runFailed.emit(msg))
        job.signals.cancelled.connect(lambda j=job: j is self._run_job and self.runCancelled.emit())
        self._track(job)
        self.runStarted.emit()
        self.jobs.submit(job, priority=RUN)

    def cancel(self) -> None:
        for j in [self._run_job, self._load_job, *self._layer_jobs.values()]:
            if j is not None:
                j.cancel()

    def _on_run(self, job: Job, store: TraceStore) -> None:
        if job is not self._run_job:
            return  # a newer run replaced this one
        keep = self.current_name()
        self.store = store
        self.extra = {}
        self._layer_jobs = {}
        if self._pending is not None:
            keep = self._restore(self._pending, store)
            self._pending = None
        i = store.index(keep) if keep else None
        self.traceChanged.emit(store)
        self.goto(i if i is not None else 0)
        # whole-model extras start once the first view has painted (their Python work would
        # otherwise compete with it for the GIL)
        QTimer.singleShot(EXTRAS_DELAY_MS, self.request_extras)

    # --- remembered across launches ------------------------------------------------------------
    def remember(self, r: DebuggerPlace) -> None:
        """Restore `r` when the next trace arrives (the window calls this at start-up)."""
        self._pending = r

    def remembered(self) -> DebuggerPlace:
        """What to store for the next launch; before the first trace, what was restored."""
        if self._pending is not None:
            return self._pending
        return DebuggerPlace(self.current_name(), self.head, self.position,
                          tuple(sorted(self.bps.names)), tuple(sorted(self.bps.kinds)))

    def _restore(self, r: DebuggerPlace, store: TraceStore) -> str | None:
        """Breakpoints on names this trace has, head and position clamped to the model and
        prompt; returns the step to go to (None when it is not in this trace). No signals: the
        traceChanged that follows redraws all of it."""
        names = set(store.order)
        kinds = {kind_of(n) for n in store.order if n != TOKENS}
        self.bps = stepping.Breakpoints({n for n in r.bp_names if n in names},
                                        {k for k in r.bp_kinds if k in kinds})
        step = r.step if r.step in names else None
        self.head = min(max(r.head, 0), store.n_heads - 1)
        last = len(store.tokens_for(step or TOKENS)) - 1
        self.position = -1 if r.position < 0 or last < 0 else min(r.position, last)
        return step

    # --- cursor --------------------------------------------------------------------------------
    def goto(self, target: int | str) -> None:
        if self.store is None:
            return
        i = self.store.index(target) if isinstance(target, str) else target
        if i is None:
            return
        self.cursor = max(0, min(int(i), len(self.store) - 1))
        self.cursorChanged.emit(self.cursor)
        name = self.store.order[self.cursor]
        key = self.store.missing_layer(name, self.head)
        if key is None:
            self.stepReady.emit(name)
        else:
            self.stepPending.emit(name)
            self._capture_layer(key)

    def _capture_layer(self, key: str) -> None:
        if self.replay is not None:
            return  # a recording holds every step; nothing may run a model on it
        running = self._layer_jobs.get(key)
        if (running is not None and not running.is_done()) or self.closed:
            return  # (a done one: a long prompt's layer was dropped or only partly recomputed)
        store = self.store
        # a long prompt: only what the step shown needs (up to it; a matrix: of the head shown)
        upto = {"upto": self.current_name(), "head": self.head} if store.replay is not None else {}
        job = Job(self.calls.capture_layer, self.lm, store, key, name=f"capturing {key}", cancel=True, **upto)
        self._layer_jobs[key] = job
        job.signals.finished.connect(lambda trace, s=store, k=key: self._on_layer(s, k, trace))
        job.signals.failed.connect(self.runFailed)
        self._track(job)
        self._pause_extras()
        self.jobs.submit(job, priority=LAYER)

    def _pause_extras(self) -> None:
        """The step the user asked for comes first: stop whole-model extras; they restart after."""
        for j in self._extra_jobs:
            j.cancel()
        self._extra_jobs = []
        self._pauses += 1

    def _resume_extras_after_view(self) -> None:
        """Paused extras restart once the view just computed is drawn (view_drawn(), which the
        window calls) or after EXTRAS_AFTER_LAYER_MS: started at once, their torch threads and
        Python took the CPU the drawing needed (a 2,000-token FFN view: 76 ms to draw alone,
        153 ms beside a restarted thumbnails job)."""
        pause = self._resume_when_drawn = self._pauses
        QTimer.singleShot(EXTRAS_AFTER_LAYER_MS, lambda: self._resume_extras(pause))

    def view_drawn(self) -> None:
        """The inspector has drawn the step shown: extras paused for it may run again."""
        pause, self._resume_when_drawn = self._resume_when_drawn, None
        if pause is not None:
            QTimer.singleShot(0, lambda: self._resume_extras(pause))

    def _resume_extras(self, pause: int) -> None:
        if pause == self._pauses and not any(not j.is_done() for j in self._layer_jobs.values()):
            self.request_extras()

    def _on_layer(self, store: TraceStore, key: str, trace) -> None:
        if store is not self.store:
            return
        store.merge(trace)
        if not any(j for k, j in self._layer_jobs.items() if k != key and not j.is_done()):
            self._resume_extras_after_view()
        name = self.current_name()
        if name and store.has(name, self.head):
            self.stepReady.emit(name)
        elif name and store.missing_layer(name, self.head):  # the cursor (or head) moved on within a partly recomputed layer
            self._layer_jobs.pop(store.missing_layer(name, self.head), None)
            self._capture_layer(store.missing_layer(name, self.head))

    def _move(self, fn, *args) -> None:
        if self.store is not None:
            self.goto(fn(self.store.order, self.cursor, *args))

    def step(self) -> None:
        self._move(stepping.step)

    def back(self) -> None:
        self._move(stepping.back)

    def step_over_layer(self) -> None:
        self._move(stepping.over_layer)

    def run_to_breakpoint(self) -> None:
        self._move(stepping.to_breakpoint, self.bps)

    def reset(self) -> None:
        self.goto(0)

    # --- breakpoints, selection --------------------------------------------------------------
    def toggle_breakpoint(self, name: str | None = None) -> None:
        name = name or self.current_name()
        if name:
            self.bps.toggle_name(name)
            self.breakpointsChanged.emit()

    def toggle_kind_breakpoint(self, kind: str | None = None) -> None:
        kind = kind or (kind_of(self.current_name()) if self.current_name() not in (None, TOKENS) else None)
        if kind:
            self.bps.toggle_kind(kind)
            self.breakpointsChanged.emit()

    def set_head(self, h: int) -> None:
        if h != self.head:
            self.head = h
            self.selectionChanged.emit()
            name = self.current_name()
            key = self.store.missing_layer(name, h) if name and self.store is not None else None
            if key is not None:  # a long prompt held only the previous head's matrices
                self.stepPending.emit(name)
                self._capture_layer(key)

    def set_position(self, p: int) -> None:
        if p != self.position:
            self.position = p
            self.selectionChanged.emit()

    def context(self, name: str | None = None) -> StepContext | None:
        if self.store is None:
            return None
        return StepContext(self.store, name or self.current_name(), self.head, self.position,
                           self.tokenizer, self.extra)

    @property
    def tokenizer(self):
        """The shown trace's tokenizer: a recording's own, else the loaded model's."""
        if self.replay is not None:
            return self.replay.tokenizer
        return self.lm.tokenizer if self.lm else None

    def show_recording(self, rec) -> None:
        """Show a recording (gui.recording.Replay) read-only: its trace, extras and place; no model
        runs on it (new prompts are refused while no model is loaded, and say why)."""
        for j in [self._run_job, *self._layer_jobs.values(), *self._extra_jobs]:
            if j is not None:
                j.cancel()
        self._run_job, self._layer_jobs, self._extra_jobs, self._pending = None, {}, [], None
        self.replay, self.store, self.extra = rec, rec.store, dict(rec.extra)
        self.prompt, self.target = rec.store.prompt, ""
        keep = self._restore(rec.place, rec.store)
        self.traceChanged.emit(rec.store)
        i = rec.store.index(keep) if keep else None
        self.goto(i if i is not None else 0)

    # --- whole-model extras (logit lens, attention grid), computed when a panel wants them ----
    def want_extra(self, what: str, on: bool = True) -> None:
        (self.wanted_extras.add if on else self.wanted_extras.discard)(what)
        if on and self.store is not None and not self.extra_done(what):
            if self.store.replay is not None and any(j.name != what for j in self._extra_jobs if not j.is_done()):
                self._pause_extras()  # a long prompt's extras take a while: the one just asked for goes first
                self._request_extra(what)  # (the paused ones resume from their last layer, after it)
                self.request_extras()
            else:
                self._request_extra(what)

    def request_extras(self) -> None:
        for what in sorted(self.wanted_extras):
            if not self.extra_done(what):
                self._request_extra(what)

    def extra_done(self, what: str) -> bool:
        """The whole result is here (a partial one carries "<what> progress")."""
        return what in self.extra and f"{what} progress" not in self.extra

    def _request_extra(self, what: str) -> None:
        if self.closed or self.store is None or self.replay is not None:
            return  # (a recording's extras came with it; the loaded model is not the recorded one)
        if any(j.name == what and not j.is_done() for j in self._extra_jobs):
            return
        fn = {"lens": self.calls.logit_lens, "thumbs": self.calls.thumbnails}[what]
        store = self.store
        focus = {"focus": self.position} if what == "lens" else {}
        job = Job(fn, self.lm, store, name=what, cancel=True, progress=True, **focus)

        def got(result, s=store):
            if s is self.store:
                self.extra[what] = result
                self.extra.pop(f"{what} progress", None)
                self.extraReady.emit(what)

        def partial(msg, s=store):  # a long prompt's extras fill in: show what is there so far
            if s is self.store and what in s.partial:
                self.extra[what] = s.partial[what]
                self.extra[f"{what} progress"] = msg
                self.extraReady.emit(what)

        job.signals.finished.connect(got)
        job.signals.progress.connect(partial)
        job.signals.failed.connect(lambda msg: None)  # e.g. an encoder without a head: no lens
        self._extra_jobs.append(job)
        self.jobs.submit(job, priority=EXTRA)

    @property
    def model_bytes(self) -> int:
        """Weights in memory (counted once per model)."""
        if self.lm is None:
            return 0
        if getattr(self, "_model_bytes_of", None) is not self.lm:
            placed = getattr(self.lm, "placement", None)  # engine/placement: the disk share is not in memory
            on_disk = placed.preflight.weights.get("disk", 0) if placed else 0
            self._model_bytes = self.lm.n_params * self.lm.model.dtype.itemsize - on_disk
            self._model_bytes_of = self.lm
        return self._model_bytes

    @property
    def extras_pending(self) -> bool:
        return any(not j.is_done() for j in self._extra_jobs)

    def memory_bytes(self) -> int:
        return self.model_bytes + (self.store.nbytes if self.store else 0)
