"""A short or narrow lab degrades gracefully: bar charts show the top bars that fit and say so,
the timeline's titles shorten instead of being clipped, charts keep a legible minimum (the
dock scrolls), and the lab fits the default window's dock width."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from gui.lab.lab_widget import LabWidget
from gui.lab.prob_bars import MIN_HEIGHT, ROW_PX, ProbBars
from gui.lab.timeline import LEGEND, LEGEND_2, Y_TITLES, Timeline
from gui.views.heatmap import Heatmap

DOCK_WIDTH = 768  # the lab dock's width in the default 1500 × 950 window


def _shown(qtbot, w, width, height):
    qtbot.addWidget(w)
    w.resize(width, height)
    w.show()
    return w


def test_a_short_bar_chart_shows_the_bars_that_fit_and_says_so(qtbot):
    bars = _shown(qtbot, ProbBars(n=12), 400, MIN_HEIGHT)
    bars.set_bars([f"t{i}" for i in range(12)], [0.5 / (i + 1) for i in range(12)])
    axis = bars.plot.getAxis("bottom")
    qtbot.waitUntil(lambda: bars.rows < 12 and f"top {bars.rows} of 12" in axis.labelText)
    assert bars.rows * ROW_PX <= bars.plot.vb.height() + ROW_PX  # no label drawn over another
    assert bars.plot.vb.viewRange()[1][1] < 12 - 0.5  # the y range holds only those rows
    bars.resize(400, 600)
    qtbot.waitUntil(lambda: bars.rows == 12 and axis.labelText == "probability")


def test_a_small_timeline_shortens_its_titles_instead_of_clipping_them(qtbot):
    tl = _shown(qtbot, Timeline(), 600, 400)
    left = tl.plot.getAxis("left")
    qtbot.waitUntil(lambda: left.labelText == Y_TITLES[0] and tl.plot.titleLabel.text == LEGEND)
    tl.resize(180, 140)
    qtbot.waitUntil(lambda: left.labelText != Y_TITLES[0] and tl.plot.titleLabel.text == LEGEND_2)
    fm = QFontMetricsF(left.label.font())
    assert fm.horizontalAdvance(left.labelText) <= tl.plot.vb.height()  # the axis title fits its axis


def _short_dock(qtbot) -> tuple[LabWidget, QScrollArea]:
    """A lab in a scroll area (as gui/lab/__init__.py docks it), 230 px high."""
    lab = LabWidget()
    area = QScrollArea()
    area.setWidget(lab)
    area.setWidgetResizable(True)
    _shown(qtbot, area, DOCK_WIDTH, 230)
    return lab, area


def test_a_short_dock_scrolls_and_the_charts_keep_their_minimum(qtbot):
    lab, area = _short_dock(qtbot)
    qtbot.waitUntil(lambda: lab.bars.height() >= MIN_HEIGHT and lab.timeline.height() >= MIN_HEIGHT - 10)
    assert lab.height() > area.viewport().height()  # it scrolls rather than squashing the charts
    assert lab.tabs.height() >= 200
    room = DOCK_WIDTH - area.verticalScrollBar().sizeHint().width()
    assert lab.minimumSizeHint().width() <= room  # no sideways scrolling in the default window


def _wheel_down(widget: QWidget, pos: QPointF) -> QWidget | None:
    """Deliver a wheel step (down) at `pos` in `widget` as Qt delivers one from the mouse: to the
    widget under the cursor, then up its parents until one accepts it; return that one. (A wheel
    event sent from code is not propagated by Qt, so the test walks the parents itself.)"""
    w = widget
    while w is not None:
        ev = QWheelEvent(pos, QPointF(w.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, -120), Qt.NoButton,
                         Qt.NoModifier, Qt.NoScrollPhase, False)
        ev.ignore()
        if QApplication.sendEvent(w, ev) and ev.isAccepted():
            return w
        if w.isWindow():
            return None
        pos = pos + QPointF(w.pos())
        w = w.parentWidget()
    return None


def test_the_wheel_over_a_lab_heatmap_scrolls_the_dock_instead_of_zooming(qtbot):
    lab, area = _short_dock(qtbot)
    maps = [w for w in lab.findChildren(QWidget) if isinstance(w, Heatmap)]
    assert len(maps) >= 6 and not any(h.zoomable for h in maps)  # translation, masked fill, training
    h = lab.masked.attn
    h.set_matrix(np.eye(3), list("abc"), list("abc"), row_name="query", col_name="key", diverging=False)
    lab.masked.attn_box.show_chart()
    lab.show_tab("masked fill")
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: h.isVisible() and h.viewport().height() > 20 and bar.maximum() > 0)
    assert bar.value() == 0
    view = h.plot.vb.viewRange()
    centre = QPointF(h.viewport().width() / 2, h.viewport().height() / 2)
    assert _wheel_down(h.viewport(), centre) is area.viewport()  # not taken by the heatmap on the way
    assert bar.value() > 0  # the dock scrolled
    assert h.plot.vb.viewRange() == view  # and the heatmap did not zoom


def test_a_long_token_label_is_shortened_to_the_axis_not_dropped(qtbot):
    """pyqtgraph drops a tick label wider than its axis: '<|endoftext|>  0.9999' went unlabelled."""
    bars = _shown(qtbot, ProbBars(n=4), 400, MIN_HEIGHT)
    bars.set_bars(["<|endoftext|>", "WWWWWWWWWWWW", "a"], [0.9, 0.06, 0.04], chosen=0)
    axis = bars.plot.getAxis("left")
    fm = QFontMetricsF(axis.style.get("tickFont") or axis.font())
    (ticks,) = axis._tickLevels  # what the axis was given to draw
    assert [t.endswith(f"  {p:.4f}") for (_, t), p in zip(ticks, (0.9, 0.06, 0.04))] == [True] * 3
    assert ticks[0][1].startswith("<|endo") and ticks[2][1] == "a  0.0400"
    assert max(fm.horizontalAdvance(t) for _, t in ticks) <= axis.width() - axis.style["tickTextOffset"][0]
