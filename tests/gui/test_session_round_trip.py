"""A saved session reopens looking as it did (#15 item 7): in a new window with no model loaded,
opening it loads the model, runs the debugger's prompt back to its step, head, position and
breakpoints, and redraws the lab's charts (next-token bars, stages, timeline, beam tree), the
interventions tab and the training charts with the saved numbers. A damaged file changes nothing."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from engine.errors import InputError
from gui.main_window import MainWindow
from gui.views.heatmap import Heatmap

WAIT = 60000
PROMPT = "The animal didn't cross the street"
STEP = "blocks.1.attn.hook_pattern"


def _window(qtbot, tmp_path, name: str) -> MainWindow:
    w = MainWindow(settings=QSettings(str(tmp_path / f"{name}.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _curves(plot_widget) -> list:
    return [np.stack(item.getData()) for item in plot_widget.getPlotItem().listDataItems()]


def _charts(w: MainWindow) -> dict:
    """Every number the restored window shows, by chart."""
    lab, s = w.lab, w.session
    return {
        "debugger": (s.store.prompt, s.current_name(), s.head, s.position, sorted(s.bps.names), sorted(s.bps.kinds)),
        "inspector": [m.data for m in w.inspector.current_view.findChildren(Heatmap)],
        "bars": (lab.bars.labels, lab.bars.probs, lab.bars.title.text()),
        "timeline": (lab.timeline.steps, lab.timeline.p, lab.timeline.h),
        "stages": [(st.name, st.ids, st.probs) for st in lab.stages.view.stages],
        "tree": sorted((n.path, n.status, n.logprob) for n in lab.tree.model.nodes.values()),
        "ranking": lab.tree.model.ranking,
        "ablation": (sorted(lab.ablation.modes.items()), lab.ablation.before.probs, lab.ablation.after.probs,
                     lab.ablation.after.labels, lab.ablation.factor.value()),
        "training": (_curves(lab.training.loss_plot), lab.training.pred.data, lab.training.target.data,
                     lab.training.attn.data),
        "tab": lab.tabs.currentIndex(),
        "output": lab.panel.output.toPlainText(),
    }


def _same(a, b, where="") -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=where)
    else:
        assert a == b, where


def test_a_reopened_session_shows_the_debugger_and_every_lab_chart_as_saved(qtbot, tiny_gpt, tmp_path):
    w = _window(qtbot, tmp_path, "first")
    with qtbot.waitSignal(w.session.modelChanged, timeout=WAIT):
        w.session.load_model(tiny_gpt, "cpu", "float32")
    w.prompt.set_text(PROMPT)
    with qtbot.waitSignal(w.session.traceChanged, timeout=WAIT):
        w.prompt.run()
    s = w.session
    s.toggle_breakpoint("blocks.0.attn.hook_q")
    s.toggle_kind_breakpoint("hook_z")
    s.goto(STEP)
    s.set_head(1)
    s.set_position(3)
    lab = w.lab
    lab.panel.prompt.setText("Attention is all")
    lab.panel.strategy.setCurrentText("beam")
    lab.panel.beams.setValue(2)
    lab.panel.max_new.setValue(3)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    lab.controller.select_step(1)  # an earlier step than the last is the one shown
    lab.ablation.set_mode(0, 1, "zero")
    lab.ablation.set_mode(1, 0, "scale")
    with qtbot.waitSignal(lab.ablation.resultReady, timeout=WAIT):
        lab.ablation.apply()
    with qtbot.waitSignal(lab.training.finished, timeout=WAIT):
        lab.training.start(10)
    lab.show_tab("interventions")
    qtbot.waitUntil(lambda: not lab.controller.stagger.pending and not s.busy, timeout=WAIT)
    path = tmp_path / "s.tplab.json"
    lab.save_session(str(path))
    saved = _charts(w)

    # damaged: nothing changes (a setting out of range, an unknown section, a bad head)
    other = _window(qtbot, tmp_path, "second")
    good = json.loads(path.read_text(encoding="utf-8"))
    bad = tmp_path / "bad.tplab.json"
    for damaged, words in (({"sections": {**good["sections"], "mystery": {}}}, "section 'mystery'"),
                           ({"events": good["events"][:1] + [{"view": 3}]}, "event 1")):
        bad.write_text(json.dumps({**good, **damaged}), encoding="utf-8")
        with pytest.raises(InputError, match=words):
            other.lab.open_session(str(bad))
    assert other.session.lm is None and not other.lab.controller.events

    with qtbot.waitSignal(other.session.traceChanged, timeout=WAIT):  # loads the model, runs the prompt
        other.lab.open_session(str(path))
    qtbot.waitUntil(lambda: not other.session.busy and not other.lab.controller.stagger.pending, timeout=WAIT)
    assert other.session.lm.name == s.lm.name
    _same(_charts(other), saved)
    assert other.inspector.current_view is not None and other.session.current_name() == STEP
    assert "restored from a session" in other.lab.training.note.text()
    assert not other.lab.training.save_btn.isEnabled()  # no weights in a session: nothing to save
