"""Acceptance: drive the real main window offscreen with the tiny GPT.

Reference values come from an independent engine.run on the same model (full capture), never
from the GUI's own trace.
"""
from __future__ import annotations

import threading
import types

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from engine import Capture, run
from gui import engine_calls
from gui.main_window import MainWindow
from gui.views.attention import AttentionView

PROMPT = "The animal didn't cross the street"
SOFTMAX0 = "blocks.0.attn.hook_pattern"
LOAD_MS = 60_000


def _load(qtbot, win: MainWindow, name: str) -> None:
    """Load through the model panel: pick the bundled model in the list, else open the folder."""
    with qtbot.waitSignal(win.session.modelChanged, timeout=LOAD_MS):
        if win.model_panel.models.findData(name) >= 0:
            win.model_panel.models.setCurrentIndex(win.model_panel.models.findData(name))
            qtbot.mouseClick(win.model_panel.load_btn, Qt.LeftButton)
        else:
            win.model_panel.open_path(name)


@pytest.fixture
def win(qtbot, tiny_gpt, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "tplay.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    w.model_panel.device.setCurrentText("cpu")
    _load(qtbot, w, tiny_gpt)
    w.prompt.set_text("")
    yield w
    w.close()  # shuts the session's worker down before the window is deleted


def _type_and_run(qtbot, w: MainWindow, text: str) -> None:
    w.prompt.edit.setFocus()
    w.prompt.set_text("")
    qtbot.keyClicks(w.prompt.edit, text)
    with qtbot.waitSignal(w.session.traceChanged, timeout=LOAD_MS):
        qtbot.keyClick(w.prompt.edit, Qt.Key_Return)
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)


def _press(qtbot, w: MainWindow, key, modifier=Qt.NoModifier) -> None:
    qtbot.keyClick(w.navigator, key, modifier)


def _reference(w: MainWindow, text: str):
    lm = w.session.lm
    return run(lm.model, lm.tokenizer.encode(text).ids, capture=Capture())


def _assert_shows(w: MainWindow, shown, text: str, name: str, index: tuple) -> None:
    """The view shows exactly the traced tensor, and that tensor is what an independent run on
    this thread records (within float rounding: the worker may use another torch thread count)."""
    np.testing.assert_array_equal(shown, w.session.store[name][index].numpy())
    np.testing.assert_allclose(shown, _reference(w, text)[name][index].numpy(), rtol=1e-5, atol=1e-6)


def test_step_to_layer0_head1_softmax_shows_the_traced_pattern(qtbot, win):
    w = win
    _type_and_run(qtbot, w, PROMPT)
    assert w.session.current_name() == "tokens"
    w.inspector.head.setValue(1)
    w.navigator.setFocus()
    for _ in range(len(w.session.store)):
        if w.session.current_name() == SOFTMAX0:
            break
        _press(qtbot, w, Qt.Key_F10)
    assert w.session.current_name() == SOFTMAX0
    qtbot.waitUntil(lambda: isinstance(w.inspector.current_view, AttentionView))
    view = w.inspector.current_view
    _assert_shows(w, view.heatmap.data, PROMPT, SOFTMAX0, (0, 1))  # [query, key] of head 1
    assert view.heatmap.rows == w.session.lm.tokenizer.token_strings(w.session.store.ids)
    assert w.navigator.currentItem().toolTip(0) == SOFTMAX0


