"""The model panel's Placement / Max memory fields: a load placed by accelerate with one layer on
disk (tiny GPT-2: its converter transposes, so the weights go through RAM once before placement),
the status line says where each layer is and the measured tok/s, the prompt's logits are the
un-placed model's, and the choice is remembered in the settings."""
from __future__ import annotations

import torch
from PySide6.QtCore import QSettings

from engine import Capture, run
from engine.loading import load_model
from gui.main_window import MainWindow

LOAD_MS = 60_000


def _bytes(module) -> int:
    return sum(p.numel() * p.element_size() for p in module.parameters())


def test_placed_load_from_the_panel_reports_layers_and_rate(qtbot, tiny_gpt, tmp_path, monkeypatch):
    monkeypatch.setenv("TPLAY_OFFLOAD_DIR", str(tmp_path / "offload"))
    ref = load_model(tiny_gpt, device="cpu")
    outside = _bytes(ref.model) - sum(_bytes(b) for b in ref.model.blocks)
    layer = max(_bytes(b) for b in ref.model.blocks)
    budget = f"cpu={outside + 2 * layer + 1024}B"  # layer 0 stays, the room for one streamed layer, the rest on disk
    ini = str(tmp_path / "tplay.ini")
    w = MainWindow(settings=QSettings(ini, QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    panel = w.model_panel
    panel.place.setCurrentText("sequential")
    assert not panel.device.isEnabled() and panel.max_memory.isEnabled()
    panel.max_memory.setText(budget)
    with qtbot.waitSignal(w.session.modelChanged, timeout=LOAD_MS):
        panel.open_path(tiny_gpt)
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)  # (accelerate's offload hooks are not re-entrant)
    lm = w.session.lm
    n = len(lm.model.blocks)
    assert lm.placement.layers(lm.model)["blocks.0"] == "cpu"
    assert lm.placement.layers(lm.model)[f"blocks.{n - 1}"] == "disk"
    status = w.st["device"].text()
    assert status.startswith("layers 0") and " disk · " in status and status.endswith(" tok/s"), status
    assert lm.placement.rate is not None and lm.placement.rate > 0

    ids = ref.tokenizer.encode("The animal didn't cross").ids
    a = run(lm.model, ids, capture=Capture(names=["hook_logits"]))["hook_logits"]
    b = run(ref.model, ids, capture=Capture(names=["hook_logits"]))["hook_logits"]
    assert torch.allclose(a, b, atol=1e-5, rtol=0)

    w.save_settings()
    w.close()
    st = QSettings(ini, QSettings.IniFormat)
    assert st.value("placement") == "sequential" and st.value("max_memory") == budget
