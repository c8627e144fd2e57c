"""`tplay tokenize`: ids equal the checkpoint tokenizer's, --explain/--json output, odd Unicode,
empty text, and bad input as one clear line with a non-zero exit."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from tokenizers import Tokenizer

from tests.engine.test_explain import minilm_tokenizer_path, sentencepiece_bpe

ODD = ["héllo wörld", "東京タワー👍🏽", "e\u0301\u0302", "tab\there\nnew  line", "\x00\x07\x7f", "\u200b\u2028",
       "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd", "   "]


def _one_line_error(code, err) -> str:
    """Check the exit code and the one-line shape; return the message for the caller to check."""
    assert code != 0
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("tplay: error: "), err
    assert "Traceback" not in err
    return lines[0].removeprefix("tplay: error: ")


@pytest.fixture(scope="module")
def tokenizer_only_folder(tmp_path_factory):
    """config.json + tokenizer.json and no weights at all: tokenize must not need them."""
    folder = tmp_path_factory.mktemp("spbpe")
    tok = sentencepiece_bpe()
    tok.save(str(folder / "tokenizer.json"))
    (folder / "config.json").write_text(json.dumps({"architectures": ["LlamaForCausalLM"]}))
    return folder


def _library(path, text, special=True):
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok.encode(text, add_special_tokens=special)


@pytest.mark.parametrize("explain", [False, True])
def test_json_ids_equal_library_on_odd_unicode(tplay, tokenizer_only_folder, explain):
    path = tokenizer_only_folder / "tokenizer.json"
    for text in ODD:
        code, out, err = tplay("tokenize", "-m", tokenizer_only_folder, text, "--json",
                               *(["--explain"] if explain else []))
        assert code == 0, err
        obj = json.loads(out)
        enc = _library(path, text)
        assert obj["ids"] == enc.ids and obj["tokens"] == enc.tokens
        assert obj["offsets"] == [list(o) for o in enc.offsets]
        assert ("steps" in obj) == explain
        if explain:
            assert obj["steps"][-1]["data"]["ids"] == enc.ids


def test_minilm_pack_table_and_no_padding(tplay):
    text = "Hello, wörld! [MASK] 東京"
    code, out, err = tplay("tokenize", "-m", "minilm-l6", text)
    assert code == 0, err
    enc = _library(minilm_tokenizer_path(), text)
    lines = out.strip().splitlines()
    assert lines[0] == f"minilm-l6 (WordPiece): {len(enc.ids)} token(s)"
    assert [int(ln.split()[1]) for ln in lines[2:]] == enc.ids  # the tokenizer.json pads to 128: not here
    assert enc.ids[0] == 101 and enc.ids[-1] == 102


def test_explain_text_output_lists_steps(tplay, gpt2_folder):
    code, out, err = tplay("tokenize", "-m", gpt2_folder, "the cat sat", "--explain")
    assert code == 0, err
    assert out.startswith("Steps (")
    assert "[bpe_merge] merge" in out and "[pre_tokenize]" in out
    tail = out.strip().splitlines()
    ids = [int(ln.split()[1]) for ln in tail[tail.index(next(ln for ln in tail if ln.startswith("#"))) + 1:]]
    assert ids == _library(gpt2_folder / "tokenizer.json", "the cat sat").ids


def test_bytes_column_spells_the_utf8(tplay, gpt2_folder, tokenizer_only_folder):
    for folder in (gpt2_folder, tokenizer_only_folder):
        code, out, err = tplay("tokenize", "-m", folder, "☃ snow", "--json", "--no-special")
        assert code == 0, err
        obj = json.loads(out)
        assert b"".join(bytes.fromhex(b) for b in obj["bytes"]).replace(b"\xe2\x96\x81", b" ").strip() \
            == "☃ snow".encode()


def test_empty_text_and_prompt_file(tplay, tokenizer_only_folder, gpt2_folder, tmp_path):
    code, out, err = tplay("tokenize", "-m", gpt2_folder, "", "--json")
    assert code == 0, err
    assert json.loads(out)["ids"] == []
    code, out, err = tplay("tokenize", "-m", tokenizer_only_folder, "")
    assert code == 0 and "(the text is empty)" in out
    f = tmp_path / "t.txt"
    f.write_text("line one\nline two 東京\n", encoding="utf-8")
    code, out, err = tplay("tokenize", "-m", tokenizer_only_folder, "--prompt-file", f, "--json", "--explain")
    assert code == 0, err
    assert json.loads(out)["ids"] == _library(tokenizer_only_folder / "tokenizer.json", "line one\nline two 東京").ids


@pytest.mark.parametrize("args", [
    ("tokenize", "-m", "no-such-model", "x"),
    ("tokenize", "-m", "minilm-l6"),
    ("tokenize", "-m", "minilm-l6", "a", "--prompt", "b"),
    ("tokenize", "-m", "minilm-l6", "a\udcffb"),
    ("tokenize", "-m", "/no/such/folder", "x"),
])
def test_bad_input_is_one_line(tplay, args):
    code, out, err = tplay(*args)
    message = _one_line_error(code, err)
    assert len(message) > 10 and not message.startswith("usage")


def test_broken_tokenizer_json_is_one_line(tplay, tmp_path):
    (tmp_path / "tokenizer.json").write_text("{not json")
    code, out, err = tplay("tokenize", "-m", tmp_path, "x")
    assert "tokenizer.json" in _one_line_error(code, err)


def test_entry_point_subprocess(gpt2_folder):
    r = subprocess.run([sys.executable, "-m", "gui.cli", "tokenize", "-m", str(gpt2_folder), "hello world",
                        "--json"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ids"] == _library(gpt2_folder / "tokenizer.json", "hello world").ids
