"""How the lab follows model loads: a load stops the lab's engine work at once (it queues on the
same worker thread), a new model clears every view of the old one, a failed load lets the run go
on. A mixin of LabController (gui/lab/controller.py), which holds run, side, panel and the job."""
from __future__ import annotations

from ..worker import Job
from .generation_panel import DEFAULT_PROMPT
from .translation_view import EXAMPLE
from ..i18n import tr


class ModelFollowing:
    def set_model(self, lm, ref: str | None = None) -> None:
        """Follow a new model: every view that showed the previous model's results is cleared."""
        r = self.run
        old, steps, shown = r.model_ref, len(r.events), bool(r.events or r.tokens or self.panel.output.toPlainText())
        r.lm, r.model_ref, r.loading = lm, ref or getattr(lm, "name", ""), None
        self.side.forget()
        if lm.model.has_encoder and self.panel.prompt.text() == DEFAULT_PROMPT:
            self.panel.prompt.setText(EXAMPLE)
        self.reset()
        was_busy = self._forget_job()
        self.charts.clear_for_model(lm)
        self.panel.say(r.model_change_text(lm, old, steps, shown))
        r.interrupted = None
        self._not_busy(was_busy)
        self.modelReady.emit(lm)

    def _forget_job(self) -> bool:
        """After reset() cancelled it: forget the running job (what it still reports leaves the UI alone)."""
        was_busy, self._job = self._job is not None, None
        self._sync_buttons()
        return was_busy

    def _not_busy(self, was_busy: bool) -> None:
        if was_busy:
            self.busyChanged.emit(False)

    def model_changing(self, name: str) -> None:
        """Another model starts loading: stop the lab's engine work now (the load queues behind it)."""
        self.run.loading = name
        self._sync_buttons()
        self.side.cancel()
        if self._job is not None:
            self.run.interrupted = tr("stopped: model changed (loading {model})").format(model=name)
            self._job.cancel()
            self.panel.say(self.run.interrupted + "…")

    def model_failed(self) -> None:
        """The load that stopped the run failed: the old model is still here, the run can go on."""
        r = self.run
        name, r.loading = r.loading, None
        self._sync_buttons()
        self.side.load_failed(name, r.model_ref)
        if r.interrupted:
            r.interrupted = None
            self.panel.say(tr("stopped: loading another model failed; {model} is still loaded "
                              "· Next token / Generate N continue this run").format(model=r.model_ref))

    def say_stopped(self, say, button: str) -> None:
        """A side job (masked fill, ablation) was cancelled: say so, and why."""
        self.side.say_stopped(say, button, self.run.loading)

    def submit(self, job: Job) -> Job:
        """Submit a lab job other than the generation (masked fill, ablation) to the worker."""
        return self.side.submit(job)

