"""The model picker lists models from the HF cache, Ollama and LM Studio with their type and size,
greys out the ones that cannot open with the reason, and loads one by its store name."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from gui.main_window import MainWindow
from tests.engine.model_stores import UNSUPPORTED, build_stores, point_at

LOAD_MS = 60_000


@pytest.fixture
def win(qtbot, tmp_path, monkeypatch):
    point_at(build_stores(tmp_path / "stores"), monkeypatch)
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.session.modelsDescribed, timeout=LOAD_MS):
        w.start()
    yield w
    w.close()


def _entry(panel, name):
    i = panel.models.findData(name)
    assert i >= 0, name
    return i, panel.models.itemText(i), panel.models.itemData(i, Qt.ToolTipRole), panel.models.model().item(i)


def test_picker_lists_stores_with_type_size_and_reasons(win):
    panel = win.model_panel
    for name in ("org/Tiny-GGUF", "ollama:tiny:q8", "lmstudio:pub/Tiny-GGUF/tiny-Q8_0.gguf"):
        _, text, tip, item = _entry(panel, name)
        assert "Q8_0" in text and "KiB" in text and item.isEnabled()
        assert "LlamaForCausalLM" in tip
    _, text, tip, item = _entry(panel, "lmstudio:pub/Odd-GGUF/odd.gguf")
    assert text.endswith("cannot open") and not item.isEnabled()
    assert f"GGUF architecture '{UNSUPPORTED}' is not supported" in tip
    _, text, tip, item = _entry(panel, "ollama:lora:latest")
    assert not item.isEnabled() and "LoRA adapter" in tip


def test_picker_shows_the_current_models_summary_and_loads_it(qtbot, win):
    panel = win.model_panel
    panel.device.setCurrentText("cpu")
    i, *_ = _entry(panel, "ollama:tiny:q8")
    panel.models.setCurrentIndex(i)
    assert "LlamaForCausalLM · Q8_0" in panel.details.text()
    qtbot.waitUntil(lambda: "parameters" in panel.estimate_label.text(), timeout=LOAD_MS)  # blob read by its bytes
    with qtbot.waitSignal(win.session.modelChanged, timeout=LOAD_MS):
        qtbot.mouseClick(panel.load_btn, Qt.LeftButton)
    assert win.session.lm.name == "ollama:tiny:q8"
    panel.models.setCurrentIndex(_entry(panel, f"ollama:{UNSUPPORTED}:latest")[0])
    assert panel.details.text().startswith("cannot open: ")
