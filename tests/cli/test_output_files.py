"""`trace --out` and `logits --npy`: every step saved (shared tensors too), the file name the user
gets is the one printed, missing folders are made, and a bad name costs one line before any run."""
import json

import numpy as np
import torch
from safetensors.torch import load_file

from .one_line import one_line_error


def test_trace_out_saves_every_step_although_hooks_share_tensors(gpt2_folder, tplay, tmp_path):
    out_file = tmp_path / "t.safetensors"
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hello world", "--out", out_file, "--json")
    assert code == 0, err
    steps = [s["name"] for s in json.loads(out.strip().splitlines()[-1])["steps"]]
    saved = load_file(str(out_file))
    assert set(saved) == set(steps)
    # a pass-through hook records the very tensor the next one does: both are saved (one cloned),
    # and they hold what an independent run of the same prompt records
    from safetensors import safe_open

    from engine import Capture, load_model, run

    with safe_open(str(out_file), "pt") as f:
        ids = [int(i) for i in f.metadata()["ids"].split(",")]
    ref = run(load_model(gpt2_folder, device="cpu").model, ids, capture=Capture())
    for name in ("blocks.0.hook_resid_post", "blocks.1.hook_resid_pre", "hook_embed", "blocks.1.attn.hook_pattern"):
        torch.testing.assert_close(saved[name], ref[name], rtol=1e-5, atol=1e-6)


def test_out_makes_missing_folders_like_render(gpt2_folder, tplay, tmp_path):
    out_file = tmp_path / "new" / "deeper" / "t.safetensors"
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hi", "--names", "hook_embed", "--out", out_file)
    assert code == 0, err
    assert set(load_file(str(out_file))) == {"hook_embed"}


def test_out_through_a_file_or_to_a_folder_is_one_line(tplay, tmp_path):
    (tmp_path / "afile").write_text("x")
    code, out, err = tplay("trace", "-m", "no-model-needed", "--prompt", "hi",
                           "--out", tmp_path / "afile" / "t.safetensors")
    assert "afile is a file, not a folder" in one_line_error(code, err)
    code, out, err = tplay("trace", "--prompt", "hi", "--out", tmp_path)
    assert "is a folder" in one_line_error(code, err)


def test_npy_gets_its_extension_and_the_printed_path_is_real(gpt2_folder, tplay, tmp_path):
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "the cat", "--npy", tmp_path / "lg")
    assert code == 0, err
    assert not (tmp_path / "lg").exists()
    assert np.load(tmp_path / "lg.npy").dtype == np.float32
    assert out.strip().splitlines()[-1].endswith(f"to {tmp_path / 'lg.npy'}")


def test_npy_with_another_extension_is_refused_before_loading(tplay, tmp_path):
    code, out, err = tplay("logits", "-m", "no-model-needed", "--prompt", "hi", "--npy", tmp_path / "x.txt")
    msg = one_line_error(code, err)
    assert "--npy must name a .npy file" in msg and "'x.txt'" in msg
    assert not (tmp_path / "x.txt").exists()
