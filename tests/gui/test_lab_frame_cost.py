"""The lab's live charts stay cheap per frame: the timeline ranges itself (one paint per redraw, not
pyqtgraph's auto-range, which re-ranges inside the paint and paints again) and moves its axes on
a few frames of a run, not on every one (each move regenerates both axes' ticks)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from gui.lab.timeline import Timeline


class _Paints(QObject):
    def __init__(self):
        super().__init__()
        self.n = 0

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        if ev.type() == QEvent.Paint:
            self.n += 1
        return False


def _drawn():
    for _ in range(5):  # queued scene updates, then the paint they ask for, then anything a paint queued
        QApplication.processEvents()


def _shown(qtbot) -> Timeline:
    t = Timeline()
    qtbot.addWidget(t)
    t.resize(500, 260)
    t.show()
    qtbot.waitExposed(t)
    _drawn()
    return t


def test_a_live_timeline_moves_its_axes_on_few_frames_and_keeps_every_point_in_view(qtbot):
    t = _shown(qtbot)
    ranges = []
    for step in range(64):
        t.add(step, 0.5 + 0.4 * (step % 2), 0.1 * step)  # entropy grows to 6.3 nats (9.1 bits)
        _drawn()
        ranges.append(tuple(tuple(r) for r in t.plot.vb.viewRange()))
        (x0, x1), (y0, y1) = ranges[-1]
        assert x0 <= 0 and x1 >= step and y0 <= 0 and y1 >= max(max(t.p), max(t.h)), (step, ranges[-1])
    assert len(set(ranges)) <= 24, len(set(ranges))  # auto-range moved them on all 64 frames
    (x0, x1), _ = ranges[-1]
    assert x1 - x0 < 64 * 1.5  # headroom, not a view mostly empty


def test_a_timeline_redraw_paints_the_plot_once(qtbot):
    t = _shown(qtbot)
    for step in range(3):
        t.append(step, 0.5, 1.0)
    paints = _Paints()
    t.viewport().installEventFilter(paints)
    t.redraw()  # a frame: new points and a new range
    _drawn()
    assert paints.n == 1, paints.n
