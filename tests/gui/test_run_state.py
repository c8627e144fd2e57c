"""The lab's run state works without Qt: a run, its events, the what-if re-processing, the shown
step, the state texts and a session round trip, checked against an engine run of its own."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import torch

from engine.decoding import Generation
from gui.lab.lab_calls import GenerationSettings
from gui.lab.run_state import LabRun

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "The animal didn't cross the street"


def test_the_run_state_imports_no_qt():
    code = "import sys, gui.lab.run_state; print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_a_run_its_what_if_and_a_session_without_qt(loaded_gpt):
    settings = GenerationSettings(max_new_tokens=3)
    run = LabRun(lm=loaded_gpt, model_ref="tiny", settings=settings)
    assert run.can_generate(busy=False) and not run.can_generate(busy=True)
    assert run.needs_start(PROMPT, settings)
    live = run.start(PROMPT, settings)
    live.pull(3, run.add, lambda: False)
    assert not run.needs_start(PROMPT, settings) or live.done
    ref = Generation(loaded_gpt.model, loaded_gpt.tokenizer.encode(PROMPT).ids, settings.options())
    list(ref)
    assert run.tokens == ref.sequences[0].ids and [e.view.step for e in run.events] == [0, 1, 2]
    reason, text = run.finished_text()
    assert reason == "max-new-tokens" and text.startswith("3 steps · max-new-tokens")
    assert not run.whatif() and run.view_for(1) is run.events[1].view
    run.settings = GenerationSettings(strategy="sample", processors={**settings.processors, "temperature": 0.5},
                                      max_new_tokens=3)
    assert run.whatif()
    v = run.view_for(1)  # re-processed from the cached raw scores: softmax(raw / 0.5)
    p = torch.softmax(v.raw.float() / 0.5, dim=-1)
    final = v.stages[-1]
    assert abs(final.probs[0] - float(p[final.ids[0]])) < 1e-5
    assert run.select_step(0) == 0 and run.shown_index() == 0
    assert run.select_step(2) == 2 and run.selected is None  # the newest: follow new steps
    ids, target = run.context_ids(PROMPT)
    assert target is None and ids == loaded_gpt.tokenizer.encode(PROMPT).ids + run.tokens
    s = run.snapshot(PROMPT, settings, [], [])
    other = LabRun(lm=loaded_gpt)
    other.restore(s)
    assert (other.tokens, other.stop_reason) == (run.tokens, "max-new-tokens")
    assert s.text == loaded_gpt.tokenizer.decode(run.tokens)
