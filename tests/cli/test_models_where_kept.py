"""`tplay models` and `tplay logits -m NAME` on a fake HF cache, Ollama store and LM Studio folder."""
import json

import numpy as np
import pytest

from tests.engine.model_stores import UNSUPPORTED, build_stores, point_at

from .one_line import one_line_error


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    return build_stores(tmp_path_factory.mktemp("stores"))


@pytest.fixture
def env(stores, monkeypatch):
    point_at(stores, monkeypatch)
    return stores


def test_models_table_says_type_size_and_why_not(env, tplay):
    code, out, err = tplay("models")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if ln.startswith("ollama:tiny:q8 "))
    assert "LlamaForCausalLM" in line and "Q8_0" in line and "KiB" in line and "sha256-" in line
    odd = next(ln for ln in out.splitlines() if ln.startswith("lmstudio:pub/Odd-GGUF/odd.gguf "))
    assert f"cannot open: odd.gguf: GGUF architecture '{UNSUPPORTED}' is not supported" in odd


def test_models_json_has_every_store(env, tplay):
    code, out, err = tplay("models", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert {"org/Tiny-GGUF", "ollama:tiny:q8", "lmstudio:pub/Tiny-GGUF/tiny-Q8_0.gguf"} <= set(rows)
    assert rows["org/Tiny-GGUF"]["size_bytes"] == env["files"].good.stat().st_size
    assert "error" in rows["ollama:lora:latest"] and "error" not in rows["ollama:tiny:q8"]


@pytest.mark.parametrize("name", ["org/Tiny-GGUF", "ollama:tiny:q8", "lmstudio:pub/Two-GGUF/a.gguf"])
def test_logits_by_store_name_equal_the_plain_files(env, tplay, tmp_path, name):
    want, got = tmp_path / "want.npy", tmp_path / "got.npy"
    for model, npy in ((env["files"].good, want), (name, got)):
        code, out, err = tplay("logits", "-m", model, "--prompt", "Hello world", "--npy", npy)
        assert code == 0, err
    assert np.array_equal(np.load(got), np.load(want))


@pytest.mark.parametrize("name,why", [
    (f"ollama:{UNSUPPORTED}", f"GGUF architecture '{UNSUPPORTED}' is not supported"),
    ("ollama:lora", "LoRA adapter"),
    ("org/Multi-GGUF", "pick one as org/Multi-GGUF:good.Q8_0.gguf"),
    ("org/Split-GGUF", "split into 2 files"),
])
def test_one_that_cannot_open_is_one_line(env, tplay, name, why):
    code, out, err = tplay("logits", "-m", name, "--prompt", "hi")
    assert why in one_line_error(code, err)


def test_tokenize_by_store_name_reads_the_blobs_tokenizer(env, tplay):
    want = tplay("tokenize", "-m", env["files"].good, "Hello world", "--json")
    got = tplay("tokenize", "-m", "ollama:tiny:q8", "Hello world", "--json")
    assert got[0] == want[0] == 0, got[2]
    assert json.loads(got[1])["ids"] == json.loads(want[1])["ids"]
    assert "LoRA adapter" in one_line_error(*tplay("tokenize", "-m", "ollama:lora", "hi")[::2])
