"""The lab's charts for one run: what arriving LabEvents and a shown step put on the widgets.

UI thread only, cheap: events are drawn at most once per frame (faster ones together), copied
into chart items spread over event-loop turns by `stagger`. The run state (gui/lab/run_state.py)
says what to draw; this says where.

Frames are paced, never queued: one frame draws at a time (a frame still drawing holds the next
back, which then draws every event that arrived meanwhile), at most every FRAME_MS, and further
apart when drawing is dear: a frame that cost the UI thread c seconds of CPU is followed by at
least c * (1 / UI_SHARE - 1) of rest, so the charts use at most UI_SHARE of a core while a run
goes. On two cores the decoding worker's torch threads use both: what the charts use, decoding
loses (and the UI thread waits for a core and the GIL behind the worker).
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from ..staggered import Staggered
from .lab_calls import LabEvent
from ..i18n import tr

FRAME_MS = 100  # live charts refresh at most 10×/s: each refresh paints in Python, holding the GIL the decoding worker needs
UI_SHARE = 0.1  # of a core, at most, for the live charts while a run goes (see the module docstring)


class LabCharts(QObject):
    stepShown = Signal(object)  # the StepView now on the charts

    def __init__(self, run, panel, bars, stages, timeline, tree, translation, parent=None):
        super().__init__(parent)
        self.run, self.panel, self.bars, self.stages, self.timeline = run, panel, bars, stages, timeline
        self.tree, self.translation = tree, translation
        self.stagger = Staggered(self)  # chart repaints spread over event-loop turns
        self.pending: list[LabEvent] = []
        self.running_notes = None  # set by the controller while a run goes: (notes) -> state text
        self.draw_times: list[float] = []  # seconds per drawn frame (benchmarks read this)
        self.frame_costs: list[float] = []  # UI-thread CPU seconds per live frame, its staggered draws included
        self._frame_cpu: float | None = None  # thread_time() when the frame now drawing began
        self._rest_until = 0.0  # perf_counter() before which no live frame starts
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._frame)
        self.stagger.drained.connect(self._frame_drawn)

    def clear_for_model(self, lm=None) -> None:
        self.bars.clear_bars(tr("next-token probabilities"))
        self.stages.clear_view()
        if lm is None:
            self.translation.clear()
        else:
            self.translation.clear(getattr(lm, "name", None) or tr("this model"), lm.model.has_encoder)

    def reset(self) -> None:
        self.stagger.clear()  # chart updates still queued for the old run must not draw over the reset
        self.pending = []
        self._timer.stop()
        self._frame_cpu, self._rest_until = None, 0.0
        self.timeline.clear_steps()
        self.tree.reset(self.panel.prompt.text())
        self.panel.output.clear()

    def start_translation(self, lm, ids: list[int]) -> None:
        self.translation.reset(lm.tokenizer.token_strings(ids), lm.model.output_layers, lm.cfg.n_heads)

    def receive(self, ev: LabEvent) -> None:
        """One event of the run: kept now, drawn with the next frame."""
        self.run.add(ev)
        self.pending.append(ev)
        if not self._timer.isActive() and self._frame_cpu is None:  # else the frame drawing now reschedules
            self._schedule()

    def _schedule(self) -> None:
        wait = max(FRAME_MS / 1000, self._rest_until - time.perf_counter())
        self._timer.start(int(wait * 1000))

    def _frame(self) -> None:
        """A live frame: everything that arrived since the last one; its cost is measured once
        its staggered draws are done (_frame_drawn)."""
        if self.stagger.pending:  # e.g. a knob's redraw still going: not two frames in flight
            return self._schedule()
        cpu = time.thread_time()
        self.flush()
        if self.stagger.pending:
            self._frame_cpu = cpu
        else:
            self._frame_cpu = None

    def _frame_drawn(self) -> None:
        if self._frame_cpu is None:
            return
        cost = time.thread_time() - self._frame_cpu
        self.frame_costs.append(cost)
        self._frame_cpu = None
        self._rest_until = time.perf_counter() + cost * (1 / UI_SHARE - 1)
        if self.pending:
            self._schedule()

    def flush(self) -> None:
        """Draw everything that arrived since the last frame (now: the last one of a run, a replay)."""
        self._timer.stop()
        if not self.pending:
            return
        t0 = time.perf_counter()
        pending, self.pending = self.pending, []
        for ev in pending:
            v = ev.view
            self.timeline.append(v.step, v.chosen_prob, v.stages[-1].entropy if v.stages else 0.0)
            self.tree.add_nodes(ev.nodes)
            if ev.cross is not None and v.chosen is not None:
                self.translation.add_row(v.labels.get(v.chosen, str(v.chosen)), ev.cross)
        last = pending[-1]
        if self.running_notes is not None and last.notes:  # the engine's notes while it runs, not only at the end
            self.panel.say(self.running_notes(last.notes))
        if last.done and last.sequences and last.view.strategy == "beam":
            self.tree.set_ranking(last.sequences, self.run.decode)
        self.stagger.later("timeline", self.timeline.redraw)
        if self.run.selected is None:
            self.show(len(self.run.events) - 1)
        text = self.run.decode(self.run.tokens)
        self.stagger.later("output", lambda: self.panel.output.setPlainText(text))
        self.draw_times.append(time.perf_counter() - t0)

    def show(self, i: int) -> None:
        """Step i (re-processed when the knobs differ from the run's) on the bars, stages and timeline."""
        v = self.run.view_for(i)
        final = v.stages[-1] if v.stages else None
        if final is not None:
            labels = [v.labels.get(t, str(t)) for t in final.ids]
            chosen = final.ids.index(v.chosen) if v.chosen in final.ids else None
            what = tr(" (re-processed with the current settings)") if v is not self.run.events[i].view else ""
            title = tr("step {step}: next-token probabilities").format(step=v.step) + what
            self.stagger.later("bars", lambda: self.bars.set_bars(labels, final.probs, chosen, title, final.ids))
        self.stages.show_view(v, self.stagger)
        self.stagger.later("mark", lambda: self.timeline.mark(v.step))
        self.stagger.later("shown", lambda: self.stepShown.emit(v), last=True)  # once the charts hold v

    def restore(self, session) -> None:
        """A saved session's charts: its events drawn as they were live (bars, stages, timeline,
        beam tree, translation rows), the saved step shown; a version-1 session (no events) gives
        its beam tree and output text only."""
        if session.events:
            self._replay(session)
        else:
            for step in sorted({n.step for n in session.nodes}):
                self.tree.add_nodes([n for n in session.nodes if n.step == step])
            if session.ranking:
                self.tree.set_ranking(session.ranking, self.run.decode)
        self.panel.output.setPlainText(session.text)
        self.stagger.later("output", lambda: self.panel.output.setPlainText(session.text))  # over flush()'s

    def _replay(self, session) -> None:
        cross = next((ev.cross for ev in session.events if ev.cross is not None), None)
        tok = self.run.lm.tokenizer if self.run.lm else self.run.tokenizer
        if cross is not None and tok is not None:  # [layer, head, src]
            ids = tok.encode(session.prompt).ids if session.prompt else []
            self.translation.reset(tok.token_strings(ids), cross.shape[0], cross.shape[1])
        for ev in session.events:
            self.receive(ev)
        self.flush()
        if session.selected is not None:
            self.run.selected = None if session.selected == len(session.events) - 1 else session.selected
            self.show(session.selected)
