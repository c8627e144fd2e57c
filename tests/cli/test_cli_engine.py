"""`tplay models|trace|logits`: outputs checked against the engine/reference, and bad input
gives one clear line and a non-zero exit, never a traceback."""
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch

from .one_line import one_line_error as _one_line_error


def test_logits_npy_matches_reference(gpt2_folder, tplay, tmp_path):
    from transformers import GPT2LMHeadModel

    npy = tmp_path / "l.npy"
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "the cat sat", "--npy", npy, "--json")
    assert code == 0, err
    obj = json.loads(out.strip().splitlines()[-1])
    ref = GPT2LMHeadModel.from_pretrained(gpt2_folder).eval()
    with torch.no_grad():
        want = ref(torch.tensor([obj["ids"]])).logits[0].numpy()
    got = np.load(npy)
    assert got.shape == want.shape and got.dtype == np.float32
    assert np.abs(got - want).max() < 1e-4
    assert obj["top"][0]["id"] == int(want[-1].argmax())


def test_trace_out_saves_named_tensors(gpt2_folder, tplay, tmp_path):
    from safetensors.torch import load_file

    out_file = tmp_path / "t.safetensors"
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hello world",
                           "--names", "*hook_pattern", "--out", out_file, "--json")
    assert code == 0, err
    obj = json.loads(out.strip().splitlines()[-1])
    saved = load_file(str(out_file))
    assert set(saved) == {s["name"] for s in obj["steps"]} == {"blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern"}
    n = len(obj["ids"])
    assert saved["blocks.0.attn.hook_pattern"].shape == (1, 4, n, n)


def test_trace_list_names_every_step_in_order(gpt2_folder, tplay):
    code, out, err = tplay("trace", "-m", gpt2_folder, "--prompt", "hi", "--json")
    names = [s["name"] for s in json.loads(out)["steps"]]
    assert names[0] == "hook_embed" and names[-1] == "hook_logits"
    assert names.index("blocks.0.attn.hook_attn_scores") < names.index("blocks.0.attn.hook_pattern")


def test_any_unicode_prompt_is_accepted(gpt2_folder, tplay):
    for text in ["我是一个学生", "e\u0301\u200d👩‍🚀", "\t\n  ", "\x00\x7f", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]:
        code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", text, "--json")
        assert code == 0, (text, err)


def test_prompt_file_and_stdin(gpt2_folder, tplay, tmp_path, monkeypatch):
    import io

    f = tmp_path / "p.txt"
    f.write_text("the cat", encoding="utf-8")
    a = tplay("logits", "-m", gpt2_folder, "--prompt-file", f, "--json")
    monkeypatch.setattr(sys, "stdin", io.StringIO("the cat\n"))
    b = tplay("logits", "-m", gpt2_folder, "--prompt-file", "-", "--json")
    assert a[0] == b[0] == 0
    assert json.loads(a[1])["ids"] == json.loads(b[1])["ids"]


def _break(folder, tmp_path, how):
    bad = tmp_path / how
    shutil.copytree(folder, bad)
    cfg = json.loads((bad / "config.json").read_text())
    if how == "no-config":
        (bad / "config.json").unlink()
    elif how == "malformed-config":
        (bad / "config.json").write_text("{ not json")
    elif how == "missing-field":
        del cfg["n_embd"]
        (bad / "config.json").write_text(json.dumps(cfg))
    elif how == "unsupported":
        cfg["architectures"] = ["MambaForCausalLM"]
        (bad / "config.json").write_text(json.dumps(cfg))
    elif how == "truncated":
        data = (bad / "model.safetensors").read_bytes()
        (bad / "model.safetensors").write_bytes(data[: len(data) // 2])
    elif how == "misshaped":
        cfg["n_embd"] = 48
        (bad / "config.json").write_text(json.dumps(cfg))
    elif how == "pickle-only":
        (bad / "model.safetensors").unlink()
        (bad / "pytorch_model.bin").write_bytes(b"\x80\x04\x95not a real pickle")
    return bad


@pytest.mark.parametrize("how,expect", [
    ("no-config", "no config.json"),
    ("malformed-config", "not valid JSON"),
    ("missing-field", "n_embd"),
    ("unsupported", "supported: "),
    ("truncated", "truncated"),
    ("misshaped", "shape"),
    ("pickle-only", "weights_only"),
])
def test_broken_model_folders_give_one_clear_line(gpt2_folder, tplay, tmp_path, how, expect):
    bad = _break(gpt2_folder, tmp_path, how)
    code, out, err = tplay("logits", "-m", bad, "--prompt", "hi")
    _one_line_error(code, err)
    assert expect in err


def test_unknown_model_lists_available(tplay):
    code, out, err = tplay("logits", "-m", "no-such-model", "--prompt", "hi")
    _one_line_error(code, err)
    assert "available:" in err


def test_corrupt_gguf(tplay, tmp_path):
    f = tmp_path / "broken.gguf"
    f.write_bytes(b"GGUF" + b"\x00" * 40)
    code, out, err = tplay("logits", "-m", f, "--prompt", "hi")
    assert "GGUF" in _one_line_error(code, err)


def test_prompt_beyond_context_window(gpt2_folder, tplay):
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "the cat " * 100)
    _one_line_error(code, err)
    assert "context window of 64" in err


def test_empty_prompt(gpt2_folder, tplay):
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "")
    _one_line_error(code, err)
    assert "empty" in err


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_unavailable_device_says_why(gpt2_folder, tplay):
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "hi", "--device", "cuda")
    _one_line_error(code, err)
    assert "not available" in err


def test_bad_dtype_and_top(gpt2_folder, tplay):
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "hi", "--dtype", "int8")
    assert "dtype" in _one_line_error(code, err)
    code, out, err = tplay("logits", "-m", gpt2_folder, "--prompt", "hi", "--top", "0")
    assert "--top" in _one_line_error(code, err)


def test_models_lists_packs_with_family(tplay):
    code, out, err = tplay("models", "--json")
    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert {"smollm2-135m", "minilm-l6"} <= set(rows)


def test_entry_point_process_prints_no_traceback(gpt2_folder, tmp_path):
    r = subprocess.run([sys.executable, "-m", "gui.cli", "logits", "-m", str(tmp_path / "nothing.gguf"),
                        "--prompt", "x"], capture_output=True, text=True)
    assert "no such file" in _one_line_error(r.returncode, r.stderr)
