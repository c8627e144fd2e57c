"""Worker threads run at a lower scheduling priority than the UI thread (Linux: nice is per thread).

Why: on a 2-core machine torch's threads fill both cores during a long forward; the UI thread,
runnable, then waited for the scheduler (a 2,000-token first pass: 57-60 ms stalls of wall time
while it needed 31 ms of CPU). The threads torch's OpenMP starts from a worker inherit its
priority. Nothing is slower while the UI thread is idle: priority only decides who runs first.
"""
from __future__ import annotations

import os
import sys
import threading

NICE = 5  # added to the worker thread's niceness (0 = the UI thread's; 19 the lowest)
_lowered = threading.local()


def lower_this_threads_priority() -> None:
    """Once per thread; where the platform cannot (not Linux, or refused), nothing changes."""
    if getattr(_lowered, "done", False):
        return
    _lowered.done = True
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + NICE))
    except (OSError, AttributeError):
        pass
