"""A bad-input corpus (issue 14): every case ends in exactly one clear `tplay: error:` line and an
exit code ≠ 0, or in a correct success; none in a traceback. Tiny random models only."""
from __future__ import annotations

import io
import json
import shutil
import sys

import pytest

from .one_line import one_line_error

PROMPT_CMDS = ["trace", "logits", "generate", "render", "tokenize"]
BAD_TEXT = {  # what Python makes of invalid UTF-8 bytes in argv: lone surrogates
    "ff": "\udcff", "cut-euro": "ab\udce2\udc82", "mixed": "hello \udcc3 world", "nul": "a\x00\udc80",
}
MUST_FAIL, OK = "fail", "ok"


def _argv(cmd: str, folder, *extra) -> list:
    argv = [cmd, "-m", folder, *extra]
    if cmd == "render":
        argv += ["--view", "attention", "--out", folder.parent / f"{folder.name}-r.png", "--size", "200x150"]
    return argv


def assert_outcome(result, expect: str):
    code, out, err = result
    assert "Traceback" not in err and "Traceback" not in out
    if expect == MUST_FAIL or code != 0:
        return one_line_error(code, err)
    assert expect == OK or expect == "either"
    return None


# --- invalid UTF-8 in --prompt and on stdin ---------------------------------------------------
@pytest.mark.parametrize("cmd", PROMPT_CMDS)
@pytest.mark.parametrize("text", list(BAD_TEXT))
def test_invalid_utf8_prompt_is_one_line(tplay, gpt2_folder, tmp_path, cmd, text):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    flag = [BAD_TEXT[text]] if cmd == "tokenize" else ["--prompt", BAD_TEXT[text]]
    msg = assert_outcome(tplay(*_argv(cmd, folder, *flag)), MUST_FAIL)
    assert "UTF-8" in msg


@pytest.mark.parametrize("cmd", PROMPT_CMDS)
@pytest.mark.parametrize("raw", [b"\xff\xfe", b"abc\xe2\x82", b"\xc3(", b"ok\x80ok"])
@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_invalid_utf8_on_stdin_is_one_line(tplay, gpt2_folder, tmp_path, monkeypatch, cmd, raw, errors):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors=errors))
    msg = assert_outcome(tplay(*_argv(cmd, folder, "--prompt-file", "-")), MUST_FAIL)
    assert "UTF-8" in msg


# --- absurd sampling values ---------------------------------------------------------------------
SAMPLING = [
    ("--temperature", "1e-45"), ("--temperature", "1e-320"), ("--temperature", "-1"), ("--temperature", "nan"),
    ("--temperature", "inf"), ("--temperature", "1e308"), ("--temperature", "abc"),
    ("--repetition-penalty", "1e-308"), ("--repetition-penalty", "0"), ("--repetition-penalty", "-2"),
    ("--repetition-penalty", "nan"), ("--repetition-penalty", "inf"), ("--repetition-penalty", "1e308"),
    ("--top-p", "nan"), ("--top-p", "-0.1"), ("--top-p", "2"), ("--top-p", "1e-320"),
    ("--top-k", "-1"), ("--top-k", "1e3"), ("--top-k", str(2 ** 70)), ("--min-p", "nan"), ("--min-p", "2"),
    ("--seed", str(2 ** 70)), ("--seed", str(-2 ** 70)), ("--seed", "-1"), ("--seed", "x"),
    ("--max-new-tokens", "-1"), ("--max-new-tokens", str(10 ** 12)), ("--min-new-tokens", "-3"),
    ("--length-penalty", "nan"), ("--beams", "0"), ("--beams", str(2 ** 40)), ("--num-return", "0"),
]


@pytest.mark.parametrize("flag,value", SAMPLING)
def test_absurd_sampling_values(tplay, gpt2_folder, flag, value):
    strategy = "beam" if flag in ("--length-penalty", "--beams", "--num-return") else "sample"
    result = tplay("generate", "-m", gpt2_folder, "--prompt", "the cat", "--strategy", strategy,
                   "--max-new-tokens", "3", flag, value)
    assert_outcome(result, "either")


# --- damaged configs ------------------------------------------------------------------------------
def _deep(n: int) -> str:
    return "[" * n + "]" * n


