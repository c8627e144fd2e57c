"""The engine's notes (an empty prompt starts from BOS) are on screen while the run goes and after."""
from __future__ import annotations

import threading

from gui.lab.lab_calls import LiveGeneration
from gui.lab.lab_widget import LabWidget

BOS_NOTE = "the prompt was empty, so generation starts from the BOS token"


def test_empty_prompt_says_it_starts_from_bos_while_running_and_after(qtbot, loaded_gpt, monkeypatch):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt)
    lab.panel.prompt.setText("")
    gate = threading.Event()
    pull = LiveGeneration.pull

    def held(self, n, emit, cancel):  # the worker waits after its first step until the test says so
        def emit_then_wait(ev):
            emit(ev)
            gate.wait(30)
        return pull(self, n, emit_then_wait, cancel)

    monkeypatch.setattr(LiveGeneration, "pull", held)
    try:
        lab.panel.n.setValue(3)
        lab.panel.gen_btn.click()
        qtbot.waitUntil(lambda: BOS_NOTE in lab.panel.state.text(), timeout=30000)
        assert lab.controller.busy and "running" in lab.panel.state.text()
        with qtbot.waitSignal(lab.controller.runFinished, timeout=60000):
            gate.set()
    finally:
        gate.set()
    state = lab.panel.state.text()
    assert BOS_NOTE in state and "running" not in state
    assert lab.controller.live.gen.prompt_ids == [loaded_gpt.cfg.bos_token_id]  # what the note says is true
    lab.controller.jobs.wait(5000)
