"""File > Export current view… (Ctrl+E) and the docks' Export: the on-screen view of a real run,
to PNG or SVG, written atomically; a failure is the window's error dialog and changes nothing."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

import gui.export as exporter
from gui.main_window import MainWindow
from gui.views.attention import AttentionView
from tests.gui.test_main_window import LOAD_MS, PROMPT, SOFTMAX0, _type_and_run, win  # noqa: F401 - fixture


def _at_softmax(qtbot, w: MainWindow) -> AttentionView:
    _type_and_run(qtbot, w, PROMPT)
    w.inspector.head.setValue(1)
    if w.session.current_name() != SOFTMAX0:
        with qtbot.waitSignal(w.inspector.viewShown, timeout=LOAD_MS, check_params_cb=lambda n: n == SOFTMAX0):
            w.session.goto(SOFTMAX0)
    view = w.inspector.current_view
    assert isinstance(view, AttentionView)
    return view


def _pixels(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format_RGB32)
    return np.frombuffer(img.constBits(), np.uint32, img.width() * img.height()).copy()


def test_export_png_is_the_views_picture_and_svg_is_vector(qtbot, win, tmp_path):
    w = win
    view = _at_softmax(qtbot, w)
    out = w.export_view(tmp_path / "pics" / "softmax.png")
    assert out == tmp_path / "pics" / "softmax.png" and out.is_file()
    img = QImage(str(out))
    assert not img.isNull()
    dpr = view.devicePixelRatioF()
    assert (img.width(), img.height()) == (round(view.width() * dpr), round(view.height() * dpr))
    px = _pixels(img)
    assert len(np.unique(px)) > 20  # a heatmap, labels and axes, not a flat fill
    np.testing.assert_array_equal(px, _pixels(view.grab().toImage()))  # exactly what is on screen
    assert w.statusBar().currentMessage() == f"saved {out}"
    assert w.settings.value("exportFolder") == str((tmp_path / "pics").resolve())

    svg = w.export_view(tmp_path / "softmax.svg")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "<image" in text  # the heatmap stays an exact image inside
    assert not list(tmp_path.rglob("*.part"))
    assert not w.error_box.isVisible()


def test_export_the_output_and_attention_grid_docks(qtbot, win, tmp_path):
    w = win
    _at_softmax(qtbot, w)
    qtbot.waitUntil(lambda: w.output.top is not None and bool(w.grid.names), timeout=LOAD_MS)
    for title, widget in (("Output", w.output), ("Attention grid", w.grid)):
        out = w.export_view(tmp_path / f"{title}.png", title)
        img = QImage(str(out))
        whole = getattr(widget, "whole_size", None)  # the grid exports all its rows, not the scrolled part
        assert (img.width(), img.height()) == (whole() if whole else (widget.grab().width(), widget.grab().height()))
        assert len(np.unique(_pixels(img))) > 10
        assert w.export_acts[title] in w.dock_menu(w.docks[title]).actions()  # its dock's context menu


def test_ctrl_e_exports_through_the_file_dialog_and_remembers_the_folder(qtbot, win, tmp_path, monkeypatch):
    w = win
    _at_softmax(qtbot, w)
    asked = []

    def fake_dialog(parent, caption, start, filters):
        asked.append(start)
        return str(tmp_path / "chosen"), "SVG image (*.svg)"  # no suffix typed: the filter's is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    assert w.export_acts["view"].shortcut().toString() == "Ctrl+E"
    w.navigator.setFocus()
    qtbot.keyClick(w.navigator, Qt.Key_E, Qt.ControlModifier)
    assert (tmp_path / "chosen.svg").is_file()
    assert asked[0].endswith("blocks.0.attn.pattern_head1.png")
    qtbot.keyClick(w.navigator, Qt.Key_E, Qt.ControlModifier)
    assert asked[1].startswith(str(tmp_path.resolve()))  # the last folder, from the window's settings


def test_a_failed_export_shows_the_error_leaves_no_file_and_the_app_runs_on(qtbot, win, tmp_path, monkeypatch):
    w = win
    _at_softmax(qtbot, w)
    tmp_path = tmp_path / "out"  # the window's settings file lives in the test's tmp_path
    tmp_path.mkdir()
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file")
    with qtbot.waitSignal(w.errorShown, timeout=5000) as sig:
        assert w.export_view(blocker / "x.png") is None
    assert "Could not export" in sig.args[0] and not w.error_box.isModal()
    assert blocker.read_text() == "a file" and set(tmp_path.iterdir()) == {blocker}

    kept = tmp_path / "kept.png"
    kept.write_bytes(b"the previous picture")

    def fails_halfway(widget, tmp):
        with open(tmp, "wb") as f:
            f.write(b"\x89PNG half")
        raise OSError("disk full")

    monkeypatch.setitem(exporter.WRITERS, ".png", fails_halfway)
    with qtbot.waitSignal(w.errorShown, timeout=5000) as sig:
        assert w.export_view(kept) is None
    assert "disk full" in sig.args[0]
    assert kept.read_bytes() == b"the previous picture"  # the old file is untouched
    assert set(tmp_path.iterdir()) == {kept, blocker}  # no temp file left behind

    _type_and_run(qtbot, w, PROMPT + " again")  # the window still works
    assert w.session.store.prompt == PROMPT + " again"
    assert w.export_acts["view"].isEnabled()


def test_nothing_to_export_before_a_run(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    assert not any(a.isEnabled() for a in w.export_acts.values())
    assert w.export_view(tmp_path / "x.png") is None
    assert w.export_view(tmp_path / "y.png", "Output") is None
    assert w.statusBar().currentMessage() == "nothing to export yet: run a prompt first"
    assert not (tmp_path / "x.png").exists() and not (tmp_path / "y.png").exists()
    w.close()


def test_the_exported_heatmap_cells_have_the_colours_of_the_traced_pattern(qtbot, win, tmp_path):
    """Each cell's pixel in the PNG is the viridis colour of that query/key's softmax weight in the
    trace (head 1 of layer 0): pointing the view at another head or layer fails this."""
    from tests.gui.pixels import cell_points, rgb_at, viridis

    view = _at_softmax(qtbot, win)
    pattern = win.session.store[SOFTMAX0][0, 1].float().numpy()  # [batch, head, q, k] -> [q, k]
    n = pattern.shape[0]
    cells = [(r, c) for r in range(n) for c in range(n)]
    out = win.export_view(tmp_path / "softmax.png")
    points = cell_points(view, view.heatmap, cells)  # after the export's paint: the view's transforms are laid out
    got, want = rgb_at(out, points), viridis(pattern.ravel())
    bad = [cells[i] for i in np.flatnonzero(np.abs(got - want).max(axis=1) > 8)]
    assert not bad, bad