def test_breakpoint_on_every_softmax_and_step_back(qtbot, win):
    w = win
    _type_and_run(qtbot, w, PROMPT)
    w.session.toggle_kind_breakpoint("hook_pattern")
    w.navigator.setFocus()
    _press(qtbot, w, Qt.Key_F5)
    assert w.session.current_name() == SOFTMAX0
    dots = [it.toolTip(0) for it in w.navigator.items if it.text(0).startswith("●")]
    assert dots == [n for n in w.session.store.order if n.endswith("attn.hook_pattern")]
    before = w.inspector.current_view.heatmap.data.copy()
    _press(qtbot, w, Qt.Key_F10)
    assert w.session.current_name() == "blocks.0.attn.hook_z"
    assert not isinstance(w.inspector.current_view, AttentionView)
    _press(qtbot, w, Qt.Key_F10, Qt.ShiftModifier)  # step back
    assert w.session.current_name() == SOFTMAX0
    assert isinstance(w.inspector.current_view, AttentionView)
    np.testing.assert_array_equal(w.inspector.current_view.heatmap.data, before)
    _press(qtbot, w, Qt.Key_F5)
    assert w.session.current_name() == "blocks.1.attn.hook_pattern"
    _press(qtbot, w, Qt.Key_F5, Qt.ShiftModifier)  # reset
    assert w.session.cursor == 0


def test_enter_reruns_and_keeps_the_named_step(qtbot, win):
    w = win
    _type_and_run(qtbot, w, PROMPT)
    w.session.goto("blocks.1.mlp.hook_post")
    _type_and_run(qtbot, w, PROMPT + " again")
    assert w.session.current_name() == "blocks.1.mlp.hook_post"
    assert w.session.store.prompt == PROMPT + " again"
    _assert_shows(w, w.inspector.current_view.row.maps[1].data, PROMPT + " again", "blocks.1.mlp.hook_post", (0,))


def test_corrupt_model_shows_a_dialog_and_the_old_model_still_works(qtbot, win, tmp_path):
    w = win
    old = w.session.lm
    bad = tmp_path / "corrupt"
    bad.mkdir()
    (bad / "config.json").write_text('{"architectures": ["GPT2LMHeadModel"], "n_embd": ')
    (bad / "model.safetensors").write_bytes(b"\x00garbage")
    with qtbot.waitSignal(w.errorShown, timeout=LOAD_MS) as sig:
        w.model_panel.open_path(str(bad))
    assert "Could not load" in sig.args[0]
    assert w.error_box.isVisible() and not w.error_box.isModal()
    assert w.session.lm is old
    w.error_box.accept()
    _type_and_run(qtbot, w, PROMPT)
    w.session.goto(SOFTMAX0)
    _assert_shows(w, w.inspector.current_view.heatmap.data, PROMPT, SOFTMAX0, (0, 0))


def test_cancel_mid_run_leaves_the_ui_usable(qtbot, win):
    w = win
    _type_and_run(qtbot, w, PROMPT)
    old_store = w.session.store
    started = threading.Event()

    def slow_run(lm, text, cursor, cancel, **kw):
        started.set()
        for _ in range(1000):  # hold the worker until the UI cancels (bounded: 10 s)
            if cancel():
                break
            threading.Event().wait(0.01)
        return engine_calls.run_prompt(lm, text, cursor, cancel, **kw)  # raises Cancelled at once

    w.session.calls = types.SimpleNamespace(**{**vars(engine_calls), "run_prompt": slow_run})
    with qtbot.waitSignal(w.session.runCancelled, timeout=LOAD_MS):
        w.prompt.set_text(PROMPT + " never shown")
        w.prompt.run_btn.click()
        qtbot.waitUntil(started.is_set)
        assert w.act["cancel"].isEnabled()
        w.act["cancel"].trigger()
    qtbot.waitUntil(lambda: not w.session.busy)
    assert w.session.store is old_store
    assert not w.prompt.cancel_btn.isEnabled() and w.prompt.run_btn.isEnabled()
    w.session.calls = engine_calls
    _type_and_run(qtbot, w, "merci")
    assert w.session.store.prompt == "merci"


def test_a_failed_run_keeps_its_error_until_the_next_run(qtbot, win):
    w = win
    _type_and_run(qtbot, w, PROMPT)
    w.prompt.set_text("")
    with qtbot.waitSignal(w.session.runFailed, timeout=LOAD_MS) as sig:
        w.prompt.run_btn.click()
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)
    assert "empty" in sig.args[0]
    shown = w.prompt.state.text()
    assert "empty" in shown and "previous run" in shown  # still there after the run ended
    assert w.statusBar().currentMessage() == sig.args[0]
    _type_and_run(qtbot, w, "merci")
    assert w.prompt.state.text() == "" and w.statusBar().currentMessage() == ""


