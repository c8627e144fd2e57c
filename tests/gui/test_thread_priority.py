"""Engine work runs below the UI thread's scheduling priority (Linux), and so do the threads
torch starts from it: when both want a core, the UI thread runs first."""
import os
import sys
import threading

import pytest

from gui.thread_priority import NICE
from gui.worker import Job, Jobs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _tasks() -> set[int]:
    return {int(t) for t in os.listdir("/proc/self/task")}


def _nice_of_threads_torch_starts() -> tuple[int, list[int]]:
    """(this thread's niceness, that of each thread its first parallel region started)."""
    import torch

    was = torch.get_num_threads()
    torch.set_num_threads(2)  # a team of two, whatever the suite runs torch with
    try:
        before = _tasks()
        x = torch.randn(1024, 1024)
        x @ x  # OpenMP starts this thread's team on its first parallel region
        new = _tasks() - before
    finally:
        torch.set_num_threads(was)
    return _nice(), [os.getpriority(os.PRIO_PROCESS, t) for t in new]


def test_a_worker_job_runs_below_the_ui_thread(qtbot):
    ui = _nice()
    jobs = Jobs()
    for light in (False, True):
        job = Job(_nice, name="nice")
        with qtbot.waitSignal(job.signals.finished, timeout=10_000) as blocker:
            jobs.submit(job, light=light)
        assert blocker.args == [min(19, ui + NICE)], light
    assert _nice() == ui  # the UI thread itself is left as it was


def test_torch_threads_started_by_a_worker_inherit_its_priority(qtbot):
    jobs = Jobs()
    job = Job(_nice_of_threads_torch_starts, name="torch")
    with qtbot.waitSignal(job.signals.finished, timeout=30_000) as blocker:
        jobs.submit(job)
    worker, started = blocker.args[0]
    assert worker > _nice()
    assert started and all(n == worker for n in started), started
