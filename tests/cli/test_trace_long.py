"""`tplay trace` on a capture bigger than its memory budget: it estimates first, then either
streams the layers one at a time (the same bits as an in-memory capture) or refuses in one line."""
import re

import pytest
import torch
from safetensors.torch import load_file

from .one_line import one_line_error

PROMPT = "hello there world"


@pytest.mark.parametrize("model", ["tiny-gpt", "tiny-translator"])
def test_streamed_layers_equal_the_in_memory_capture(tplay, tmp_path, model):
    small, big = tmp_path / "small.safetensors", tmp_path / "big.safetensors"
    code, out, err = tplay("trace", "-m", model, "--prompt", PROMPT, "--out", big)
    assert code == 0, err
    assert "long prompt" not in out
    code, out, err = tplay("trace", "-m", model, "--prompt", PROMPT, "--out", small, "--max-memory", "250K")
    assert code == 0, err
    assert "streamed layer by layer" in out
    a, b = load_file(str(small)), load_file(str(big))
    assert set(a) == set(b) and len(a) > 20
    for k in b:
        assert torch.equal(a[k], b[k]), k


def test_listing_a_long_capture_gives_every_steps_real_shape(tplay, monkeypatch):
    code, full, err = tplay("trace", "-m", "tiny-gpt", "--prompt", PROMPT)
    assert code == 0, err
    from engine.cli import trace_cmd

    def no_run(*a, **kw):
        raise AssertionError("a listing from the plan ran the whole prompt")

    monkeypatch.setattr(trace_cmd, "run_prompt", no_run)  # nothing is kept: the forward would be thrown away
    code, lean, err = tplay("trace", "-m", "tiny-gpt", "--prompt", PROMPT, "--max-memory", "250K")
    assert code == 0, err
    assert "listed from the plan" in lean
    assert full.splitlines()[0] == lean.splitlines()[0]  # the same ids and tokens
    rows = lambda text: [ln for ln in text.splitlines() if re.match(r"\s+\d+\s", ln)]  # noqa: E731
    assert rows(lean) == rows(full) and len(rows(full)) > 20


def test_capture_that_does_not_fit_is_refused_with_the_figure(tplay, tmp_path):
    code, out, err = tplay("trace", "-m", "tiny-gpt", "--prompt", PROMPT, "--max-memory", "20K",
                           "--out", tmp_path / "t.safetensors")
    msg = one_line_error(code, err)
    assert re.search(r"needs [\d.]+ KiB even one layer at a time", msg) and "20.0 KiB allowed" in msg
    assert not (tmp_path / "t.safetensors").exists()


def test_bad_memory_size_is_one_line(tplay):
    msg = one_line_error(*tplay("trace", "-m", "tiny-gpt", "--prompt", "hi", "--max-memory", "lots")[::2])
    assert "--max-memory takes a size" in msg
