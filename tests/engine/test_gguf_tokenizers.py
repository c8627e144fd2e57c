"""The tokenizer of each GGUF family (byte-level pre-tokenizers by `tokenizer.ggml.pre`, sentencepiece
flavours by architecture) against the tokenizer transformers' GGUF loading builds from the same file."""
import pytest

from engine.loading.gguf_file import read
from engine.tokenizers.gguf_tokenizer import tokenizer_from_gguf

from .gguf_writers import source_model, write
from .reference_llama import varied_strings

# one file per tokenizer flavour: llama-bpe, qwen2 (Qwen2/Qwen3), gpt-2, Gemma's and Phi-3's sentencepiece
FLAVOURS = ["llama", "qwen2", "gpt2", "gemma2", "phi3"]


@pytest.fixture(scope="module", params=FLAVOURS)
def flavour(request, tmp_path_factory):
    from transformers import AutoTokenizer

    name = request.param
    path = write(name, source_model(name), tmp_path_factory.mktemp(name) / f"{name}.gguf")
    meta, _ = read(path)
    return name, tokenizer_from_gguf(meta, str(path)), AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)


def test_ids_match_transformers(flavour):
    name, ours, ref = flavour
    for s in varied_strings(300, seed=4):
        assert ours.encode(s).ids == ref(s)["input_ids"], (name, repr(s))


# the same file read with another family's rule: key, value
OTHER_RULE = {"llama": ("tokenizer.ggml.pre", "gpt-2"), "qwen2": ("tokenizer.ggml.pre", "gpt-2"),
              "gpt2": ("tokenizer.ggml.pre", "qwen2"), "gemma2": ("general.architecture", "llama"),
              "phi3": ("general.architecture", "llama")}


def test_each_rule_matters_on_these_strings(flavour):
    """Another family's rule on the same file gives other ids on some strings, so the match above
    is evidence for this family's rule."""
    name, ours, _ = flavour
    key, value = OTHER_RULE[name]
    other = tokenizer_from_gguf({**read_meta(name), key: value})
    differ = sum(ours.encode(s).ids != other.encode(s).ids for s in varied_strings(300, seed=4))
    assert differ > 5, (name, differ)


def read_meta(name):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        meta, _ = read(write(name, source_model(name), Path(d) / "m.gguf"))
    return dict(meta)


def test_gemma_whitespace_tokens_are_found():
    meta = read_meta("gemma2")
    ids = tokenizer_from_gguf(meta).encode("a    b").ids
    assert meta["tokenizer.ggml.tokens"].index("    ") in ids  # "    " looked up as "▁▁▁▁"


def test_a_token_spelled_outside_the_byte_alphabet_is_respelled_byte_by_byte():
    """Most byte-level files spell every token in the 256-symbol alphabet (the fast path); one
    that writes '中' as itself gets it respelled as its three UTF-8 bytes' symbols."""
    from engine.tokenizers.gguf_tokenizer import _byte_level, _bytes_to_unicode

    spelling = _bytes_to_unicode()
    alphabet = [c for _, c in sorted(spelling.items())]
    a, b, c = (spelling[x] for x in "中".encode("utf-8"))
    meta = {"tokenizer.ggml.pre": "gpt2", "tokenizer.ggml.merges": [f"{a} {b}", f"{a}{b} {c}"]}
    for spelled in (f"{a}{b}{c}", "中"):
        tok = _byte_level(meta, alphabet + [f"{a}{b}", spelled])
        assert tok.encode("中").ids == [len(alphabet) + 1], spelled
        assert tok.get_vocab()[f"{a}{b}{c}"] == len(alphabet) + 1
