"""SentencePiece-only model folders (Llama tokenizer.model, T5 spiece.model, Marian source/target.spm
+ vocab.json, XLM-R / mBART / NLLB sentencepiece.bpe.model, M2M100 spm + vocab.json): ids and
decoding equal to transformers' tokenizer of that layout, on models trained here."""
from __future__ import annotations

import pytest

from engine.errors import ModelLoadError
from engine.tokenizers import load_tokenizer
from .reference_llama import varied_strings
from .spm_models import FOLDERS, fairseq_vocab, pieces, trained_set, write

EDGE = ["", " ", "lead", " lead", "trail ", "  both  ", "a  b   c", "\ttab", "line\nbreak", "Zebra Quokka",
        "<s>x</s>", " <unk> ", "<pad>", "<extra_id_0> a <extra_id_99>", "a <mask> b", "42 1234 3.14",
        "é e\u0301 ü Ü", "中文 日本語 한국어", "😀👍🏽", "\u2581already", "▁▁", "<0x41>", ">>fra<< the animal",
        ">>spa<<x", "x >>fra<< y", ">>xyz<< code", "</s>>>fra<< b", "a <pad> b [INST] c", "[INST]  x", "__fr__ x"]
STRINGS = varied_strings(240, seed=3) + EDGE


@pytest.fixture(scope="session")
def spm_bytes():
    return trained_set()


@pytest.fixture(scope="module", params=[(n, bf) for n in FOLDERS for bf in (False, True)],
                ids=lambda p: f"{p[0]}-bf{int(p[1])}")
def pair(request, spm_bytes, tmp_path_factory):
    import transformers

    name, bf = request.param
    files, ref_class = FOLDERS[name]
    d = write(tmp_path_factory.mktemp(name), files(spm_bytes, bf))
    ref = getattr(transformers, ref_class).from_pretrained(str(d))
    return name, ref, load_tokenizer(d), d


def test_ids_and_decoding_match_transformers(pair):
    name, ref, ours, folder = pair
    assert len(STRINGS) >= 250
    for s in STRINGS:
        want = ref(s)["input_ids"]
        got = ours.encode(s).ids
        assert got == want, (name, repr(s), ours.encode(s).tokens, ref.convert_ids_to_tokens(want))
        for skip in (True, False):
            assert ours.decode(got, skip_special=skip) == ref.decode(want, skip_special_tokens=skip), (name, repr(s), skip)


def test_strings_reach_byte_fallback_and_unknowns(pair):
    """The strings exercise what they should: byte pieces with byte fallback, the unknown id without."""
    name, ref, ours, _ = pair
    ids = [i for s in STRINGS for i in ours.encode(s).ids]
    tokens = [t for s in STRINGS for t in ours.encode(s).tokens]
    has_bytes = any(t.startswith("<0x") for t in tokens)
    unk = ours.token_to_id("<unk>")
    if name.startswith("llama") or name in ("t5", "xlm-roberta", "mbart", "nllb"):
        if name.startswith("llama"):
            assert has_bytes == (ours.token_to_id("<0x41>") is not None)
        else:
            assert unk in ids
    else:
        assert has_bytes or unk in ids


@pytest.mark.parametrize("rule", ["legacy", "add_prefix_space"])
def test_llama_prefix_rules_change_ids(spm_bytes, tmp_path, rule):
    """The legacy / add_prefix_space settings matter on these strings (so matching above means something)."""
    a = load_tokenizer(write(tmp_path / "a", {"tokenizer.model": spm_bytes["llama", True]}))
    b = load_tokenizer(write(tmp_path / "b", {"tokenizer.model": spm_bytes["llama", True],
                                             "tokenizer_config.json": {rule: rule == "legacy"}}))
    assert sum(a.encode(s).ids != b.encode(s).ids for s in STRINGS) > 5


def test_llama_adds_bos_without_a_config(spm_bytes, tmp_path):
    tok = load_tokenizer(write(tmp_path, {"tokenizer.model": spm_bytes["llama", True]}))
    assert tok.encode("the animal").ids[0] == tok.token_to_id("<s>") == 1
    assert tok.encode("the animal", special=False).ids[0] != 1


def test_t5_sentinels_top_of_vocab_and_eos(spm_bytes, tmp_path):
    tok = load_tokenizer(write(tmp_path, {"spiece.model": spm_bytes["t5", False]}))
    n = len(pieces(spm_bytes["t5", False]))
    assert tok.token_to_id("<extra_id_99>") == n and tok.token_to_id("<extra_id_0>") == n + 99
    ids = tok.encode("the <extra_id_0> animal").ids
    assert ids[-1] == tok.token_to_id("</s>") == 1 and n + 99 in ids


def test_fairseq_offsets_and_mask(spm_bytes, tmp_path):
    m = spm_bytes["unigram", False]
    tok = load_tokenizer(write(tmp_path, {"sentencepiece.bpe.model": m}))  # XLM-R by default
    p = pieces(m)
    assert [tok.token_to_id(t) for t in ("<s>", "<pad>", "</s>", "<unk>")] == [0, 1, 2, 3]
    assert tok.token_to_id(p[10]) == 11 and tok.token_to_id("<mask>") == len(p) + 1
    ids = tok.encode("the animal").ids
    assert ids[0] == 0 and ids[-1] == 2


