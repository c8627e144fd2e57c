"""Loading another model while the lab works: the lab's job stops at once and says why, and no
lab view keeps showing the previous model's results."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings

from gui.lab.lab_calls import LiveGeneration
from gui.lab.lab_widget import LabWidget
from gui.main_window import MainWindow
from tests.gui.lab_models import loaded_translator  # noqa: F401 - fixture

WAIT = 60000


@pytest.fixture
def win(qtbot, tiny_gpt, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.session.modelChanged, timeout=WAIT):
        w.session.load_model(tiny_gpt, "cpu", "float32")
    return w


@pytest.fixture
def held_generation(qtbot, win, monkeypatch):
    """Start a 100-token lab generation whose second step waits until a model load is requested
    (released after the lab's own reaction to modelLoading), so the load always meets a running job.
    Returns [(steps, state text)] recorded each time the lab stops being busy."""
    gate = threading.Event()
    real = LiveGeneration.summarise

    def held(self, ev):
        if ev.step >= 1:
            gate.wait(WAIT / 1000)
        return real(self, ev)

    monkeypatch.setattr(LiveGeneration, "summarise", held)
    ctl = win.lab.controller
    seen = []
    ctl.busyChanged.connect(lambda busy: busy or seen.append((len(ctl.events), ctl.panel.state.text())))
    win.lab.panel.max_new.setValue(100)
    win.lab.panel.n.setValue(100)
    with qtbot.waitSignal(ctl.stepShown, timeout=WAIT):
        win.lab.panel.gen_btn.click()
    win.session.modelLoading.connect(lambda _name: gate.set())  # after the lab's slot (connected first)
    yield seen
    gate.set()


def test_loading_a_model_stops_the_lab_generation_at_once_and_says_so(qtbot, win, held_generation, tiny_gpt):
    lab = win.lab
    old = win.session.lm
    with qtbot.waitSignal(win.session.modelChanged, timeout=WAIT):
        win.session.load_model(tiny_gpt, "cpu", "float32")
    assert win.session.lm is not old and lab.controller.lm is win.session.lm
    steps, said = held_generation[0]
    assert steps <= 2, f"the generation ran {steps} steps before the load could start"
    assert "stopped: model changed" in said
    state = lab.panel.state.text()
    assert "stopped: model changed" in state and f"cancelled after {steps} steps" in state
    assert lab.panel.output.toPlainText() == "" and lab.controller.events == []


def test_a_failed_load_leaves_the_stopped_run_able_to_continue(qtbot, win, held_generation):
    lab = win.lab
    with qtbot.waitSignal(win.session.modelFailed, timeout=WAIT):
        win.session.load_model("no-such-model-anywhere", "cpu", "float32")
    steps = held_generation[0][0]
    assert steps <= 2
    assert "failed" in lab.panel.state.text() and "still loaded" in lab.panel.state.text()
    lab.panel.n.setValue(3)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT,
                          check_params_cb=lambda why: "model changed" not in why):  # not the stopped run's
        lab.panel.gen_btn.click()
    assert [e.view.step for e in lab.controller.events] == list(range(steps + 3))  # the same run went on


def test_model_change_stops_training(qtbot):
    lab = LabWidget()
    qtbot.addWidget(lab)
    tv = lab.training
    with qtbot.waitSignal(tv.reported, timeout=WAIT):
        tv.start(100000)
    with qtbot.waitSignal(tv.finished, timeout=WAIT) as blocker:
        lab.model_changing("another-model")
    assert blocker.args[0].stopped_early and blocker.args[0].steps_done < 100000
    assert "stopped: model changed" in tv.note.text()


def test_model_change_clears_every_view_of_the_previous_model(qtbot, loaded_translator, loaded_gpt):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.resize(1400, 800)
    lab.set_model(loaded_translator)
    lab.panel.max_new.setValue(4)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.translation.example.click()
    assert lab.translation.rows and lab.translation.map.data.size

    lab.set_model(loaded_gpt)
    assert lab.translation.rows == [] and lab.translation.map.data.size == 0
    assert "model changed" in lab.panel.state.text()
    lab.panel.n.setValue(3)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    with qtbot.waitSignal(lab.masked.filled, timeout=WAIT):
        lab.masked.go.click()
    lab.ablation.cycle(0, 0)
    with qtbot.waitSignal(lab.ablation.resultReady, timeout=WAIT):
        lab.ablation.apply_btn.click()
    mf, ab = lab.masked, lab.ablation
    assert mf.attn.data.size and mf.embed.data.size and ab.after.ids and lab.bars.ids and lab.timeline.steps

    lab.set_model(loaded_translator)
    assert mf.result is None and mf.table.columnCount() == 0 and mf.attn.data.size == 0 and mf.embed.data.size == 0
    assert "cleared" in mf.why.text()
    assert ab.result is None and ab.before.ids == [] and ab.after.ids == [] and ab.modes == {}
    assert lab.bars.ids == [] and lab.timeline.steps == [] and lab.tree.node_count() == 0
    assert lab.stages.view is None and lab.panel.output.toPlainText() == ""
    assert "model changed" in lab.panel.state.text()