CONFIGS = {
    "nested-200k": lambda c: _deep(200_000),
    "nested-object-200k": lambda c: '{"a":' * 200_000 + "1" + "}" * 200_000,
    "n_head-0": lambda c: {**c, "n_head": 0},
    "n_head--1": lambda c: {**c, "n_head": -1},
    "n_head-7": lambda c: {**c, "n_head": 7},
    "n_head-str": lambda c: {**c, "n_head": "4"},
    "vocab_size--1": lambda c: {**c, "vocab_size": -1},
    "vocab_size-0": lambda c: {**c, "vocab_size": 0},
    "vocab_size-float": lambda c: {**c, "vocab_size": 300.5},
    "n_embd-0": lambda c: {**c, "n_embd": 0},
    "n_layer--1": lambda c: {**c, "n_layer": -1},
    "n_layer-huge": lambda c: {**c, "n_layer": 10 ** 9},
    "n_positions-0": lambda c: {**c, "n_positions": 0},
    "n_positions-bool": lambda c: {**c, "n_positions": True},
    "eps-str": lambda c: {**c, "layer_norm_epsilon": "small"},
    "eps-nan": lambda c: json.dumps(c)[:-1] + ', "layer_norm_epsilon": NaN}',
    "arch-string": lambda c: {**c, "architectures": "GPT2LMHeadModel"},
    "arch-empty": lambda c: {**c, "architectures": []},
    "arch-int": lambda c: {**c, "architectures": [1]},
    "arch-null": lambda c: {**c, "architectures": None},
    "arch-unknown": lambda c: {**c, "architectures": ["NoSuchModel"]},
    "json-array": lambda c: [c],
    "json-string": lambda c: "gpt2",
    "empty": lambda c: "",
    "not-json": lambda c: "{this is not json",
    "binary": lambda c: "\x00\x01\x02",
}
CONFIG_CMDS = ["trace", "logits", "generate"]


@pytest.fixture(scope="module")
def damaged(tmp_path_factory, gpt2_folder):
    made = {}

    def make(name: str):
        if name not in made:
            folder = shutil.copytree(gpt2_folder, tmp_path_factory.mktemp("cfg") / name)
            cfg = json.loads((folder / "config.json").read_text())
            new = CONFIGS[name](cfg)
            (folder / "config.json").write_text(new if isinstance(new, str) else json.dumps(new))
            made[name] = folder
        return made[name]

    return make


@pytest.mark.parametrize("cmd", CONFIG_CMDS)
@pytest.mark.parametrize("name", list(CONFIGS))
def test_damaged_config_is_one_line(tplay, damaged, cmd, name):
    expect = "either" if name in ("n_head-str", "n_positions-bool") else MUST_FAIL
    msg = assert_outcome(tplay(*_argv(cmd, damaged(name), "--prompt", "the cat")), expect)
    if name == "arch-string" and msg:
        assert "'G'" not in msg


