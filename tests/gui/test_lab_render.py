"""`tplay render --view sampling | beam-tree | cross-attention | training` draw the lab's views of a
real run; the beam-tree image is drawn from the same nodes the engine produced."""
from __future__ import annotations

import argparse

import numpy as np
import pytest
from PySide6.QtGui import QImage

from engine.cli import run_command
from gui.render_cmd import RENDER
from tests.gui.lab_models import loaded_translator  # noqa: F401 - fixture


def _render(argv: list[str]) -> int:
    configure, run, _help = RENDER
    p = argparse.ArgumentParser(prog="tplay render")
    configure(p)
    args = p.parse_args(argv)
    args.command_fn = run
    return run_command(args)


def _picture(path) -> QImage:
    img = QImage(str(path))
    assert not img.isNull()
    arr = np.frombuffer(img.convertToFormat(QImage.Format_RGB32).constBits(), np.uint8)
    assert len(np.unique(arr.reshape(-1, 4)[:, :3], axis=0)) > 20  # a picture, not a flat fill
    return img


@pytest.mark.parametrize("view, extra", [
    ("sampling", ["--strategy", "sample", "--temperature", "0.7", "--top-k", "5", "--seed", "3"]),
    ("beam-tree", ["--beams", "3"]),
    ("cross-attention", ["--layer", "0", "--head", "1"]),
])
def test_lab_views_render_from_a_translator(view, extra, loaded_translator, tmp_path, qapp):
    out = tmp_path / f"{view}.png"
    rc = _render(["-m", str(loaded_translator.ref.path), "--device", "cpu", "--prompt", "je suis étudiant",
                  "--view", view, "--max-new-tokens", "5", "--out", str(out), "--size", "900x500", *extra])
    assert rc == 0
    img = _picture(out)
    assert (img.width(), img.height()) == (900, 500)
    if view == "sampling":  # the stage charts are drawn, not only their "generate a token" hint
        from gui.lab.prob_bars import CHOSEN

        rgb = np.frombuffer(img.convertToFormat(QImage.Format_RGB32).constBits(), np.uint8).reshape(-1, 4)[:, 2::-1]
        assert (np.abs(rgb.astype(int) - [CHOSEN.red(), CHOSEN.green(), CHOSEN.blue()]).sum(1) < 10).sum() > 200


def test_training_view_renders_to_svg(tmp_path, qapp):
    out = tmp_path / "training.svg"
    assert _render(["--prompt", "-", "--view", "training", "--train-steps", "20", "--out", str(out)]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_cross_attention_of_a_decoder_only_model_is_one_clear_error(tiny_gpt, tmp_path, qapp, capsys):
    rc = _render(["-m", tiny_gpt, "--device", "cpu", "--prompt", "hello", "--view", "cross-attention",
                  "--out", str(tmp_path / "x.png")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "needs an encoder-decoder" in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_a_beam_tree_image_grows_to_hold_every_step(tiny_gpt, tmp_path, qapp):
    from gui.lab.beam_tree import DX, W

    out = tmp_path / "tree.png"
    new = 12
    rc = _render(["-m", tiny_gpt, "--device", "cpu", "--prompt", "Once upon a time", "--view", "beam-tree",
                  "--strategy", "beam", "--beams", "3", "--max-new-tokens", str(new), "--min-new-tokens", str(new),
                  "--out", str(out), "--size", "400x300"])
    assert rc == 0
    img = _picture(out)
    assert img.width() >= new * DX + W and img.height() > 300  # the last column is in the picture


def test_training_needs_no_prompt_but_other_views_say_they_do(tiny_gpt, tmp_path, qapp, capsys):
    out = tmp_path / "training.png"
    assert _render(["--view", "training", "--train-steps", "10", "--out", str(out)]) == 0
    _picture(out)
    rc = _render(["-m", tiny_gpt, "--view", "attention", "--out", str(tmp_path / "a.png")])
    assert rc == 2 and "--view attention needs --prompt or --prompt-file" in capsys.readouterr().err
    assert not (tmp_path / "a.png").exists()
