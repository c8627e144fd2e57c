"""Before any data the lab shows a sentence or a chart's real empty range, never made-up axes;
the data replaces the sentence. The translation tab's head box fits its longest entry."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from gui.lab.lab_widget import LabWidget
from gui.lab.prob_bars import ProbBars
from gui.lab.timeline import Timeline
from gui.lab.training_view import IDLE, STARTING, TrainingView
from gui.lab.translation_view import MEAN, TranslationView

WAIT = 120000


def test_training_view_says_what_to_do_until_the_first_report(qtbot):
    tv = TrainingView()
    qtbot.addWidget(tv)
    tv.resize(1000, 500)
    tv.show()
    assert not tv.placeholder.showing_chart and tv.placeholder.label.text() == IDLE
    with qtbot.waitSignal(tv.finished, timeout=WAIT):
        tv.start(20)
        assert not tv.placeholder.showing_chart and tv.placeholder.label.text() == STARTING
    assert tv.placeholder.showing_chart
    assert tv.pred.data.shape == (len(tv.run.labels), tv.target.data.shape[1])  # the charts hold the run
    with qtbot.waitSignal(tv.finished, timeout=WAIT):
        tv.start(20)
        assert not tv.placeholder.showing_chart  # a new run hides the last run's charts until it reports


def test_empty_bar_chart_and_timeline_show_their_real_ranges(qtbot):
    bars, tl = ProbBars(n=12), Timeline()
    for w in (bars, tl):
        qtbot.addWidget(w)
        w.resize(400, 300)
        w.show()
    assert bars.plot.vb.viewRange()[0] == pytest.approx([0, 1])  # probability 0..1
    assert bars.plot.getAxis("left")._tickLevels == [[]]  # no token, no label (not 0, 5, 10)
    (x0, x1), (y0, y1) = tl.plot.vb.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((0, 10, 0, 1))  # steps 0..10, probability 0..1
    bars.set_bars(["a", "b"], [0.6, 0.3])
    assert [t for _, t in bars.plot.getAxis("left")._tickLevels[0]] == ["a  0.6000", "b  0.3000"]
    bars.clear_bars()
    assert bars.plot.getAxis("left")._tickLevels == [[]]


def test_empty_lab_heatmaps_are_sentences(qtbot, loaded_gpt):
    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.resize(1400, 800)
    lab.show()
    boxes = {"translation": lab.translation.placeholder, "attention": lab.masked.attn_box,
             "embeddings": lab.masked.embed_box, "training": lab.training.placeholder}
    assert [k for k, b in boxes.items() if b.showing_chart] == []
    assert not any(c.isVisibleTo(lab.stages) for c in lab.stages.charts)  # no stage charts before a step
    lab.set_model(loaded_gpt)  # a model change clears back to the sentences
    assert [k for k, b in boxes.items() if b.showing_chart] == []


def test_translation_heatmap_replaces_its_sentence_row_by_row(qtbot):
    tv = TranslationView()
    qtbot.addWidget(tv)
    tv.show()
    tv.reset(["je", "suis"], 2, 2)
    assert not tv.placeholder.showing_chart and tv.map.data.size == 0  # no zeros posing as attention
    tv.add_row("i", np.full((2, 2, 2), 0.5))
    assert tv.placeholder.showing_chart and tv.map.data.shape == (1, 2)
    tv.clear()
    assert not tv.placeholder.showing_chart


def test_head_box_is_wide_enough_for_its_longest_entry(qtbot):
    tv = TranslationView()
    qtbot.addWidget(tv)
    tv.resize(420, 300)
    tv.show()
    QApplication.processEvents()  # laid out before any model, as in the app: then the heads come
    tv.reset(["je"], 1, 12)
    texts = [tv.head.itemText(i) for i in range(tv.head.count())]
    assert texts[0] == MEAN and "head 11" in texts
    widest = max(QFontMetrics(tv.head.font()).horizontalAdvance(t) for t in texts)
    qtbot.waitUntil(lambda: tv.head.width() >= widest + 20)  # text plus the arrow