# --- model paths -----------------------------------------------------------------------------------
def _paths(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk.bin").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "junk.gguf").write_bytes(b"GGUF" + b"\xff" * 100)
    (tmp_path / "junk.safetensors").write_bytes(b"\xff" * 100)
    (tmp_path / "empty.gguf").write_bytes(b"")
    return {"empty-string": "", "dev-null": "/dev/null", "missing": tmp_path / "nope", "empty-dir": tmp_path / "empty",
            "junk": tmp_path / "junk.bin", "junk-gguf": tmp_path / "junk.gguf", "empty-gguf": tmp_path / "empty.gguf",
            "junk-safetensors": tmp_path / "junk.safetensors", "space": " ", "nul": "a\x00b"}


@pytest.mark.parametrize("cmd", ["trace", "logits", "generate", "tokenize"])
@pytest.mark.parametrize("which", ["empty-string", "dev-null", "missing", "empty-dir", "junk", "junk-gguf",
                                   "empty-gguf", "junk-safetensors", "space", "nul"])
def test_bad_model_paths_are_one_line(tplay, tmp_path, cmd, which):
    model = _paths(tmp_path)[which]
    args = [cmd, "-m", model] + (["hi"] if cmd == "tokenize" else ["--prompt", "hi"])
    msg = assert_outcome(tplay(*args), MUST_FAIL)
    if which == "dev-null":
        assert "no such" not in msg.lower()


# --- tokenizer / weights / shards that do not fit ----------------------------------------------------
def test_tokenizer_with_more_ids_than_the_vocabulary(tplay, gpt2_folder, tmp_path):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    from safetensors.torch import load_file, save_file

    cfg = json.loads((folder / "config.json").read_text())
    cfg["vocab_size"] = 100  # the model keeps the first 100 rows; the tokenizer has ~300 ids
    (folder / "config.json").write_text(json.dumps(cfg))
    tensors = load_file(str(folder / "model.safetensors"))
    tensors = {k: (v[:100].contiguous() if v.shape[0] == 300 else v) for k, v in tensors.items()}
    save_file(tensors, str(folder / "model.safetensors"))
    for cmd in ("trace", "logits", "generate"):
        msg = assert_outcome(tplay(cmd, "-m", folder, "--prompt", "hello world the mat"), MUST_FAIL)
        assert "vocabulary" in msg


def test_sharded_index_pointing_outside_the_folder_is_refused(tplay, gpt2_folder, tmp_path):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    outside = tmp_path / "outside.safetensors"
    (folder / "model.safetensors").rename(outside)
    from safetensors import safe_open

    with safe_open(str(outside), "pt") as f:
        names = list(f.keys())
    index = {"metadata": {}, "weight_map": {n: "../outside.safetensors" for n in names}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    msg = assert_outcome(tplay("logits", "-m", folder, "--prompt", "hi"), MUST_FAIL)
    assert "outside" in msg


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize("cmd", ["logits", "generate", "trace"])
def test_non_finite_weights_name_the_tensor(tplay, gpt2_folder, tmp_path, value, cmd):
    import torch
    from safetensors.torch import load_file, save_file

    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    tensors = load_file(str(folder / "model.safetensors"))
    name = next(n for n in tensors if n.endswith("mlp.c_fc.weight"))
    tensors[name][0, 0] = float(value)
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(folder / "model.safetensors"))
    extra = ["--strategy", "beam"] if cmd == "generate" else []
    msg = assert_outcome(tplay(cmd, "-m", folder, "--prompt", "the cat", *extra), MUST_FAIL)
    assert name in msg or name.removeprefix("transformer.") in msg
    assert torch.isfinite(torch.tensor(1.0))


# --- other option values ------------------------------------------------------------------------------
OPTIONS = [
    ("trace", ["--layers", "1,x"]), ("trace", ["--layers", "99"]), ("trace", ["--layers", "-1"]),
    ("trace", ["--names", "no.such.hook"]), ("trace", ["--out", "/dev/null/x.safetensors"]),
    ("logits", ["--top", "0"]), ("logits", ["--top", "-3"]),
    ("logits", ["--npy", "/"]), ("logits", ["--target", "x"]),
    ("render", ["--layer", "99"]), ("render", ["--head", "99"]), ("render", ["--position", "999"]),
    ("trace", ["--device", "nosuch"]), ("trace", ["--dtype", "int7"]), ("trace", ["--device", "cuda:99"]),
]


@pytest.mark.parametrize("cmd,extra", OPTIONS, ids=lambda v: v if isinstance(v, str) else "_".join(v))
def test_bad_option_values_are_one_line(tplay, gpt2_folder, tmp_path, cmd, extra):
    folder = shutil.copytree(gpt2_folder, tmp_path / "m")
    argv = [cmd, "-m", folder, "--prompt", "the cat", *extra]
    if cmd == "render":
        argv += ["--view", "attention", "--out", tmp_path / "r.png", "--size", "200x150"]
    assert_outcome(tplay(*argv), MUST_FAIL)


def test_the_corpus_is_big_enough():
    n = (len(PROMPT_CMDS) * len(BAD_TEXT) + len(PROMPT_CMDS) * 4 * 2 + len(SAMPLING)
         + len(CONFIGS) * len(CONFIG_CMDS) + 4 * 10 + 1 + 1 + 9 + len(OPTIONS))
    assert n >= 150, n
