"""The decoding lab on the BART family: a tiny random BART (summarisation-style) and an M2M100
(translation with a forced target-language token) open on the translation tab, generate, and
draw one cross-attention row per generated token, equal to the engine's own recorded patterns."""
from __future__ import annotations

import numpy as np
import pytest

from engine import Capture
from engine.decoding import Generation, GenerationOptions
from gui.lab.lab_widget import LabWidget
from tests.engine.parity import case_bart
from tests.engine.parity.test_parity import write_word_tokenizer

WAIT = 60000
SOURCE = "w5 w17 w33 w9 w41 w8 w60"
N = 5


@pytest.fixture
def lab(qtbot):
    w = LabWidget()
    qtbot.addWidget(w)
    w.resize(1400, 800)
    yield w
    w.controller.jobs.wait(5000)


def _folder(build, tmp_path):
    ref = build()
    ref.save_pretrained(tmp_path, safe_serialization=True)
    write_word_tokenizer(tmp_path)
    from engine import load_model

    return load_model(str(tmp_path), device="cpu")


@pytest.mark.parametrize("build", [case_bart.bart, case_bart.m2m100], ids=["bart", "m2m100"])
def test_lab_generates_with_live_cross_attention(qtbot, lab, tmp_path, build):
    lm = _folder(build, tmp_path)
    lab.set_model(lm)
    assert lab.tabs.tabText(lab.tabs.currentIndex()) == "translation"  # chosen by has_encoder
    lab.panel.prompt.setText(SOURCE)
    lab.panel.n.setValue(N)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.gen_btn.click()
    src = lm.tokenizer.encode(SOURCE).ids
    cap = Capture(names=["*cross_attn.hook_pattern"])
    gen = Generation(lm.model, src, GenerationOptions(max_new_tokens=lab.panel.max_new.value(), capture=cap))
    events = [ev for ev, _ in zip(gen, range(N))]
    L = lm.cfg.n_decoder_layers - 1
    rows = [ev.trace[f"decoder.blocks.{L}.cross_attn.hook_pattern"][0, 2, -1].numpy() for ev in events]  # [src]
    tv = lab.translation
    tv.layer.setValue(L)
    tv.head.setCurrentIndex(3)  # head 2
    np.testing.assert_allclose(tv.matrix(), np.stack(rows), rtol=0, atol=1e-6)
    assert tv.map.data.shape == (N, len(src))  # drawn: a row per generated token
    assert tv.src == lm.tokenizer.token_strings(src)
    forced = lm.model.forced_bos_id()
    assert tv.tgt[0] == lm.tokenizer.token_strings([forced])[0]  # <s> (BART) / the target language (M2M100)
    assert lab.controller.run.tokens[:N] == [c.token for ev in events for c in ev.candidates][:N]


def test_summarise_button_runs_a_pegasus_with_cross_attention(qtbot, lab, tmp_path):
    from gui.lab.translation_view import SUMMARY_EXAMPLE

    lm = _folder(case_bart.pegasus, tmp_path)
    lab.set_model(lm)
    lab.panel.max_new.setValue(4)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.translation.summary.click()
    assert lab.panel.prompt.text() == SUMMARY_EXAMPLE
    src = lm.tokenizer.encode(SUMMARY_EXAMPLE).ids
    cap = Capture(names=["*cross_attn.hook_pattern"])
    gen = Generation(lm.model, src, GenerationOptions(max_new_tokens=4, capture=cap))
    rows = [ev.trace["decoder.blocks.0.cross_attn.hook_pattern"][0].mean(0)[-1].numpy() for ev in gen]  # [src]
    tv = lab.translation
    tv.layer.setValue(0)
    tv.head.setCurrentIndex(0)  # mean of heads
    np.testing.assert_allclose(tv.matrix(), np.stack(rows), rtol=0, atol=1e-6)
    assert tv.map.data.shape == (4, len(src))


def test_summarise_button_follows_the_encoder_capability(qtbot, lab, loaded_gpt):
    lab.set_model(loaded_gpt, "tiny-gpt")
    assert not lab.translation.summary.isEnabled()  # no encoder: nothing to summarise with
