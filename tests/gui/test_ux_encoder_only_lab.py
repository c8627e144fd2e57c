"""An encoder-only model in the lab: no Next token / Generate N / decoding knobs on screen, one
line saying why and what it does instead, a button to the masked fill tab; a decoder brings the
controls back."""
from __future__ import annotations

import pytest

from engine import load_model
from engine.loading.sources import RESOURCES
from gui.lab.lab_widget import LabWidget


@pytest.mark.skipif(not (RESOURCES / "tiny-bert" / "config.json").is_file(), reason="tiny-bert is not bundled")
def test_encoder_only_model_hides_generation_and_offers_masked_fill(qtbot, loaded_gpt):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.resize(1300, 520)
    lab.show()
    qtbot.waitExposed(lab)
    p = lab.panel
    assert p.next_btn.isVisible() and p.gen_btn.isVisible() and p.strategy.isVisible()
    lab.show_tab("stages")
    lab.set_model(load_model("tiny-bert", device="cpu"), "tiny-bert")
    for w in (p.next_btn, p.gen_btn, p.stop_btn, p.n, p.strategy, p.knobs_area):
        assert not w.isVisible()
    said = p.no_generation.text()
    assert p.no_generation.isVisible() and said.startswith("tiny-bert is encoder-only")
    assert "Next token / Generate N" in said and "[MASK]" in said
    assert p.open_fill.isVisible()
    assert "encoder-only" not in p.state.text()  # said once, not again in the state line
    top = p.mapTo(lab, p.open_fill.geometry().bottomLeft()).y()
    assert top < lab.height()  # on screen, not below the fold
    lab.show_tab("stages")
    p.open_fill.click()
    assert lab.tabs.tabText(lab.tabs.currentIndex()) == "masked fill"
    lab.set_model(loaded_gpt, "gpt")  # a decoder: the controls come back, the line goes
    assert p.next_btn.isVisible() and p.gen_btn.isVisible() and p.knobs_area.isVisible()
    assert not p.no_generation.isVisible() and not p.open_fill.isVisible()
