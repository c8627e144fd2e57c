"""Head ablation, translation cross-attention, masked fill and chart export in the lab."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import Capture, run
from engine.decoding import Generation, GenerationOptions
from engine.interventions import HeadEdit, head_interventions
from gui.export import export_widget
from gui.lab.lab_widget import LabWidget
from tests.gui.lab_models import loaded_translator  # noqa: F401 - fixture

PROMPT = "The animal didn't cross the street"
WAIT = 60000


@pytest.fixture
def lab(qtbot):
    w = LabWidget()
    qtbot.addWidget(w)
    w.resize(1400, 800)
    yield w
    w.controller.jobs.wait(5000)


def test_ablating_a_head_changes_the_chart_as_the_engine_predicts(qtbot, lab, loaded_gpt):
    lab.set_model(loaded_gpt)
    lab.panel.prompt.setText(PROMPT)
    ab = lab.ablation
    ab.cycle(1, 0)  # off -> zero
    ab.cycle(0, 1)
    ab.cycle(0, 1)  # off -> zero -> mean
    assert ab.modes == {(1, 0): "zero", (0, 1): "mean"}
    with qtbot.waitSignal(ab.resultReady, timeout=WAIT):
        ab.apply_btn.click()
    ids = loaded_gpt.tokenizer.encode(PROMPT).ids
    edits = [HeadEdit(0, 1, "mean"), HeadEdit(1, 0, "zero")]
    m = loaded_gpt.model
    for bars, iv in ((ab.before, None), (ab.after, head_interventions(m, edits))):
        p = torch.softmax(run(m, ids, interventions=iv).output[0, -1].float(), dim=-1)
        vals, idx = torch.topk(p, bars.n)
        assert bars.ids == idx.tolist()
        np.testing.assert_allclose(bars.bars.opts["width"], vals.numpy(), rtol=0, atol=1e-6)
    assert not np.allclose(ab.before.probs, ab.after.probs, atol=1e-4)  # the edit changed the chart
    ab.reset_btn.click()
    assert ab.modes == {} and ab.after.ids == ab.before.ids


def test_translation_grows_a_cross_attention_row_per_token(qtbot, lab, loaded_translator):
    lm = loaded_translator
    lab.set_model(lm)
    assert lab.tabs.tabText(lab.tabs.currentIndex()) == "translation"
    lab.panel.max_new.setValue(8)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.translation.example.click()  # "je suis étudiant"
    src = lm.tokenizer.encode("je suis étudiant").ids
    cap = Capture(names=["*cross_attn.hook_pattern"])
    gen = Generation(lm.model, src, GenerationOptions(strategy="greedy", max_new_tokens=8, capture=cap))
    L = lm.cfg.n_decoder_layers - 1
    rows = [ev.trace[f"decoder.blocks.{L}.cross_attn.hook_pattern"][0, 1, -1].numpy() for ev in gen]  # [src]
    tv = lab.translation
    tv.layer.setValue(L)
    tv.head.setCurrentIndex(2)  # head 1
    np.testing.assert_allclose(tv.matrix(), np.stack(rows), rtol=0, atol=1e-6)
    assert tv.src == lm.tokenizer.token_strings(src)
    assert len(tv.tgt) == len(gen.sequences[0].ids) == tv.map.data.shape[0]


def test_model_without_mlm_head_says_why_and_still_shows_attention(qtbot, lab):
    from engine import load_model
    from engine.errors import PlaygroundError

    try:
        lm = load_model("minilm-l6", device="cpu")
    except PlaygroundError as e:
        pytest.fail(f"the minilm-l6 pack should be installed in the venv: {e}")
    lab.set_model(lm)
    assert lab.tabs.tabText(lab.tabs.currentIndex()) == "masked fill"
    with qtbot.waitSignal(lab.masked.filled, timeout=WAIT):
        lab.masked.go.click()
    assert "no masked-LM head" in lab.masked.why.text()
    ids = lm.tokenizer.encode(lab.masked.text.text()).ids
    want = run(lm.model, ids, capture=Capture(names=["blocks.0.attn.hook_pattern"]))["blocks.0.attn.hook_pattern"][0, 0]
    np.testing.assert_allclose(lab.masked.attn.data, want.numpy(), rtol=0, atol=1e-6)


def test_export_png_and_svg(qtbot, lab, loaded_gpt, tmp_path):
    lab.show()
    lab.set_model(loaded_gpt)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.next_btn.click()
    png = export_widget(lab.bars, tmp_path / "bars.png")
    svg = export_widget(lab.bars, tmp_path / "bars.svg")
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert (img.width(), img.height()) == (lab.bars.grab().width(), lab.bars.grab().height())
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    assert f"{lab.bars.probs[0]:.4f}" in text  # the value text is a vector string, not pixels
    assert not list(tmp_path.glob("*.part"))


def test_an_empty_timeline_shows_steps_from_zero_then_follows_the_data(qtbot):
    from gui.lab.timeline import Timeline

    t = Timeline()
    qtbot.addWidget(t)
    t.show()
    assert t.plot.vb.viewRange()[0] == [0, 10]  # not pyqtgraph's default range around zero
    t.add(0, 0.5, 1.0)
    t.add(1, 0.3, 2.0)
    qtbot.waitUntil(lambda: t.plot.vb.viewRange()[0][1] < 2)  # auto-range on the two steps


def test_ablation_says_how_to_choose_heads_and_applies_only_with_one_chosen(qtbot, lab, loaded_gpt):
    lab.set_model(loaded_gpt)
    ab = lab.ablation
    assert "click a cell" in ab.hint.text() and "head" in ab.hint.text()
    assert not ab.apply_btn.isEnabled() and "at least one head" in ab.note.text()
    with qtbot.assertNotEmitted(ab.resultReady, wait=0):
        ab.apply()  # e.g. a shortcut: nothing chosen, no job, a word instead
    assert ab.result is None and "at least one head" in ab.note.text()
    ab.cycle(1, 2)
    assert ab.apply_btn.isEnabled()
    for _ in range(3):  # zero -> mean -> scale -> off
        ab.cycle(1, 2)
    assert ab.modes == {} and not ab.apply_btn.isEnabled()
    ab.cycle(0, 0)
    with qtbot.waitSignal(ab.resultReady, timeout=WAIT):
        ab.apply_btn.click()
    qtbot.waitUntil(lambda: ab.apply_btn.isEnabled())  # enabled again once the job is done
    ab.reset_btn.click()
    assert not ab.apply_btn.isEnabled()


def test_timeline_steps_are_whole_numbers_and_the_legend_covers_no_data(qtbot):
    import pyqtgraph as pg

    from gui.lab.timeline import Timeline

    t = Timeline()
    qtbot.addWidget(t)
    t.resize(500, 260)
    t.show()
    for step, p in enumerate((0.9, 0.4, 0.7)):
        t.add(step, p, 1.0)
    vb = t.plot.vb
    qtbot.waitUntil(lambda: vb.viewRange()[0][1] < 3)  # auto-range on three steps: pyqtgraph would tick halves
    axis = t.plot.getAxis("bottom")
    lo, hi = vb.viewRange()[0]
    values = [v for _, vs in axis.tickValues(lo, hi, axis.geometry().width()) for v in vs]
    assert values and all(float(v).is_integer() for v in values), values
    area = vb.sceneBoundingRect()
    legends = [i for i in t.scene().items() if isinstance(i, pg.LegendItem) and i.isVisible()]
    assert all(not i.sceneBoundingRect().intersects(area) for i in legends)
    title = t.plot.titleLabel
    assert "p(chosen)" in title.text and "entropy" in title.text
    assert not title.sceneBoundingRect().intersects(area)
