"""Staggered UI updates: order, coalescing, idle work, and isolation of a failing update."""
from __future__ import annotations

from PySide6.QtCore import QTimer

from gui.staggered import Staggered


def test_updates_run_later_in_order_and_a_newer_one_replaces_the_waiting_one(qtbot):
    s = Staggered()
    ran: list[str] = []
    s.later("bars", lambda: ran.append("bars v1"))
    s.later("stage 0", lambda: ran.append("stage 0"))
    s.later("bars", lambda: ran.append("bars v2"))  # keeps the first "bars" place
    assert ran == []  # nothing runs inside the caller's turn
    with qtbot.waitSignal(s.drained, timeout=2000):
        pass
    assert ran == ["bars v2", "stage 0"]


def test_last_moves_a_done_signal_behind_everything_queued(qtbot):
    s = Staggered()
    ran: list[str] = []
    s.later("shown", lambda: ran.append("shown"), last=True)
    s.later("bars", lambda: ran.append("bars"))
    s.later("shown", lambda: ran.append("shown"), last=True)
    with qtbot.waitSignal(s.drained, timeout=2000):
        pass
    assert ran == ["bars", "shown"]


def test_other_events_run_between_updates(qtbot):
    """A timer queued after three updates fires before the last of them: one update per turn."""
    s = Staggered()
    ran: list[str] = []
    for k in ("a", "b", "c"):
        s.later(k, lambda k=k: ran.append(k))
    QTimer.singleShot(0, lambda: ran.append("timer"))
    qtbot.waitUntil(lambda: len(ran) == 4, timeout=2000)
    assert ran.index("timer") < ran.index("c")


def test_idle_work_waits_for_the_queue_and_is_not_waited_for(qtbot):
    s = Staggered()
    ran: list[str] = []
    s.when_idle("warm", lambda: ran.append("warm"))
    s.later("bars", lambda: ran.append("bars"))
    assert s.pending == ["bars"]
    qtbot.waitUntil(lambda: ran == ["bars", "warm"], timeout=2000)


def test_a_failing_update_does_not_stop_the_others(qtbot, caplog):
    s = Staggered()
    ran: list[str] = []
    s.later("bad", lambda: 1 / 0)
    s.later("good", lambda: ran.append("good"))
    with qtbot.waitSignal(s.drained, timeout=2000):
        pass
    assert ran == ["good"]
    assert "ZeroDivisionError" in caplog.text

