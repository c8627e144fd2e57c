"""A checkpoint option the playground does not implement: a dialog naming it, the old model kept."""
from __future__ import annotations

import json

from PySide6.QtCore import QSettings

from gui.main_window import MainWindow
from tests.engine.parity.test_parity import write_word_tokenizer
from tests.engine.reference_llama import llama

LOAD_MS = 60_000


def test_a_refused_rope_type_is_named_in_a_dialog_and_the_old_model_stays(qtbot, tiny_gpt, tmp_path):
    folder = tmp_path / "llama-unknown-rope"
    llama(folder)
    write_word_tokenizer(folder)
    hf = json.loads((folder / "config.json").read_text())
    hf["rope_parameters"] = {"rope_type": "made-up-scaling", "rope_theta": 10000.0, "factor": 2.0}
    (folder / "config.json").write_text(json.dumps(hf))
    w = MainWindow(settings=QSettings(str(tmp_path / "t.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    w.model_panel.device.setCurrentText("cpu")
    with qtbot.waitSignal(w.session.modelChanged, timeout=LOAD_MS):
        w.model_panel.open_path(tiny_gpt)
    old = w.session.lm
    with qtbot.waitSignal(w.errorShown, timeout=LOAD_MS) as sig:
        w.model_panel.open_path(str(folder))
    assert "made-up-scaling" in sig.args[0]
    assert w.session.lm is old
    assert w.error_box.isVisible()
    w.close()
