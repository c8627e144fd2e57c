"""Ctrl+C and SIGTERM in the terminal running the window (issue 14, item 10): the window closes as
its Quit does — settings saved, no traceback, exit 130 / 143 — and a settings file that cannot be
written is said in the window (a dialog and the status line), not lost at quit.

The window runs in a subprocess (offscreen), its settings under a temporary XDG_CONFIG_HOME.
Readiness is read from the settings file itself: the prompt given on the command line is stored
once the event loop runs (after the handlers are installed); `model=` once a model has loaded.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from gui.cli import main; sys.exit(main(sys.argv[1:]))"


def _start(cfg: Path, *args) -> subprocess.Popen:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(cfg), "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", CLI, "--prompt", "hello there", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for(p: subprocess.Popen, ready, timeout: float = 60.0) -> None:
    """Poll `ready()` between short waits on the process (which must not exit meanwhile)."""
    for _ in range(int(timeout / 0.1)):
        if ready():
            return
        try:
            code = p.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"the window exited early ({code}): {p.stderr.read().decode()}")
    p.kill()
    pytest.fail("the window never got ready")


def _ini(cfg: Path) -> Path:
    return cfg / "TransformerPlayground" / "tplay.conf"


@pytest.mark.parametrize("when", ["at start-up", "after the model loaded"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_closes_the_window_saving_settings(tmp_path, sig, when):
    cfg = tmp_path / "cfg"
    p = _start(cfg)
    ini = _ini(cfg)
    want = "prompt=" if when == "at start-up" else "model="
    _wait_for(p, lambda: ini.is_file() and want in ini.read_text(errors="replace"))
    assert "geometry" not in ini.read_text(errors="replace")  # written only when the window closes
    p.send_signal(sig)
    code = p.wait(timeout=60)
    err = p.stderr.read().decode()
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert code == 128 + sig, (code, err)
    st = QSettings(str(ini), QSettings.IniFormat)
    assert st.value("geometry") is not None and st.value("windowState") is not None  # saved at close
    assert st.value("prompt") == "hello there"
    assert [f.name for f in ini.parent.iterdir()] == [ini.name]  # no probe or temp file left


def test_an_unwritable_settings_file_is_said_in_the_window(qtbot, tmp_path):
    from gui.main_window import MainWindow
    from gui.quit_signals import report_settings_problem

    (tmp_path / "a-file").write_text("mine")
    path = tmp_path / "a-file" / "s.ini"  # its folder is a regular file: nothing can be written
    win = MainWindow(settings=QSettings(str(path), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.errorShown, timeout=5000) as shown:
        assert report_settings_problem(win)
    assert str(path) in shown.args[0] and "is a file, not a folder" in shown.args[0]
    assert str(path) in win.statusBar().currentMessage()
    assert win.error_box.isVisible()


def test_a_writable_settings_file_says_nothing(qtbot, tmp_path):
    from gui.main_window import MainWindow
    from gui.quit_signals import report_settings_problem

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), autoload=False)
    qtbot.addWidget(win)
    with qtbot.assertNotEmitted(win.errorShown):
        assert report_settings_problem(win) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the probe file is gone


def test_the_failed_save_at_quit_is_one_stderr_line(tmp_path):
    (tmp_path / "a-file").write_text("mine")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CLI, "--exit-after-shown", "--settings",
                          str(tmp_path / "a-file" / "s.ini")], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if "settings" in ln]
    assert lines == [f"tplay: warning: settings could not be written to {tmp_path / 'a-file' / 's.ini'}"], out.stderr


@pytest.mark.parametrize("model", ["", "  "])
def test_an_empty_model_name_is_one_line_not_the_default_model(capsys, model):
    from gui.app import main

    assert main(["-m", model]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tplay: error: -m ") and "names no model" in err, err
