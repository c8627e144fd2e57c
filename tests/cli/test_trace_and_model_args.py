"""`trace --layers` outside the model and `-m` naming a file that is no model: one line each."""
from pathlib import Path

import pytest

from .one_line import one_line_error

TINY_GPT = Path(__file__).resolve().parents[2] / "resources" / "models" / "tiny-gpt"


@pytest.mark.parametrize("layers,bad", [("7", "7"), ("-1", "-1"), ("0,2", "2")])
def test_trace_layers_out_of_range(gpt2_folder, tplay, layers, bad):
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hi", f"--layers={layers}")
    msg = one_line_error(code, err)
    assert msg.startswith(f"layer {bad} is out of range") and "layers 0–1" in msg


def test_trace_layers_in_range_keeps_only_those(gpt2_folder, tplay):
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hi", "--layers", "1")
    assert code == 0, err
    assert "blocks.1." in out and "blocks.0." not in out


def test_existing_file_that_is_no_model(tplay, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("not a model")
    code, out, err = tplay("generate", "-m", f, "--prompt", "hi")
    msg = one_line_error(code, err)
    assert "is not a model" in msg and ".gguf" in msg and "config.json" in msg
    assert "no such file" not in msg


def test_weights_file_inside_a_model_folder_points_at_the_folder(tplay):
    code, out, err = tplay("generate", "-m", TINY_GPT / "model.safetensors", "--prompt", "hi")
    assert f"give its folder {TINY_GPT}" in one_line_error(code, err)