def test_settings_and_help(qtbot, win, tmp_path):
    w = win
    w.save_settings()
    st = w.settings
    assert st.value("model") == w.session.lm.name
    assert st.value("device") == "cpu"
    assert st.value("windowState") is not None
    w2 = MainWindow(settings=QSettings(st.fileName(), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w2)
    with qtbot.waitSignal(w2.session.infoReady, timeout=LOAD_MS):
        w2.start()
    assert w2.model_panel.models.currentData() == w.session.lm.name
    assert w2.model_panel.device.currentText() == "cpu"
    w2.close()
    text = w.shortcuts_text()
    for key in ("F10", "Shift+F10", "F5", "F9", "Ctrl+F9", "Ctrl+F10", "Shift+F5"):
        assert any(line.split()[0] == key for line in text.splitlines()), key
    help_menu = [a for a in w.menuBar().actions() if a.text() == "&Help"][0].menu()
    assert "Keyboard shortcuts" in [a.text() for a in help_menu.actions()]


def test_device_picker_says_why_a_gpu_is_unavailable(qtbot, win):
    from engine.device import device_report

    report = device_report()
    combo = win.model_panel.device
    for i in range(combo.count()):
        name = combo.itemText(i)
        if name in report and report[name]:
            assert not combo.model().item(i).isEnabled()
            assert combo.model().item(i).toolTip() == report[name]
            assert report[name] in win.model_panel.device_label.text()


def test_grid_thumbnail_click_opens_that_head(qtbot, win):
    w = win
    w.docks["Attention grid"].show()
    w.docks["Attention grid"].raise_()
    w.session.want_extra("thumbs")
    _type_and_run(qtbot, w, PROMPT)
    grid = w.grid
    patterns = [n for n in w.session.store.order if n.endswith("hook_pattern")]
    qtbot.waitUntil(lambda: grid.names == patterns, timeout=LOAD_MS)  # thumbnails of this run
    name, head = grid.cell_at(2 * grid.cell + 1, 1 * grid.cell + 1)  # row 1, head 2
    assert (name, head) == (patterns[1], 2)
    grid.headClicked.emit(name, head)
    assert w.session.current_name() == patterns[1] and w.session.head == 2
    _assert_shows(w, w.inspector.current_view.heatmap.data, PROMPT, patterns[1], (0, 2))


def test_a_new_run_keeps_the_grid_labelled_as_the_previous_run_until_its_own_arrives(qtbot, win, monkeypatch):
    w = win
    w.docks["Attention grid"].show()
    w.session.want_extra("thumbs")
    _type_and_run(qtbot, w, PROMPT)
    patterns = [n for n in w.session.store.order if n.endswith("hook_pattern")]
    qtbot.waitUntil(lambda: w.grid.names == patterns and not w.grid.stale, timeout=LOAD_MS)
    before = w.grid.image.copy()
    gate, real = threading.Event(), engine_calls.thumbnails

    def held(*a, **k):  # the new run's thumbnails wait until the test has seen the stale state
        gate.wait(LOAD_MS / 1000)
        return real(*a, **k)

    monkeypatch.setattr(engine_calls, "thumbnails", held)
    w.prompt.set_text("Queries meet keys")
    with qtbot.waitSignal(w.session.traceChanged, timeout=LOAD_MS):
        w.session.run("Queries meet keys")
    try:
        qtbot.waitUntil(lambda: w.grid.stale, timeout=LOAD_MS)  # the old mosaic, said to be old
        assert "previous run" in w.grid.note.text()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not w.grid.stale, timeout=LOAD_MS)
    assert "previous run" not in w.grid.note.text()
    assert w.grid.image.shape != before.shape or not np.array_equal(w.grid.image, before)


def test_the_window_fits_a_1366_by_768_screen(win):
    """Docks scroll rather than push the window's minimum size past a small laptop screen."""
    hint = win.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 700, hint


