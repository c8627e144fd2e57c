"""The lab's live charts stay cheap per frame: the timeline ranges itself (one paint per redraw, not
pyqtgraph's auto-range, which re-ranges inside the paint and paints again) and moves its axes on
a few frames of a run, not on every one (each move regenerates both axes' ticks); frames are
paced by what they cost and coalesced, never queued behind each other."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
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


def _busy(seconds: float) -> None:
    """Use `seconds` of this thread's CPU (a chart that is dear to draw)."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_dear_frames_are_paced_and_coalesced_never_queued(qtbot, loaded_gpt, monkeypatch):
    """Steps arriving every 10 ms while a frame costs 40 ms of UI CPU: one frame draws at a time,
    the next waits until the charts have used at most UI_SHARE of the UI thread, and then draws
    every step that arrived meanwhile; the last frame holds every step."""
    from gui.lab import lab_charts
    from gui.lab.lab_calls import GenerationSettings, LiveGeneration
    from gui.lab.lab_widget import LabWidget

    lab = LabWidget()
    qtbot.addWidget(lab)
    lab.resize(1200, 700)
    lab.show()
    lab.set_model(loaded_gpt)
    settings = GenerationSettings(max_new_tokens=30)
    live = LiveGeneration(loaded_gpt, loaded_gpt.tokenizer.encode("The animal").ids, settings)
    events = []
    live.pull(30, events.append, lambda: False)  # the lab's own events for a run, made here
    charts, run = lab.controller.charts, lab.controller.run
    run.live, run.run_settings = live, settings
    monkeypatch.setattr(lab_charts, "UI_SHARE", 0.1)
    redraw = lab.timeline.redraw
    monkeypatch.setattr(lab.timeline, "redraw", lambda: (_busy(0.04), redraw()))
    overlapped = []
    flush = charts.flush
    monkeypatch.setattr(charts, "flush", lambda: (overlapped.append("timeline" in charts.stagger.pending), flush()))
    feed = QTimer()
    feed.setInterval(10)
    feed.timeout.connect(lambda: charts.receive(events.pop(0)) if events else feed.stop())
    feed.start()
    qtbot.waitUntil(lambda: not events and not charts.pending and not charts.stagger.pending, timeout=10000)
    assert lab.timeline.steps == list(range(30))  # every step drawn, none lost to coalescing
    assert not any(overlapped)  # a frame never started while the last one was still drawing
    assert len(charts.draw_times) <= 2, len(charts.draw_times)  # 100 ms frames would have drawn 3 or 4
    assert charts.frame_costs and min(charts.frame_costs) >= 0.04
