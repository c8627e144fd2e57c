"""The lab's jobs besides the generation (masked fill, ablation): a model change cancels them,
and says why; should that load fail, it says so and which button runs the job again."""
from __future__ import annotations

from ..i18n import tr


class SideJobs:
    def __init__(self, jobs):
        self.jobs = jobs
        self.running: list = []
        self._said: list = []  # (model loading, say, button) for jobs that load stopped

    def submit(self, job):
        self.running = [j for j in self.running if not j.is_done()] + [job]
        return self.jobs.submit(job)

    def cancel(self) -> None:
        for j in self.running:
            j.cancel()

    def say_stopped(self, say, button: str, loading: str | None) -> None:
        """`say` "stopped", and why when a model load (`loading`) stopped it."""
        if loading is None:
            return say(tr("stopped"))
        say(tr("stopped: model changed (loading {model})").format(model=loading))
        self._said.append((loading, say, button))

    def load_failed(self, name: str, still: str) -> None:
        for n, say, button in self._said:
            if n == name:
                say(tr("stopped: loading {model} failed; {still} is still loaded · {button} runs it again").format(
                    model=name, still=still, button=button))
        self._said = []

    def forget(self) -> None:
        self._said = []
