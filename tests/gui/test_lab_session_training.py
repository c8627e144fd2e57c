"""Lab sessions (save, reopen equal, never half-written) and the live training view."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine.errors import InputError
from gui.lab import session_file
from gui.lab.lab_widget import LabWidget

WAIT = 60000


@pytest.fixture
def beam_lab(qtbot, loaded_gpt):
    w = LabWidget()
    qtbot.addWidget(w)
    w.set_model(loaded_gpt, ref="tiny-gpt-test")
    w.panel.prompt.setText("Attention is all")
    w.panel.strategy.setCurrentText("beam")
    w.panel.beams.setValue(2)
    w.panel.max_new.setValue(4)
    with qtbot.waitSignal(w.controller.runFinished, timeout=WAIT):
        w.panel.gen_btn.click()
    yield w
    w.controller.jobs.wait(5000)


def test_saved_session_reopens_equal(qtbot, beam_lab, loaded_gpt, tmp_path):
    path = tmp_path / "s.tplab.json"
    beam_lab.save_session(str(path))
    first = beam_lab.snapshot()
    assert first.nodes and first.ranking and first.tokens  # a real beam run is in it
    other = LabWidget()
    qtbot.addWidget(other)
    other.set_model(loaded_gpt, ref="tiny-gpt-test")
    reopened = other.open_session(str(path))
    assert reopened == first
    assert other.snapshot() == first  # what the reopened lab shows
    assert other.tree.node_count() == beam_lab.tree.node_count()
    assert other.panel.settings() == beam_lab.panel.settings()
    assert other.panel.output.toPlainText() == beam_lab.panel.output.toPlainText()


def test_interrupted_save_leaves_the_old_file_intact(beam_lab, tmp_path, monkeypatch):
    path = tmp_path / "s.tplab.json"
    beam_lab.save_session(str(path))
    old = path.read_bytes()
    beam_lab.panel.prompt.setText("a different prompt")

    def half_then_fail(session, tmp):
        text = json.dumps(session.to_json())
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text[: len(text) // 2])  # half-written...
        raise OSError(28, "No space left on device")  # ...then the disk fills up

    monkeypatch.setattr(session_file, "_dump", half_then_fail)
    with pytest.raises(OSError):
        beam_lab.save_session(str(path))
    assert path.read_bytes() == old
    assert session_file.load(path).prompt == "Attention is all"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp file left behind


def test_damaged_session_file_gives_one_clear_message(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"format": "tplay-lab-session", "version": 1, "model": "x"', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        session_file.load(p)
    p.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a Transformer Playground lab session"):
        session_file.load(p)


def test_training_loss_falls_and_the_result_loads(qtbot, tmp_path):
    from engine import load_model
    from gui.lab.training_view import TrainingView

    tv = TrainingView()
    qtbot.addWidget(tv)
    with qtbot.waitSignal(tv.finished, timeout=120000):
        tv.start(40)
    losses = [r.loss for r in tv.history]
    assert len(losses) == 8  # a report every 5 steps
    assert losses[-1] < 0.6 * losses[0]
    x, y = tv.curve.getData()
    np.testing.assert_allclose(y, losses)  # the curve shows exactly the reported losses
    assert tv.pred.data.shape[0] == len(tv.run.labels)  # one row per target position
    np.testing.assert_allclose(tv.target.data.sum(1), 1.0)  # one-hot rows
    folder = tv.save_to(str(tmp_path / "micro"))
    lm = load_model(folder, device="cpu")
    assert lm.cfg.family == "encoder-decoder"


def test_training_pause_and_stop(qtbot):
    from gui.lab.training_view import TrainingView

    tv = TrainingView()
    qtbot.addWidget(tv)
    tv.start(100000)
    qtbot.waitUntil(lambda: len(tv.history) >= 1, timeout=WAIT)
    tv.toggle_pause()
    assert tv.control.paused and tv.pause_btn.text() == "Resume"
    tv.toggle_pause()
    with qtbot.waitSignal(tv.finished, timeout=WAIT):
        tv.stop_btn.click()
    assert tv.result.stopped_early and tv.result.steps_done < 100000
