"""Loading another model while the lab works: the lab's job stops at once and says why, Next
token / Generate N wait for the load, no lab view keeps showing the previous model's results and
nothing the old model's jobs say afterwards lands on the new model's views. Training goes on."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QSettings

from gui.lab import lab_calls
from gui.lab.ablation_panel import NONE_CHOSEN
from gui.lab.lab_calls import LiveGeneration
from gui.lab.lab_widget import LabWidget
from gui.main_window import MainWindow
from gui.worker import Job
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
def gate():
    """An event the worker waits on (for at most WAIT); always released when the test ends."""
    g = threading.Event()
    yield g
    g.set()


def _hold_steps_after_the_first(monkeypatch, gate, then=None) -> None:
    """A generation's second step waits for `gate`, then calls `then` (to fail, say)."""
    real = LiveGeneration.summarise

    def held(self, ev):
        if ev.step >= 1:
            gate.wait(WAIT / 1000)
            if then is not None:
                then()
        return real(self, ev)

    monkeypatch.setattr(LiveGeneration, "summarise", held)


def _start_long_run(qtbot, lab) -> None:
    """Generate N (100 tokens) and wait until its first step is on the charts."""
    lab.panel.max_new.setValue(100)
    lab.panel.n.setValue(100)
    with qtbot.waitSignal(lab.controller.stepShown, timeout=WAIT):
        lab.panel.gen_btn.click()


def _buttons(lab) -> tuple[bool, bool, bool]:
    p = lab.panel
    return p.next_btn.isEnabled(), p.gen_btn.isEnabled(), p.stop_btn.isEnabled()


@pytest.fixture
def held_generation(qtbot, win, monkeypatch, gate):
    """Start a 100-token lab generation whose second step waits until a model load is requested
    (released after the lab's own reaction to modelLoading), so the load always meets a running job.
    Returns [(steps, state text)] recorded each time the lab stops being busy."""
    _hold_steps_after_the_first(monkeypatch, gate)
    ctl = win.lab.controller
    seen = []
    ctl.busyChanged.connect(lambda busy: busy or seen.append((len(ctl.events), ctl.panel.state.text())))
    _start_long_run(qtbot, win.lab)
    win.session.modelLoading.connect(lambda _name: gate.set())  # after the lab's slot (connected first)
    return seen


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
    assert _buttons(lab) == (True, True, False)
    lab.panel.n.setValue(3)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT,
                          check_params_cb=lambda why: "model changed" not in why):  # not the stopped run's
        lab.panel.gen_btn.click()
    assert [e.view.step for e in lab.controller.events] == list(range(steps + 3))  # the same run went on


@pytest.mark.parametrize("load", ["tiny-gpt", "no-such-model-anywhere"])
def test_next_token_and_generate_wait_while_another_model_loads(qtbot, win, held_generation, tiny_gpt, load):
    lab, ctl = win.lab, win.lab.controller
    at_stop = []  # when the stopped run ends (its cancel is seen before the load's outcome)

    def stopped(busy):
        if not busy:
            ctl.pull(1)  # as the translation tab's example does, bypassing the buttons
            at_stop.append((_buttons(lab), ctl.busy))

    ctl.busyChanged.connect(stopped)
    done = win.session.modelChanged if load == "tiny-gpt" else win.session.modelFailed
    with qtbot.waitSignal(done, timeout=WAIT):
        win.session.load_model(tiny_gpt if load == "tiny-gpt" else load, "cpu", "float32")
        assert _buttons(lab)[:2] == (False, False)
    assert at_stop == [((False, False, False), False)]  # the run ended, the buttons stayed off
    assert _buttons(lab) == (True, True, False) and ctl.loading is None


def test_a_model_change_leaves_training_running(qtbot):
    """Training has its own model and worker thread: loading another model is no reason to stop it."""
    lab = LabWidget()
    qtbot.addWidget(lab)
    tv = lab.training
    with qtbot.waitSignal(tv.reported, timeout=WAIT):
        tv.start(30)  # a report every 5 steps
    lab.model_changing("another-model")
    assert tv.running and not tv.control.stopped
    assert "model changed" not in tv.note.text()
    with qtbot.waitSignal(tv.finished, timeout=WAIT) as blocker:
        pass
    assert not blocker.args[0].stopped_early and blocker.args[0].steps_done == 30
    assert "stopped" not in tv.note.text() and "model changed" not in tv.note.text()


