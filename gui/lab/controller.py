"""LabController: runs decoding in the worker, draws each StepEvent, re-processes on slider moves.

Engine work (forward passes) happens only in `jobs` (the GUI's one worker thread). The UI
thread receives small LabEvents and copies them into chart items, at most once per frame
(events arriving faster are drawn together). A settings change re-runs the processor chain
on the selected step's cached raw scores: no forward pass.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ..staggered import Staggered
from ..worker import Job, Jobs
from .generation_panel import DEFAULT_PROMPT
from .lab_calls import GenerationSettings, LabEvent, LiveGeneration
from .session_file import LabSession
from .stats import StepView, reprocess
from .translation_view import EXAMPLE

FRAME_MS = 100  # live charts refresh at most 10×/s: each refresh paints in Python, holding the GIL the decoding worker needs


def _notes(notes: list[str]) -> str:
    """The engine's notes as lines under the state text."""
    return "".join(f"\nnote: {n}" for n in notes)


class _Relay(QObject):
    """Lives in the UI thread; emitting from the worker queues the event onto the UI thread."""

    event = Signal(object)


class LabController(QObject):
    stepShown = Signal(object)  # the StepView now on the charts
    runFinished = Signal(str)  # why the pull ended ("paused" when more can come)
    runFailed = Signal(str)
    busyChanged = Signal(bool)
    modelReady = Signal(object)

    def __init__(self, panel, bars, stages, timeline, tree, translation, jobs: Jobs | None = None, parent=None):
        super().__init__(parent)
        self.panel, self.bars, self.stages, self.timeline = panel, bars, stages, timeline
        self.tree, self.translation = tree, translation
        self.jobs = jobs or Jobs(self)
        self.relay = _Relay()
        self.relay.event.connect(self._relayed)
        self.lm = None
        self.model_ref = ""
        self.live: LiveGeneration | None = None
        self.events: list[LabEvent] = []
        self.tokens: list[int] = []
        self.stop_reason: str | None = None
        self.selected: int | None = None  # None = follow the newest step
        self.settings: GenerationSettings = panel.settings()
        self.run_settings: GenerationSettings | None = None
        self._pending: list[LabEvent] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._draw)
        self._job: Job | None = None
        self._side: list[Job] = []  # masked fill / ablation jobs: a model change cancels them too
        self.interrupted: str | None = None  # set when a model change stopped the running generation
        self.loading: str | None = None  # the model loading now (between model_changing and set_model / model_failed)
        self._said_stopped: list = []  # (model loading, say, button) for side jobs that load stopped
        self.draw_times: list[float] = []  # seconds per drawn frame (benchmarks read this)
        self.stagger = Staggered(self)  # chart repaints spread over event-loop turns
        panel.settingsChanged.connect(self.on_settings)
        panel.nextRequested.connect(lambda: self.pull(1))
        panel.generateRequested.connect(self.pull)
        panel.stopRequested.connect(self.stop)
        timeline.stepPicked.connect(self.select_step)
        translation.exampleRequested.connect(self._translate_example)

    # --- model ----------------------------------------------------------------------------
    def set_model(self, lm, ref: str | None = None) -> None:
        """Follow a new model: every view that showed the previous model's results is cleared."""
        old, steps = self.model_ref, len(self.events)
        shown = bool(self.events or self.tokens or self.panel.output.toPlainText())
        self.lm = lm
        self.model_ref = ref or getattr(lm, "name", "")
        self.loading, self._said_stopped = None, []
        if lm.model.has_encoder and self.panel.prompt.text() == DEFAULT_PROMPT:
            self.panel.prompt.setText(EXAMPLE)
        self.reset()
        was_busy = self._forget_job()
        self.bars.clear_bars("next-token probabilities")
        self.stages.clear_view()
        self.translation.clear()
        generates = lm.model.generates
        said = []
        if self.interrupted:
            said.append(f"stopped: model changed · the {old} run was cancelled after {steps} steps; "
                        "its output was cleared")
        elif shown:
            said.append(f"model changed: the {old} output was cleared")
        self.interrupted = None
        if not generates:
            said.append(f"{lm.name} is encoder-only: it fills [MASK]s (masked fill tab) rather than generating")
        self.panel.state.setText("\n".join(said))
        if was_busy:
            self.busyChanged.emit(False)
        self.modelReady.emit(lm)

    def _forget_job(self) -> bool:
        """After reset() cancelled it: forget the running job, so whatever it still reports
        (finished / failed / cancelled fail the `job is self._job` checks) leaves the UI alone.
        True when there was one (the caller says busyChanged(False) once its own text is set)."""
        was_busy, self._job = self._job is not None, None
        self._sync_buttons()
        return was_busy

    def model_changing(self, name: str) -> None:
        """Another model starts loading: stop the lab's engine work now, so the load (queued on
        the same worker thread) starts after the current step instead of after the whole run.
        Next token / Generate N wait for the load (set_model or model_failed)."""
        self.loading = name
        self._sync_buttons()
        for j in self._side:
            j.cancel()
        if self._job is not None:
            self.interrupted = f"stopped: model changed (loading {name})"
            self._job.cancel()
            self.panel.state.setText(self.interrupted + "…")

    def model_failed(self) -> None:
        """The load that stopped the run failed: the old model is still here, the run can go on."""
        name, self.loading = self.loading, None
        self._sync_buttons()
        for n, say, button in self._said_stopped:
            if n == name:
                say(f"stopped: loading {name} failed; {self.model_ref} is still loaded · {button} runs it again")
        self._said_stopped = []
        if self.interrupted:
            self.interrupted = None
            self.panel.state.setText(f"stopped: loading another model failed; {self.model_ref} is still loaded "
                                     "· Next token / Generate N continue this run")

    def say_stopped(self, say, button: str) -> None:
        """A side job (masked fill, ablation) was cancelled: `say` "stopped", and why only when a
        model change stopped it (not on shutdown); should that load fail, `say` so, and that
        `button` runs it again."""
        if self.loading is None:
            say("stopped")
            return
        say(f"stopped: model changed (loading {self.loading})")
        self._said_stopped.append((self.loading, say, button))

    def submit(self, job: Job) -> Job:
        """Submit a lab job other than the generation (masked fill, ablation) to the worker."""
        self._side = [j for j in self._side if not j.is_done()] + [job]
        return self.jobs.submit(job)

    def reset(self) -> None:
        """Forget the open generation: the next pull starts a new run."""
        if self._job is not None:
            self._job.cancel()
        self.stagger.clear()  # chart updates still queued for the old run must not draw over the reset
        self.live = None
        self.events, self.tokens, self._pending = [], [], []
        self.stop_reason = None
        self.selected = None
        self.timeline.clear_steps()
        self.tree.reset(self.panel.prompt.text())
        self.panel.output.clear()

    # --- running --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._job is not None

    def _sync_buttons(self) -> None:
        """Next token / Generate N when a model that generates is loaded (or none yet: pressing
        them says so), no run is going and no other model is loading; Stop while a run goes."""
        can = (self.lm is None or self.lm.model.generates) and not self.busy and self.loading is None
        self.panel.next_btn.setEnabled(can)
        self.panel.gen_btn.setEnabled(can)
        self.panel.stop_btn.setEnabled(self.busy)

    def pull(self, n: int) -> None:
        """Next token (n=1) / Generate N: continue the open run, or start one."""
        if self.lm is None:
            self.runFailed.emit("no model is loaded yet")
            return
        if self.busy or self.loading is not None:  # a load is queued: a run would go to the old model
            return
        changed = self.live is not None and (self.live.prompt_text != self.panel.prompt.text()
                                             or self.panel.settings() != self.run_settings)
        if self.live is None or self.live.done or changed:  # new prompt or settings: a new run
            if not self._start():
                return
        emit = lambda ev, live=self.live: self.relay.event.emit((live, ev))  # noqa: E731 - worker thread
        job = Job(self.live.pull, n, emit, name="generation", cancel=True)
        self._job = job
        job.signals.finished.connect(lambda k, j=job: self._finished(j))
        job.signals.failed.connect(lambda msg, j=job: self._failed(j, msg))
        job.signals.cancelled.connect(lambda j=job: self._finished(j))
        self._sync_buttons()
        self.busyChanged.emit(True)
        self.jobs.submit(job)

    def _start(self) -> bool:
        from engine.errors import PlaygroundError

        self.reset()
        text = self.panel.prompt.text()
        try:
            ids = self.lm.tokenizer.encode(text).ids if text else []
        except PlaygroundError as e:
            self.runFailed.emit(str(e))
            return False
        self.run_settings = self.panel.settings()
        self.live = LiveGeneration(self.lm, ids, self.run_settings)
        self.live.prompt_text = text
        if self.lm.model.has_encoder:
            self.translation.reset(self.lm.tokenizer.token_strings(ids), self.lm.model.output_layers,
                                   self.lm.cfg.n_heads)
        self.panel.state.setText(self._running_text())
        return True

    def _running_text(self, notes: list[str] = ()) -> str:
        return f"{self.run_settings.strategy}: running…{_notes(notes)}"

    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _finished(self, job: Job) -> None:
        if job is not self._job:
            return
        self._job = None
        self._draw()
        self._sync_buttons()
        self.busyChanged.emit(False)
        live = self.live
        reason = self.interrupted or (live.stop_text(self.stop_reason) if live else self.stop_reason) or "paused"
        more = "" if self.interrupted or live is None or live.done else (
            " · Next token / Generate N continue this run (changed settings start a new one)")
        notes = _notes(live.notes if live else [])
        self.panel.state.setText(f"{len(self.events)} steps · {reason}{more}{notes}")
        self.stagger.later("finished", lambda: self.runFinished.emit(reason), last=True)  # once all is drawn

    def _failed(self, job: Job, msg: str) -> None:
        if job is not self._job:
            return
        self._job = None
        self.live = None
        self._sync_buttons()
        self.busyChanged.emit(False)
        self.panel.state.setText(f"<span style='color:#c00'>{msg}</span>")
        self.runFailed.emit(msg)

    # --- drawing --------------------------------------------------------------------------
    def _relayed(self, item: tuple[LiveGeneration, LabEvent]) -> None:
        live, ev = item
        if live is self.live:  # else a reset (new model, new run) came after the worker sent it
            self._on_event(ev)

    def _on_event(self, ev: LabEvent) -> None:
        self.events.append(ev)
        self._pending.append(ev)
        self.tokens = ev.tokens
        if ev.done:
            self.stop_reason = ev.stop_reason
        if not self._timer.isActive():
            self._timer.start(FRAME_MS)

    def _draw(self) -> None:
        """Draw everything that arrived since the last frame (UI thread, cheap)."""
        self._timer.stop()
        if not self._pending:
            return
        t0 = time.perf_counter()
        pending, self._pending = self._pending, []
        tok = self.lm.tokenizer
        for ev in pending:
            v = ev.view
            self.timeline.append(v.step, v.chosen_prob, v.stages[-1].entropy if v.stages else 0.0)
            self.tree.add_nodes(ev.nodes)
            if ev.cross is not None and v.chosen is not None:
                self.translation.add_row(v.labels.get(v.chosen, str(v.chosen)), ev.cross)
        last = pending[-1]
        if self._job is not None and last.notes:  # the engine's notes while it runs, not only at the end
            self.panel.state.setText(self._running_text(last.notes))
        if last.done and last.sequences and last.view.strategy == "beam":
            self.tree.set_ranking(last.sequences, tok.decode)
        self.stagger.later("timeline", self.timeline.redraw)
        if self.selected is None:
            self._show(len(self.events) - 1)
        text = tok.decode(self.tokens)
        self.stagger.later("output", lambda: self.panel.output.setPlainText(text))
        self.draw_times.append(time.perf_counter() - t0)

    def _whatif(self) -> bool:
        """True when the panel's processor values differ from what the run used."""
        rs = self.run_settings
        if rs is None:
            return False
        return self.settings.options().processor_values() != rs.options().processor_values()

    def view_for(self, i: int) -> StepView:
        v = self.events[i].view
        if self._whatif() and v.raw is not None:
            return reprocess(v, self.settings.options().processor_values(), self.lm.tokenizer)
        return v

    def _show(self, i: int) -> None:
        v = self.view_for(i)
        final = v.stages[-1] if v.stages else None
        if final is not None:
            labels = [v.labels.get(t, str(t)) for t in final.ids]
            chosen = final.ids.index(v.chosen) if v.chosen in final.ids else None
            what = " (re-processed with the current settings)" if v is not self.events[i].view else ""
            title = f"step {v.step}: next-token probabilities{what}"
            self.stagger.later("bars", lambda: self.bars.set_bars(labels, final.probs, chosen, title, final.ids))
        self.stages.show_view(v, self.stagger)
        self.stagger.later("mark", lambda: self.timeline.mark(v.step))
        self.stagger.later("shown", lambda: self.stepShown.emit(v), last=True)  # once the charts hold v

    def select_step(self, step: int) -> None:
        idx = next((i for i, e in enumerate(self.events) if e.view.step == step), None)
        if idx is None:
            return
        self.selected = None if idx == len(self.events) - 1 else idx
        self._show(idx)

    def on_settings(self, settings: GenerationSettings) -> None:
        """A knob moved: re-process the shown step's cached logits (no forward pass)."""
        self.settings = settings
        if not self.events:
            return
        try:
            self._show(self.selected if self.selected is not None else len(self.events) - 1)
        except Exception as e:  # noqa: BLE001 - a bad value is shown, never raised into Qt
            self.panel.state.setText(f"<span style='color:#c00'>{e}</span>")

    def _translate_example(self, text: str) -> None:
        self.panel.prompt.setText(text)
        self.pull(self.panel.max_new.value())

    # --- context for the other lab views ----------------------------------------------------
    def context_ids(self) -> tuple[list[int], list[int] | None]:
        """(input ids, decoder target ids or None) for the text so far: prompt + generated."""
        text = self.panel.prompt.text()
        ids = self.lm.tokenizer.encode(text).ids
        if self.lm.model.has_encoder:
            return ids, self.lm.model.decoder_start_ids() + list(self.tokens)
        return ids + list(self.tokens), None

    # --- sessions -------------------------------------------------------------------------------
    def snapshot(self) -> LabSession:
        nodes = list(self.tree.model.nodes.values())
        text = self.lm.tokenizer.decode(self.tokens) if self.lm else ""
        return LabSession(self.model_ref, self.panel.prompt.text(), self.panel.settings(), list(self.tokens), text,
                          nodes, list(self.tree.model.ranking), self.stop_reason)

    def restore(self, s: LabSession) -> None:
        """Show a saved session: settings, prompt, tokens and the beam tree (charts need a new run)."""
        self.panel.prompt.setText(s.prompt)
        self.panel.set_settings(s.settings)
        self.reset()
        was_busy = self._forget_job()
        self.tokens = list(s.tokens)
        self.stop_reason = s.stop_reason
        for step in sorted({n.step for n in s.nodes}):
            self.tree.add_nodes([n for n in s.nodes if n.step == step])
        if s.ranking:
            self.tree.set_ranking(s.ranking, self.lm.tokenizer.decode if self.lm else (lambda ids: str(ids)))
        self.panel.output.setPlainText(s.text)
        self.panel.state.setText(f"session restored ({len(s.tokens)} tokens, {len(s.nodes)} tree nodes); "
                                 "generate again to see the charts")
        if was_busy:
            self.busyChanged.emit(False)
