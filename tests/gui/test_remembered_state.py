"""The debugger remembers the translator's target, the step (by hook name), the head, the position
and the breakpoints across launches (the window's QSettings, here an INI file). They come back with
the first trace of the next launch: names that no longer exist are dropped, numbers are clamped to
the model and prompt, and a garbage file starts like a fresh one."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings

from engine import Capture, run
from gui.main_window import MainWindow
from gui.views.attention import AttentionView
from gui.views.tokens import TokensView

LOAD_MS = 60_000
TRANSLATOR = "tiny-translator"  # bundled (resources/models)
SOURCE, TARGET = "je suis étudiant", "i am a student"
CROSS1 = "decoder.blocks.1.cross_attn.hook_pattern"
SELF0 = "decoder.blocks.0.attn.hook_pattern"


def _window(qtbot, path, autoload: bool = False) -> MainWindow:
    w = MainWindow(settings=QSettings(str(path), QSettings.IniFormat), autoload=autoload)
    qtbot.addWidget(w)
    w.show()
    return w


def _first_trace(qtbot, w: MainWindow) -> None:
    """Start the window (autoload: the saved model, then the saved prompt) and wait for its trace."""
    with qtbot.assertNotEmitted(w.errorShown), \
            qtbot.waitSignal(w.session.traceChanged, timeout=LOAD_MS):
        w.start()
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: w.inspector.current_view is not None, timeout=LOAD_MS)


def test_target_step_head_position_and_breakpoints_come_back_in_a_new_window(qtbot, tmp_path):
    path = tmp_path / "s.ini"
    w = _window(qtbot, path)
    with qtbot.waitSignal(w.session.infoReady, timeout=LOAD_MS):
        w.start()
    w.model_panel.device.setCurrentText("cpu")
    with qtbot.waitSignal(w.session.modelChanged, timeout=LOAD_MS):
        w.session.load_model(TRANSLATOR, "cpu", "float32")
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)  # the start-up prompt's run
    w.prompt.set_text(SOURCE)
    w.prompt.target.setText(TARGET)
    with qtbot.waitSignal(w.session.traceChanged, timeout=LOAD_MS):
        w.prompt.run()
    w.session.goto(CROSS1)
    w.inspector.head.setValue(2)
    w.inspector.position.setValue(3)
    w.session.toggle_breakpoint(SELF0)
    w.session.toggle_kind_breakpoint("hook_attn_scores")
    qtbot.waitUntil(lambda: not w.session.busy, timeout=LOAD_MS)
    w.close()

    st = QSettings(str(path), QSettings.IniFormat)
    assert st.value("target") == TARGET and st.value("debugger/step") == CROSS1

    w2 = _window(qtbot, path, autoload=True)
    _first_trace(qtbot, w2)
    s = w2.session
    assert s.lm.name == TRANSLATOR and s.target == TARGET
    assert w2.prompt.target.text() == TARGET and w2.prompt.target.isVisible()
    assert s.current_name() == CROSS1
    assert (s.head, s.position) == (2, 3)
    assert (w2.inspector.head.value(), w2.inspector.position.value()) == (2, 3)
    assert s.bps.names == {SELF0} and s.bps.kinds == {"hook_attn_scores"}
    qtbot.waitUntil(lambda: any(it.text(0).startswith("●") for it in w2.navigator.items))
    dots = [it.toolTip(0) for it in w2.navigator.items if it.text(0).startswith("●")]
    assert dots == [n for n in s.store.order if n == SELF0 or n.endswith(".hook_attn_scores")]
    # the view draws this launch's trace of the remembered target, for the remembered head
    lm = s.lm
    target_ids = [lm.cfg.decoder_start_token_id] + lm.tokenizer.encode(TARGET, special=False).ids
    ref = run(lm.model, lm.tokenizer.encode(SOURCE).ids, target_ids=target_ids, capture=Capture())
    qtbot.waitUntil(lambda: isinstance(w2.inspector.current_view, AttentionView), timeout=LOAD_MS)
    shown = w2.inspector.current_view.heatmap.data
    np.testing.assert_array_equal(shown, s.store[CROSS1][0, 2].numpy())  # exactly the trace's tensor
    # the worker thread may use another torch thread count than this one: rounding may differ
    np.testing.assert_allclose(shown, ref[CROSS1][0, 2].numpy(), rtol=1e-5, atol=1e-6)
    assert s.store.target_ids == target_ids
    w2.close()


def _ini(path, model: str, debugger: str, general: str = "") -> None:
    """A settings file as a person (or a bad disk) might leave it."""
    path.write_text(f"[General]\nmodel={model}\ndevice=cpu\nprompt=hello there\n{general}\n"
                    f"[debugger]\n{debugger}\n", encoding="utf-8")


def test_a_garbage_settings_file_starts_like_a_fresh_one(qtbot, tiny_gpt, tmp_path):
    path = tmp_path / "garbage.ini"
    _ini(path, tiny_gpt,
         "head=abc\nposition=1, 2\nstep=blocks.99.attn.hook_nothing\n"
         "breakpoints=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x1fgarbage)\nbreakpoint_kinds=@ByteArray(zz)\n",
         general="geometry=abc\nwindowState=12\ntarget=not, text\n")
    w = _window(qtbot, path, autoload=True)
    _first_trace(qtbot, w)
    s = w.session
    assert s.store.prompt == "hello there"
    assert s.cursor == 0 and isinstance(w.inspector.current_view, TokensView)
    assert (s.head, s.position) == (0, -1)
    assert (w.inspector.head.value(), w.inspector.position.value()) == (0, -1)
    assert not s.bps.names and not s.bps.kinds
    w.close()
    st = QSettings(str(path), QSettings.IniFormat)  # and what is saved now is clean
    assert st.value("debugger/step") == "tokens" and int(st.value("debugger/head")) == 0


def test_out_of_range_numbers_are_clamped_and_unknown_breakpoints_dropped(qtbot, tiny_gpt, tmp_path):
    path = tmp_path / "stale.ini"
    _ini(path, tiny_gpt,
         "head=99\nposition=999\nstep=blocks.1.attn.hook_pattern\n"
         "breakpoints=blocks.0.attn.hook_pattern, blocks.7.attn.hook_pattern\n"
         "breakpoint_kinds=hook_pattern\n")  # one name: reads back as text, not a list
    w = _window(qtbot, path, autoload=True)
    _first_trace(qtbot, w)
    s = w.session
    heads, positions = s.store.n_heads, len(s.store.tokens)
    assert s.lm.cfg.n_heads == heads < 99 and positions < 999
    assert s.current_name() == "blocks.1.attn.hook_pattern"
    assert (s.head, s.position) == (heads - 1, positions - 1)
    assert (w.inspector.head.value(), w.inspector.position.value()) == (heads - 1, positions - 1)
    assert s.bps.names == {"blocks.0.attn.hook_pattern"} and s.bps.kinds == {"hook_pattern"}
    w.close()
