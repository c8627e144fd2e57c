"""Finished jobs release what they were given (issue 14: the GUI never freed a model)."""
import gc
import weakref

from gui.worker import Job, Jobs


class Heavy:
    """Stands in for a model: only a weak reference to it is kept by the test."""


def test_a_finished_job_keeps_no_argument_alive(qtbot):
    jobs = Jobs()
    refs = []
    for _ in range(20):
        heavy = Heavy()
        refs.append(weakref.ref(heavy))
        job = Job(lambda m, x=1: type(m).__name__, heavy, name="reload")
        with qtbot.waitSignal(job.signals.finished, timeout=5000) as blocker:
            jobs.submit(job)
        assert blocker.args == ["Heavy"]
        del heavy
        qtbot.waitUntil(lambda: job not in jobs.live, timeout=5000)
    gc.collect()
    assert [r for r in refs if r() is not None] == []


def test_a_failed_job_releases_its_arguments_too(qtbot):
    jobs = Jobs()
    heavy = Heavy()
    ref = weakref.ref(heavy)

    def boom(m):  # a user error (a bug's traceback is kept by pytest's log capture, not by the job)
        from engine.errors import InputError

        raise InputError("no")

    job = Job(boom, heavy, name="boom")
    with qtbot.waitSignal(job.signals.failed, timeout=5000):
        jobs.submit(job)
    del heavy
    qtbot.waitUntil(lambda: job.is_done(), timeout=5000)
    gc.collect()
    assert ref() is None
