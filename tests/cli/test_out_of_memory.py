"""Out of memory in a CLI command is one line and exit 2 (issue 14, item 2): the CPU allocator's
RuntimeError ("can't allocate memory"), which printed a traceback, and torch.OutOfMemoryError."""
from __future__ import annotations

import pytest
import torch

from engine.cli import trace_cmd

from .one_line import one_line_error

CPU = ("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
       "to allocate 2147483648 bytes. Error code 12 (Cannot allocate memory)")


@pytest.mark.parametrize("error, words", [
    (RuntimeError(CPU), "out of memory (an allocation of 2.0 GiB failed); try a shorter prompt"),
    (torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 MiB."),
     "out of memory on the device (an allocation of 20.00 MiB failed); try --device cpu"),
], ids=["cpu", "gpu"])
@pytest.mark.parametrize("cmd", ["trace", "logits"])
def test_out_of_memory_is_one_line(tplay, gpt2_folder, monkeypatch, cmd, error, words):
    def run_prompt(*a, **k):
        raise error

    monkeypatch.setattr(trace_cmd, "run_prompt", run_prompt)
    import engine.cli.logits_cmd as logits_cmd

    monkeypatch.setattr(logits_cmd, "run_prompt", run_prompt)
    code, out, err = tplay(cmd, "-m", gpt2_folder, "--prompt", "hello")
    msg = one_line_error(code, err)
    assert words in msg, msg


def test_another_runtime_error_is_still_a_bug(tplay, gpt2_folder, monkeypatch):
    def run_prompt(*a, **k):
        raise RuntimeError("shape mismatch")

    monkeypatch.setattr(trace_cmd, "run_prompt", run_prompt)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        tplay("trace", "-m", gpt2_folder, "--prompt", "hello")
