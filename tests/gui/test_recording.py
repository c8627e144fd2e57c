"""Recordings (#17 item 3, replay of item 5): a run saved from the window reopens in a fresh
process with the model folder gone, and every view shows the live run's arrays; the same file
opens read-only in a window with no model; `tplay replay` draws from it; damaged files give one
clear line and change nothing."""
from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from engine.errors import InputError
from engine.loading import resolve
from gui import engine_calls
from gui.main_window import MainWindow
from gui.recording import open_recording
from gui.views.base import StepContext
from tests.gui.view_data import DEBUGGER_VIEWS, debugger_views, lab_charts, view_data

WAIT = 60000
ROOT = Path(__file__).resolve().parents[2]
LAYER, HEAD, POS = 1, 2, 3
STEP = f"blocks.{LAYER}.attn.hook_pattern"


def _window(qtbot, tmp_path, name: str) -> MainWindow:
    w = MainWindow(settings=QSettings(str(tmp_path / f"{name}.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _record(qtbot, tmp_path, tiny_gpt) -> tuple[MainWindow, Path]:
    """A run of a copy of tiny-gpt in the window (debugger and lab), saved as a recording."""
    model = tmp_path / "model"
    shutil.copytree(resolve(tiny_gpt).path, model)
    w = _window(qtbot, tmp_path, "live")
    with qtbot.waitSignal(w.session.modelChanged, timeout=WAIT):
        w.session.load_model(str(model), "cpu", "float32")
    w.prompt.set_text("The animal didn't cross the street")
    with qtbot.waitSignal(w.session.traceChanged, timeout=WAIT):
        w.prompt.run()
    w.session.goto(STEP)
    w.session.set_head(HEAD)
    w.session.set_position(POS)
    lab = w.lab
    lab.show_tab("stages")
    lab.panel.prompt.setText("Attention is all")
    lab.panel.max_new.setValue(3)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    qtbot.waitUntil(lambda: not lab.controller.stagger.pending and not w.session.busy, timeout=WAIT)
    path = tmp_path / "run.tplayrec"
    with qtbot.waitSignal(w.recordings.built, timeout=WAIT) as built, \
            qtbot.waitSignal(w.recordings.saved, timeout=WAIT):
        w.recordings.save(str(path))
    size = path.stat().st_size
    assert abs(built.args[0] - size) <= 0.01 * size + 256  # the size said before saving (JSON escaping may differ)
    return w, path


def test_a_recording_replays_every_view_without_the_model(qtbot, tiny_gpt, tmp_path, tplay):
    live, path = _record(qtbot, tmp_path, tiny_gpt)
    s, lm = live.session, live.session.lm
    store = s.store
    extra = {"lens": engine_calls.logit_lens(lm, store, lambda: False)}  # the live window's lens for this run
    app = QApplication.instance()
    want = debugger_views(app, store, lambda name: StepContext(store, name, HEAD, POS, lm.tokenizer, extra), LAYER)
    want.update(lab_charts(live.lab))
    assert all(any(k.startswith(f"{v}/heatmap") or k.startswith(f"{v}/bars") or k.startswith(f"{v}/table")
                   for k in want) for v in DEBUGGER_VIEWS)  # every view drew something to compare
    shutil.rmtree(tmp_path / "model")  # the model is gone: the replay must not need it

    out = tmp_path / "replayed.npz"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "tests.gui.replay_probe", str(path), str(out), str(LAYER),
                           str(HEAD), str(POS)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    got = dict(np.load(out))
    assert sorted(got) == sorted(want)
    for k in want:
        np.testing.assert_array_equal(got[k], want[k], err_msg=k)

    # the same file in a window with no model: read-only, the recorded place, new prompts refused
    other = _window(qtbot, tmp_path, "replay")
    with qtbot.waitSignal(other.recordings.opened, timeout=WAIT):
        other.recordings.open(str(path))
    r = other.session
    assert r.lm is None and r.current_name() == STEP and (r.head, r.position) == (HEAD, POS)
    shown = other.inspector.current_view
    live.session.goto(STEP)
    np.testing.assert_array_equal(
        np.stack([v for k, v in view_data(shown).items() if k.startswith("heatmap") and "." not in k]),
        np.stack([v for k, v in view_data(live.inspector.current_view).items() if k.startswith("heatmap") and "." not in k]))
    assert other.lab.timeline.p == live.lab.timeline.p
    with qtbot.waitSignal(r.runFailed, timeout=WAIT) as refused:
        other.prompt.run()
    assert "read-only" in refused.args[0] and "load a model" in refused.args[0]

    # tplay replay draws from the file, still without the model
    png = tmp_path / "attention.png"
    code, _, err = tplay("replay", path, "--view", "attention", "--layer", LAYER, "--head", HEAD, "--out", png)
    assert code == 0 and png.read_bytes().startswith(b"\x89PNG"), err

    # damaged files: one message, the window as it was
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = json.loads(header["__metadata__"]["tplay-recording"])

    def rewritten(**changes) -> bytes:
        h = {**header, "__metadata__": {"tplay-recording": json.dumps({**meta, **changes})}}
        text = json.dumps(h).encode()
        return struct.pack("<Q", len(text)) + text + raw[8 + n:]

    cases = {b"": "empty", raw[: len(raw) // 2]: "cut short", os.urandom(3000): "not a recording",
             rewritten(version=7): "version 7 is not supported",
             rewritten(steps=meta["steps"][:-1]): "lacks 1 steps",
             rewritten(steps=[{**meta["steps"][3], "tensor": "step/nothing"}] + meta["steps"]): "does not hold"}
    bad = tmp_path / "bad.tplayrec"
    for data, words in cases.items():
        bad.write_bytes(data)
        with pytest.raises(InputError, match=words):
            open_recording(bad)
    with qtbot.waitSignal(other.errorShown, timeout=WAIT) as shown_error:
        other.recordings.open(str(bad))
    assert "cannot open bad.tplayrec" in shown_error.args[0]
    assert r.store is other.session.store and r.current_name() == STEP  # still the good recording
    code, _, err = tplay("replay", bad, "--view", "attention", "--out", png)
    assert code == 2 and err.count("\n") == 1 and "cannot open bad.tplayrec" in err
