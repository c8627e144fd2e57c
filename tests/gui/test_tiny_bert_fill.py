"""Masked fill right after set-up: pick the bundled tiny-bert in the real main window, fill
"the animal didn't [MASK] the street" in the lab's masked-fill view, and see every candidate
with its probability and the [MASK] position's attention. Reference: an independent engine
run on the same loaded model."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from engine import Capture, run
from engine.decoding import fill_masks
from engine.loading.sources import RESOURCES
from gui.main_window import MainWindow
from tests.gui.test_main_window import LOAD_MS, _load

TEXT = "the animal didn't [MASK] the street."

pytestmark = pytest.mark.skipif(not (RESOURCES / "tiny-bert" / "config.json").is_file(),
                                reason="tiny-bert is not bundled")


@pytest.fixture
def win(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    w.model_panel.device.setCurrentText("cpu")
    yield w
    w.close()


def test_pick_tiny_bert_and_fill_the_street_sentence(qtbot, win):
    assert win.model_panel.models.findData("tiny-bert") >= 0  # offered in the model list as bundled
    _load(qtbot, win, "tiny-bert")
    lab = win.lab
    qtbot.waitUntil(lambda: lab.controller.lm is not None and lab.controller.lm.name == "tiny-bert",
                    timeout=LOAD_MS)
    assert lab.tabs.tabText(lab.tabs.currentIndex()) == "masked fill"  # the lab turns to it by itself
    view = lab.masked
    assert view.text.text() == TEXT  # the example is this model's kind of sentence
    with qtbot.waitSignal(view.filled, timeout=LOAD_MS):
        view.go.click()
    lm = win.session.lm
    ids = lm.tokenizer.encode(TEXT).ids
    mask = ids.index(lm.cfg.mask_token_id)
    (top,) = next(fill_masks(lm.model, ids, top_k=5)).top.values()
    cells = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert cells == [f"{lm.tokenizer.token_strings([i])[0]}  {p:.4f}" for i, p in top]
    assert cells[0].startswith("cross  ")
    assert view.table.horizontalHeaderItem(0).text() == f"[MASK] @ {mask}"
    assert "no" not in view.why.text().split()  # it says what it shows, not why it cannot
    # the attention of the [MASK] position, for the layer and head chosen
    view.layer.setValue(lm.cfg.n_layers - 1)
    view.head.setValue(1)
    name = f"blocks.{lm.cfg.n_layers - 1}.attn.hook_pattern"
    pat = run(lm.model, ids, capture=Capture(names=[name]))[name][0, 1].numpy()  # [query, key]
    np.testing.assert_allclose(view.attn.data, pat, rtol=0, atol=1e-6)
    np.testing.assert_allclose(view.mask_rows[mask], pat[mask], rtol=0, atol=1e-6)
    said = view.mask_attention.text()
    best = int(np.argmax(pat[mask]))
    top_key = f"‘{lm.tokenizer.token_strings([ids[best]])[0]}’@{best} {pat[mask, best]:.3f}"
    assert f"[MASK] @ {mask} attends to</b> (layer {lm.cfg.n_layers - 1}, head 1): {top_key} · " in said
    assert view.mask_attention.isVisible() and view.table.isVisible()


def test_output_panel_calls_mlm_logits_the_token_at_a_position(qtbot, win):
    from tests.gui.test_main_window import _type_and_run

    _load(qtbot, win, "tiny-bert")
    _type_and_run(qtbot, win, TEXT)
    win.session.set_position(6)  # the [MASK]
    qtbot.waitUntil(lambda: "position 6" in win.output.note.text(), timeout=LOAD_MS)
    note = win.output.note.text()
    assert note.startswith("token at position 6 ‘[MASK]’ as the masked-LM head predicts it")
    assert "next token" not in note
    assert win.output.top["tokens"][0] == "cross"