@pytest.mark.parametrize("ends", ["cancelled", "failed"])
def test_what_the_old_models_run_says_after_a_model_change_is_ignored(qtbot, loaded_gpt, monkeypatch, gate, ends):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt)

    def fail():
        raise RuntimeError("the old model's error")

    _hold_steps_after_the_first(monkeypatch, gate, fail if ends == "failed" else None)
    ctl = lab.controller
    _start_long_run(qtbot, lab)
    old = ctl._job
    assert ctl.busy and _buttons(lab) == (False, False, True)
    busy = []
    ctl.busyChanged.connect(busy.append)
    lab.set_model(loaded_gpt)  # no model_changing first: the run is still going
    said = lab.panel.state.text()
    assert "model changed" in said
    assert busy == [False] and not ctl.busy and _buttons(lab) == (True, True, False)
    with qtbot.assertNotEmitted(ctl.runFailed), qtbot.waitSignal(old.signals.done, timeout=WAIT):
        gate.set()
    assert lab.panel.state.text() == said and busy == [False] and not ctl.busy
    assert _buttons(lab) == (True, True, False)


def _block_the_worker(qtbot, jobs, gate) -> Job:
    """Hold the worker thread on `gate`, so the jobs submitted next wait in its queue (once it
    has started: a blocker still queued when the test cancels everything would be skipped)."""
    entered = threading.Event()

    def hold():
        entered.set()
        gate.wait(WAIT / 1000)

    blocker = jobs.submit(Job(hold, name="blocker"))
    qtbot.waitUntil(entered.is_set, timeout=WAIT)
    return blocker


def _fill_and_apply(lab) -> tuple[Job, Job]:
    """Press Fill (masked fill) and Apply (ablation, one head zeroed); return their jobs."""
    lab.masked.go.click()
    lab.ablation.cycle(0, 0)
    lab.ablation.apply_btn.click()
    return lab.controller.side.running[-2], lab.controller.side.running[-1]


def test_masked_fill_and_ablation_stopped_without_a_model_change_say_only_stopped(qtbot, loaded_gpt, gate):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt)
    _block_the_worker(qtbot, lab.controller.jobs, gate)
    fill, apply = _fill_and_apply(lab)
    lab.controller.jobs.cancel_all()  # as closing the window does
    with qtbot.waitSignal(apply.signals.done, timeout=WAIT):
        gate.set()
    assert fill.is_cancelled() and apply.is_cancelled()
    assert lab.masked.why.text() == "stopped" and lab.ablation.note.text() == "stopped"


def test_masked_fill_and_ablation_stopped_by_a_load_that_fails_say_so(qtbot, win, gate):
    lab = win.lab
    _block_the_worker(qtbot, win.session.jobs, gate)
    _fill_and_apply(lab)
    said = []
    lab.masked.why.setText = lambda t, real=lab.masked.why.setText: (said.append(t), real(t))
    with qtbot.waitSignal(win.session.modelFailed, timeout=WAIT):
        win.session.load_model("no-such-model-anywhere", "cpu", "float32")
        gate.set()
    assert said[0] == "stopped: model changed (loading no-such-model-anywhere)"  # while it loaded
    for text in (lab.masked.why.text(), lab.ablation.note.text()):
        assert "model changed" not in text
        assert text.startswith("stopped: loading no-such-model-anywhere failed") and "still loaded" in text


def test_an_old_models_error_does_not_land_on_the_new_models_views(qtbot, loaded_gpt, tiny_gpt, monkeypatch, gate):
    from engine import load_model

    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.set_model(loaded_gpt)

    def failing(*_a, **_k):
        gate.wait(WAIT / 1000)
        raise RuntimeError("the old model's error")

    monkeypatch.setattr(lab_calls, "mask_fill", failing)
    monkeypatch.setattr(lab_calls, "next_token_top", failing)
    _, apply = _fill_and_apply(lab)
    new = load_model(tiny_gpt, device="cpu")  # another model object
    lab.set_model(new)
    with qtbot.waitSignal(apply.signals.done, timeout=WAIT), qtbot.assertNotEmitted(lab.ablation.failed):
        gate.set()
    assert lab.masked.why.text() == f"{new.name} loaded: press Fill"
    assert lab.ablation.note.text() == NONE_CHOSEN


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
