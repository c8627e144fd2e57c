"""`tplay render --view training`: the picture tells the steps it trained, labels every token
that fits, has no buttons, and needs no prompt."""
from __future__ import annotations

import argparse

import pytest

from engine.errors import InputError
from gui.lab import render as lab_render
from gui.lab.lab_widget import LabWidget
from gui.lab.token_heatmap import TokenHeatmap, every_kth, ordinal
from gui.lab.two_by_two import grid_is_better


def _args(**kw) -> argparse.Namespace:
    return argparse.Namespace(**{"view": "training", "train_steps": 20, "prompt": None, "prompt_file": None, **kw})


@pytest.fixture
def lab(qtbot):
    w = LabWidget()
    qtbot.addWidget(w)
    return w


def test_the_picture_says_the_steps_it_trained_and_has_no_buttons(qtbot, lab):
    tv = lab_render._training(lab, None, _args(train_steps=25), None)
    last = tv.history[-1]
    assert (last.step, last.total) == (25, 25) == (tv.result.steps_done, tv.steps.value())
    assert tv.note.text().startswith("step 25/25 ")
    tv.setParent(None)
    qtbot.addWidget(tv)
    tv.resize(1100, 700)
    tv.show()
    assert tv.controls.isHidden() and tv.placeholder.showing_chart
    assert tv.charts.is_grid  # 2×2 at this size: each heatmap wide enough for its tokens
    for h in (tv.pred, tv.target, tv.attn):  # every token labelled, once the layout has sized them
        qtbot.waitUntil(lambda h=h: h.every == (1, 1)
                        and [t for _, t in h.plot.getAxis("bottom")._tickLevels[0]] == [c[:12] for c in h.cols])


def test_train_steps_outside_the_boxs_range_is_one_clear_error(lab):
    with pytest.raises(InputError, match="--train-steps must be between 10 and 100000"):
        lab_render._training(lab, None, _args(train_steps=5), None)


def test_training_renders_without_a_prompt_but_the_model_views_need_one(tmp_path, qapp):
    out = tmp_path / "t.png"
    assert lab_render.render(_args(), out, (600, 400)) == 0 and out.stat().st_size > 0
    with pytest.raises(InputError, match="--view sampling needs --prompt"):
        lab_render.render(_args(view="sampling"), tmp_path / "s.png", (600, 400))


def test_ordinals_say_st_nd_rd_th_as_english_does():
    said = {k: ordinal(k) for k in (1, 2, 3, 4, 10, 11, 12, 13, 14, 21, 22, 23, 24, 101, 111, 112, 113, 122)}
    assert said == {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 10: "10th", 11: "11th", 12: "12th", 13: "13th",
                    14: "14th", 21: "21st", 22: "22nd", 23: "23rd", 24: "24th", 101: "101st", 111: "111th",
                    112: "112th", 113: "113th", 122: "122nd"}


def test_labels_that_do_not_fit_go_every_kth_and_the_axis_says_so(qtbot):
    assert every_kth([40.0] * 6, 20.0) == 3  # 40 px labels on 20 px cells: every 3rd fits
    assert every_kth([10.0] * 6, 20.0) == 1
    h = TokenHeatmap()
    qtbot.addWidget(h)
    h.resize(220, 220)
    h.show()
    words = ["goodbye", "student", "thanks", "merci", "étudiant", "teacher", "house", "hello"]
    h.set_matrix([[0.5] * 8], ["i"], words, row_name="target", col_name="token")
    qtbot.waitUntil(lambda: h.every[1] > 1)
    shown = [t for _, t in h.plot.getAxis("bottom")._tickLevels[0]]
    assert shown == words[::h.every[1]] and "every" in h.plot.getAxis("bottom").labelText
    h.resize(900, 220)
    qtbot.waitUntil(lambda: h.every[1] == 1 and h.plot.getAxis("bottom").labelText == "token")


def test_four_charts_go_2x2_when_tall_and_in_a_row_when_short():
    assert grid_is_better(1100, 620) and not grid_is_better(1200, 300)
