"""`tplay render` writes real images of every view; bad layer/head is one line, exit 2;
the window appears without importing torch."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from engine.cli import run_command
from gui.render_cmd import RENDER, RENDER_VIEWS

ROOT = Path(__file__).resolve().parents[2]


def _render(argv: list[str]) -> int:
    configure, run, help_ = RENDER
    p = argparse.ArgumentParser(prog="tplay render")
    configure(p)
    args = p.parse_args(argv)
    args.command_fn = run
    return run_command(args)


def _not_blank(path: Path) -> None:
    img = QImage(str(path))
    assert not img.isNull() and img.width() >= 400
    arr = np.frombuffer(img.convertToFormat(QImage.Format_RGB32).constBits(), np.uint8)
    assert len(np.unique(arr.reshape(-1, 4)[:, :3], axis=0)) > 20  # a picture, not a flat fill


CLASSIFIER_VIEWS = ("class-probs", "pooled")  # a sequence classifier's: tests/gui/test_class_probs.py


@pytest.mark.parametrize("view", [v for v in RENDER_VIEWS if v not in CLASSIFIER_VIEWS])
def test_render_every_view_to_png(view, tiny_gpt, tmp_path, qapp):
    out = tmp_path / f"{view}.png"
    rc = _render(["-m", tiny_gpt, "--device", "cpu", "--prompt", "The animal didn't cross the street",
                  "--view", view, "--layer", "1", "--head", "2", "--out", str(out), "--size", "800x500"])
    assert rc == 0
    _not_blank(out)


def test_render_svg(tiny_gpt, tmp_path, qapp):
    out = tmp_path / "attention.svg"
    assert _render(["-m", tiny_gpt, "--prompt", "merci", "--view", "attention", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "<image" in text


@pytest.mark.parametrize("flag,value,word", [("--layer", "99", "layer 99"), ("--head", "-1", "head -1"),
                                             ("--position", "500", "position 500")])
def test_out_of_range_is_one_line_and_exit_2(flag, value, word, tiny_gpt, tmp_path, capsys, qapp):
    rc = _render(["-m", tiny_gpt, "--prompt", "merci", "--view", "attention", flag, value,
                  "--out", str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert err.startswith("tplay: error: ") and word in err and "out of range" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def test_window_appears_before_torch_is_imported(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "gui.cli", "gui", "--exit-after-shown",
                          "--settings", str(tmp_path / "s.ini")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "window shown after" in out.stdout
    assert "torch loaded: False" in out.stdout


def test_rendered_attention_cells_have_the_colours_of_the_models_pattern(tiny_gpt, loaded_gpt, tmp_path, qapp,
                                                                        monkeypatch):
    """Each cell of `tplay render --view attention --layer 1 --head 2` is the viridis colour of that
    softmax weight in an engine run of our own: a render of another head or layer fails."""
    import gui.export
    from engine import Capture, run
    from tests.gui.pixels import cell_points, rgb_at, viridis

    prompt, name = "The animal didn't cross the street", "blocks.1.attn.hook_pattern"
    ids = loaded_gpt.tokenizer.encode(prompt).ids
    pattern = run(loaded_gpt.model, ids, capture=Capture(names=[name]))[name][0, 2].float().numpy()  # [q, k]
    n = pattern.shape[0]
    cells = [(r, c) for r in range(n) for c in range(n)]
    real, seen = gui.export.export_widget, {}

    def export_and_locate(w, path):  # the rendered widget is alive only here
        out = real(w, path)
        seen["points"] = cell_points(w, w.heatmap, cells)
        return out

    monkeypatch.setattr(gui.export, "export_widget", export_and_locate)
    out = tmp_path / "attention.png"
    assert _render(["-m", tiny_gpt, "--device", "cpu", "--prompt", prompt, "--view", "attention", "--layer", "1",
                    "--head", "2", "--out", str(out), "--size", "800x500"]) == 0
    got, want = rgb_at(out, seen["points"]), viridis(pattern.ravel())
    bad = [cells[i] for i in np.flatnonzero(np.abs(got - want).max(axis=1) > 8)]
    assert not bad, bad
