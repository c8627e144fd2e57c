"""Out of memory in a worker job is one clear line on the status line (issue 14, item 2): the CPU
allocator's RuntimeError, torch.OutOfMemoryError and MemoryError, with the size when known.
The error is injected: the engine call the window makes raises it."""
from __future__ import annotations

import types

import pytest
import torch
from PySide6.QtCore import QSettings

from gui import engine_calls
from gui.worker import Job, Jobs

CPU = ("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
       "to allocate 35184372088832 bytes. Error code 12 (Cannot allocate memory)")
GPU = "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.1 GiB"
ERRORS = {  # case -> (the exception, what the line must say)
    "cpu allocator": (RuntimeError(CPU), "out of memory (an allocation of 32.0 TiB failed)"),
    "gpu": (torch.OutOfMemoryError(GPU), "out of memory on the device (an allocation of 2.00 GiB failed)"),
    "python": (MemoryError(), "out of memory; try"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_a_job_out_of_memory_fails_with_one_line(qtbot, case):
    error, words = ERRORS[case]

    def boom():
        raise error

    job = Job(boom, name="run")
    with qtbot.waitSignal(job.signals.failed, timeout=60000) as failed:
        Jobs().submit(job)
    msg = failed.args[0]
    assert words in msg and "\n" not in msg and "Traceback" not in msg and "RuntimeError" not in msg, msg


def test_out_of_memory_in_a_run_is_said_on_the_status_line(qtbot, tiny_gpt, tmp_path):
    from gui.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    s = win.session
    with qtbot.waitSignal(s.modelChanged, timeout=60000):
        s.load_model(tiny_gpt, "cpu", "float32")

    def run_prompt(*args, **kwargs):
        raise RuntimeError(CPU)

    s.calls = types.SimpleNamespace(**{**vars(engine_calls), "run_prompt": run_prompt})
    with qtbot.waitSignal(s.runFailed, timeout=60000):
        s.run("The animal didn't cross the street")
    said = win.statusBar().currentMessage()
    assert said.startswith("out of memory (an allocation of 32.0 TiB failed)"), said