def test_mbart_and_m2m100_language_codes(spm_bytes, tmp_path):
    from engine.tokenizers.spm_languages import M2M100, MBART

    m = spm_bytes["unigram", False]
    mb = load_tokenizer(write(tmp_path / "mb", {"sentencepiece.bpe.model": m, "tokenizer_config.json":
                                               {"tokenizer_class": "MBartTokenizer", "src_lang": "de_DE"}}))
    assert mb.encode("the").ids[-2:] == [2, mb.token_to_id("de_DE")]
    assert mb.token_to_id("en_XX") == mb.token_to_id("ar_AR") + MBART.index("en_XX")
    m2 = load_tokenizer(write(tmp_path / "m2", {"sentencepiece.bpe.model": m, "vocab.json": fairseq_vocab(m),
                                               "tokenizer_config.json": {"src_lang": "de"}}))
    n = len(fairseq_vocab(m))
    assert m2.encode("the").ids[0] == n + M2M100.index("de") and m2.encode("the").ids[-1] == 2


def test_tokenizer_json_wins(spm_bytes, tmp_path):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel

    d = write(tmp_path, {"tokenizer.model": spm_bytes["llama", True]})
    Tokenizer(WordLevel({"x": 0, "[UNK]": 1}, unk_token="[UNK]")).save(str(d / "tokenizer.json"))
    assert load_tokenizer(d).kind == "WordLevel"


def test_folder_with_no_tokenizer_names_the_files(tmp_path):
    with pytest.raises(ModelLoadError) as e:
        load_tokenizer(tmp_path)
    for name in ("tokenizer.json", "tokenizer.model", "spiece.model", "source.spm", "sentencepiece.bpe.model"):
        assert name in str(e.value)


@pytest.mark.parametrize("files, words", [
    ({"tokenizer.model": b"\x00not a model"}, "not a SentencePiece model"),
    ({"tokenizer.model": ("unigram", True)}, "Unigram model, but LlamaTokenizer reads"),
    ({"spiece.model": ("unigram", False)}, "T5Tokenizer assumes id 2"),
    ({"spiece.model": ("t5", False), "tokenizer_config.json": {"tokenizer_class": "AlbertTokenizer"}}, "AlbertTokenizer is refused"),
    ({"spiece.model": ("t5", False), "tokenizer_config.json": {"tokenizer_class": "FooTokenizer"}}, "'FooTokenizer' is not supported"),
    ({"source.spm": ("unigram", False)}, "no target.spm"),
    ({"source.spm": ("unigram", False), "target.spm": ("unigram", False), "vocab.json": {"</s>": 0, "<unk>": 1, "<pad>": 2},
      "tokenizer_config.json": {"separate_vocabs": True}}, "separate_vocabs"),
    ({"sentencepiece.bpe.model": ("bpe", False), "tokenizer_config.json": {"tokenizer_class": "NllbTokenizer"}}, "language codes"),
    ({"sentencepiece.bpe.model": ("bpe", False), "tokenizer_config.json": {"tokenizer_class": "XLMRobertaTokenizer"}}, "reads it as Unigram"),
])
def test_refusals_are_one_clear_line(spm_bytes, tmp_path, files, words):
    files = {k: (spm_bytes[v] if isinstance(v, tuple) else v) for k, v in files.items()}
    with pytest.raises(ModelLoadError) as e:
        load_tokenizer(write(tmp_path, files))
    assert words in str(e.value) and "\n" not in str(e.value)


def test_model_type_picks_the_reader_and_a_missing_file_is_named(spm_bytes, tmp_path):
    d = write(tmp_path, {"spiece.model": spm_bytes["t5", False], "config.json": {"model_type": "llama"}})
    with pytest.raises(ModelLoadError, match="has no tokenizer.model, which LlamaTokenizer needs"):
        load_tokenizer(d)
    write(d, {"config.json": {"model_type": "t5"}})
    assert load_tokenizer(d).kind == "Unigram"


# layouts with a target side of their own, and the tokenizer_config.json that names the target language
TARGET_SIDE = [("marian-unigram", {}), ("marian-multilingual", {}), ("m2m100-bpe", {"tgt_lang": "de"}),
               ("mbart", {"tgt_lang": "ro_RO"}), ("nllb", {"tgt_lang": "deu_Latn"}), ("t5", {})]


@pytest.mark.parametrize("name, extra", TARGET_SIDE, ids=[n for n, _ in TARGET_SIDE])
def test_target_text_matches_text_target(spm_bytes, tmp_path, name, extra):
    """encode_target (the decoder side's text for teacher forcing) = transformers' text_target=."""
    import transformers

    files, ref_class = FOLDERS[name]
    files = files(spm_bytes, True)
    cfg = files.get("tokenizer_config.json", {})
    files["tokenizer_config.json"] = {**cfg, **extra}
    d = write(tmp_path, files)
    ref = getattr(transformers, ref_class).from_pretrained(str(d))
    ours = load_tokenizer(d)
    differ = 0
    for s in STRINGS[:120]:
        want = ref(text_target=s)["input_ids"]
        assert ours.encode_target(s).ids == want, (name, repr(s))
        differ += want != ref(s)["input_ids"]
    assert (differ > 10) == (name != "t5"), differ  # the target side is not the source side (except T5's)