def test_closing_before_start_up_finished_keeps_the_saved_prompt_and_device(qtbot, tmp_path):
    path = str(tmp_path / "saved.ini")
    st = QSettings(path, QSettings.IniFormat)
    st.setValue("prompt", "my saved prompt")
    st.setValue("device", "cpu")
    st.sync()
    w = MainWindow(settings=QSettings(path, QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.show()
    w.close()  # before start(): the prompt panel and device list are still empty
    again = QSettings(path, QSettings.IniFormat)
    assert again.value("prompt") == "my saved prompt"
    assert again.value("device") == "cpu"


def test_an_unknown_startup_model_says_so_and_falls_back_to_the_saved_one(qtbot, tiny_gpt, tmp_path):
    path = str(tmp_path / "saved.ini")
    st = QSettings(path, QSettings.IniFormat)
    st.setValue("model", tiny_gpt)
    st.setValue("prompt", "")
    st.sync()
    w = MainWindow(settings=QSettings(path, QSettings.IniFormat), model="nosuchmodel")
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.errorShown, timeout=LOAD_MS) as err, \
            qtbot.waitSignal(w.session.modelChanged, timeout=LOAD_MS):
        w.start()
    assert "nosuchmodel" in err.args[0]
    assert w.session.lm.name == w.model_panel.models.currentData()
    assert w.model_panel.models.findData("nosuchmodel") < 0  # the typo is not left in the list
    qtbot.waitUntil(lambda: "estimating" not in w.model_panel.estimate_label.text(), timeout=LOAD_MS)
    w.close()


def test_an_estimate_that_fails_says_so(qtbot, win):
    w = win
    with qtbot.waitSignal(w.session.estimateReady, timeout=LOAD_MS):
        w.model_panel.select_model("/no/such/model/folder")
    assert w.model_panel.estimate_label.text().startswith("memory estimate unavailable:")


@pytest.mark.parametrize("height", [1000, 800])
def test_the_decoding_lab_gets_two_fifths_of_the_central_column_in_a_tall_window(qtbot, tmp_path, height):
    from gui.main_window import BOTTOM_PX, LAB_SHARE, TALL

    w = MainWindow(settings=QSettings(str(tmp_path / "fresh.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.resize(1500, height)
    w.show()
    qtbot.waitExposed(w)
    lab = w.docks["Decoding lab"]

    def share_is_right():
        column = w.centralWidget().height() + lab.height()
        if height >= TALL:
            assert abs(lab.height() / column - LAB_SHARE) < 0.015, (lab.height(), column)
        else:
            assert abs(lab.height() - BOTTOM_PX) <= 10, lab.height()

    qtbot.waitUntil(share_is_right)  # the docks take their sizes in the layout pass after showing
    w.close()


def test_the_loaded_model_line_is_whole_and_in_view_on_a_small_screen(qtbot, tmp_path):
    w = MainWindow(settings=QSettings(str(tmp_path / "fresh.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(w)
    w.resize(1366, 730)  # a 1366 x 768 laptop screen, less a task bar
    w.show()
    qtbot.waitExposed(w)
    panel, area = w.model_panel, w.docks["Model and device"].widget()
    width = panel.minimumSizeHint().width()
    w._on_model(types.SimpleNamespace(name="tiny-gpt", family="decoder", n_params=10**6, device="cpu",
                                      cfg=types.SimpleNamespace(architecture="GPT2LMHeadModel"),
                                      dtype="torch.float32",
                                      model=types.SimpleNamespace(has_encoder=False)))
    label = panel.state
    assert label.text() == "loaded tiny-gpt (decoder, GPT2LMHeadModel)"

    def whole_and_in_view():
        assert label.height() >= label.heightForWidth(label.width())  # every wrapped line
        assert label.fontMetrics().boundingRect(label.rect(), Qt.TextWordWrap, label.text()).width() <= label.width()
        top = label.mapTo(area.viewport(), label.rect().topLeft()).y()
        bottom = label.mapTo(area.viewport(), label.rect().bottomLeft()).y()
        assert 0 <= top and bottom < area.viewport().height(), (top, bottom, area.viewport().height())

    qtbot.waitUntil(whole_and_in_view)
    assert panel.minimumSizeHint().width() == width  # the line does not widen the panel
    assert not area.horizontalScrollBar().isVisible()  # the panel fits its dock beside the vertical bar
    w.close()


def test_a_long_prompt_recomputes_each_layer_it_is_asked_for_and_fills_the_extras(qtbot, win, monkeypatch):
    """Every prompt counts as long here: the first pass keeps only cheap steps; stepping into a
    layer recomputes it up to the step shown, then further on within the same layer."""
    w = win
    monkeypatch.setattr(engine_calls, "FULL_CAPTURE_BYTES", 0)
    _type_and_run(qtbot, w, PROMPT)
    s = w.session
    assert s.store.replay is not None and SOFTMAX0 not in s.store
    with qtbot.waitSignal(s.stepReady, timeout=LOAD_MS):
        s.goto(SOFTMAX0)
    import copy

    # a copy: the worker may be recomputing on the window's model meanwhile (hooks are the model's)
    ref = run(copy.deepcopy(s.lm.model), s.lm.tokenizer.encode(PROMPT).ids, capture=Capture())
    assert "blocks.0.mlp.hook_post" not in s.store  # stopped at the step shown
    assert s.store.step(SOFTMAX0, 0).heads == (0,) and not s.store.has(SOFTMAX0, 1)  # the head shown only
    with qtbot.waitSignal(s.stepReady, timeout=LOAD_MS):
        w.inspector.head.setValue(1)  # another head: recomputed for it
    for head in (0, 1):
        np.testing.assert_allclose(s.store.step(SOFTMAX0, head).tensor.numpy(), ref[SOFTMAX0][:, [head]].numpy(),
                                   rtol=1e-5, atol=1e-6)
    with qtbot.waitSignal(s.stepReady, timeout=LOAD_MS):
        s.goto("blocks.0.mlp.hook_post")
    qtbot.waitUntil(lambda: not s.busy, timeout=LOAD_MS)
    np.testing.assert_allclose(s.store["blocks.0.mlp.hook_post"].numpy(), ref["blocks.0.mlp.hook_post"].numpy(),
                               rtol=1e-5, atol=1e-6)
    s.want_extra("lens")
    s.want_extra("thumbs")
    qtbot.waitUntil(lambda: s.extra_done("lens") and s.extra_done("thumbs"), timeout=LOAD_MS)
    n = len(s.store.ids)
    assert s.extra["lens"]["probs"].shape[1] == n and not np.isnan(s.extra["lens"]["probs"]).any()
    assert [name for name, _ in s.extra["thumbs"]] == [f"blocks.{i}.attn.hook_pattern" for i in range(s.lm.cfg.n_layers)]


def test_extras_paused_for_a_layer_resume_once_its_view_is_drawn(qtbot, win, monkeypatch):
    """A long prompt's layer asked for pauses the whole-model extras; they start again only once
    that layer's view is drawn (started at once, they took the CPU its drawing needed)."""
    w = win
    monkeypatch.setattr(engine_calls, "FULL_CAPTURE_BYTES", 0)
    _type_and_run(qtbot, w, PROMPT)
    s = w.session
    s.want_extra("thumbs")
    events: list[tuple[str, str]] = []
    real = s._request_extra
    monkeypatch.setattr(s, "_request_extra", lambda what: (events.append(("extra", what)), real(what))[1])
    w.inspector.viewShown.connect(lambda name: events.append(("view", name)))
    s.goto(SOFTMAX0)  # a recomputed layer: the thumbnails job is paused for it
    qtbot.waitUntil(lambda: ("extra", "thumbs") in events, timeout=LOAD_MS)
    assert ("view", SOFTMAX0) in events
    assert events.index(("view", SOFTMAX0)) < events.index(("extra", "thumbs"))
    qtbot.waitUntil(lambda: s.extra_done("thumbs"), timeout=LOAD_MS)
