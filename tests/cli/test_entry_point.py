"""`tplay` itself: app options go to the window (`-m` too), --version, --help names the window's
options, and no display is one line, not a Qt abort."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gui.cli

from .one_line import one_line_error

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv", [["-m", "tiny-translator"], ["--model", "tiny-translator"],
                                  ["gui", "-m", "tiny-translator"]])
def test_app_options_open_the_window(monkeypatch, argv):
    seen = []
    monkeypatch.setattr(gui.cli, "_launch_gui", lambda a: seen.append(a) or 0)
    assert gui.cli.main(argv) == 0
    assert seen == [argv[1:] if argv[0] == "gui" else argv]


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as e:
        gui.cli.main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"tplay {version('transformer-playground')}"


def test_help_lists_the_window_options_and_gui(capsys):
    with pytest.raises(SystemExit) as e:
        gui.cli.main(["--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0
    assert all(w in out for w in ("--model", "--prompt", "--settings", "gui ", "trace"))


def test_no_display_is_one_line_and_exit_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "gui.cli", "-m", "tiny-gpt"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert one_line_error(r.returncode, r.stderr).startswith("no display found")
    assert "QT_QPA_PLATFORM=offscreen" in r.stderr
