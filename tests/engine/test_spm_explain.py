"""The tokenizer step-through on SentencePiece folders: SentencePiece-BPE merges with the pieces'
scores, the '▁' space marker, byte fallback, and Unigram's Viterbi lattice (candidate pieces with
their log-probabilities, best totals per position, the best path); final pieces = the encoding."""
from __future__ import annotations

import functools

import pytest
import sentencepiece

from engine.tokenizers import load_tokenizer
from engine.tokenizers.explain import ExplainError, explain

from .reference_llama import varied_strings
from .spm_models import FOLDERS, trained_set, write

STRINGS = varied_strings(80, seed=11) + ["", "  both  ", "<s>x</s>", "the animal 中文 😀 Zebra"]


@pytest.fixture(scope="session")
def spm_bytes():
    return trained_set()


@pytest.fixture(scope="module", params=[(n, bf) for n in FOLDERS for bf in (False, True)],
                ids=lambda p: f"{p[0]}-bf{int(p[1])}")
def layout(request, spm_bytes, tmp_path_factory):
    name, bf = request.param
    d = write(tmp_path_factory.mktemp(name), FOLDERS[name][0](spm_bytes, bf))
    spm_file = next(p for p in (d / "tokenizer.model", d / "spiece.model", d / "source.spm",
                                d / "sentencepiece.bpe.model") if p.is_file())
    return name, load_tokenizer(d), sentencepiece.SentencePieceProcessor(model_file=str(spm_file))


def test_explained_pieces_are_the_encoding(layout):
    """Equal to the encoding, or refused in one line: the vocab.json layouts encode with SentencePiece
    itself and the step-through rebuilds it with `tokenizers`' parts, which differ on rare strings."""
    name, tok, _ = layout
    refused = []
    for s in STRINGS:
        for special in (True, False):
            enc = tok.encode(s, special=special)
            try:
                exp = explain(tok, s, add_special_tokens=special)
            except ExplainError as e:
                assert hasattr(tok, "map_explanation") and "\n" not in str(e), (name, repr(s), e)
                refused.append(s)
                continue
            assert (exp.ids, exp.tokens) == (enc.ids, enc.tokens), (name, repr(s))
            assert exp.steps[-1].kind == "result" and exp.steps[-1].data["ids"] == enc.ids
    assert len(refused) <= 4, (name, refused)


def test_space_marker_is_explained(layout):
    _, tok, _ = layout
    notes = [s.description for s in explain(tok, "the animal").steps if s.kind == "sentencepiece"]
    assert any("'▁' (U+2581)" in n for n in notes), notes


def _words(exp, kind):
    return [s for s in exp.steps if s.kind == kind]


def test_unigram_lattice_scores_and_best_path(layout):
    name, tok, sp = layout
    if tok.kind != "Unigram":
        pytest.skip("a BPE layout")
    scores = {sp.id_to_piece(i): sp.get_score(i) for i in range(sp.get_piece_size())}
    checked = 0
    for s in ["the animal", "je suis étudiant", "中文 hello", "tokenizer", "x 𝔘𝔫𝔦 ⅏⅏ y"]:
        exp = explain(tok, s)
        for lat, best in zip(_words(exp, "unigram_lattice"), _words(exp, "unigram_best_path")):
            word = lat.data["word"]
            cands = lat.data["candidates"]
            assert lat.data["n_candidates"] == len(cands) > 0
            for c in cands:
                assert word[c["start"]:c["end"]] == c["piece"]
                if not c["unknown"]:  # each candidate's log-probability is the file's score
                    assert c["score"] == pytest.approx(scores[c["piece"]], abs=1e-6), c
            # the best path is the best of all segmentations of the candidates (memoised search)
            by_start = {}
            for c in cands:
                by_start.setdefault(c["start"], []).append(c)

            @functools.lru_cache(maxsize=None)
            def best_total(pos):
                if pos == len(word):
                    return 0.0
                return max((c["score"] + best_total(c["end"]) for c in by_start.get(pos, [])), default=float("-inf"))

            assert best.data["total_score"] == pytest.approx(best_total(0), abs=1e-4)
            checked += 1
            assert "".join(p["piece"] for p in best.data["pieces"]) == word
            assert best.data["total_score"] == pytest.approx(sum(p["score"] for p in best.data["pieces"]), abs=1e-4)
            steps = [v for v in _words(exp, "unigram_viterbi") if v.data["word_index"] == lat.data["word_index"]]
            assert [v.data["position"] for v in steps] == list(range(1, len(word) + 1))
            assert steps[-1].data["best"] == pytest.approx(best.data["total_score"])
    assert checked >= 3


def test_sentencepiece_bpe_merges_by_score(layout):
    name, tok, sp = layout
    if tok.kind != "BPE":
        pytest.skip("a Unigram layout")
    scores = {sp.id_to_piece(i): sp.get_score(i) for i in range(sp.get_piece_size())}
    exp = explain(tok, "the animal did not cross the street")
    merges = _words(exp, "bpe_merge")
    assert merges
    for m in merges:
        assert m.data["score"] == pytest.approx(scores[m.data["merged"]]), m.description
        assert "score" in m.description
    for start, done in zip(_words(exp, "bpe_start"), _words(exp, "bpe_done")):  # replay each word's merges
        symbols = list(start.data["symbols"])
        for m in (m for m in merges if m.data["word_index"] == start.data["word_index"]):
            k = m.data["position"]
            assert symbols[k:k + 2] == m.data["pair"]
            symbols[k:k + 2] = [m.data["merged"]]
        assert symbols == done.data["tokens"]


def test_byte_fallback_is_a_step(layout):
    name, tok, sp = layout
    has_bytes = tok.token_to_id("<0x41>") is not None if not hasattr(tok, "vocab") else "<0x41>" in tok.vocab
    exp = explain(tok, "the 😀")
    spelled = [t for t in exp.tokens if t.startswith("<0x")]
    if spelled:
        assert has_bytes
        kinds = {s.kind for s in exp.steps}
        assert "byte_fallback" in kinds or any("<0x" in s.description or s.data.get("fallback") for s in
                                               _words(exp, "bpe_start"))
    if sp.is_byte(sp.piece_to_id("<0xF0>")) and tok.kind == "Unigram" and "t5" not in name \
            and name not in ("xlm-roberta", "mbart"):  # transformers turns byte fallback off for these
        assert spelled, exp.tokens


def test_vocab_json_lookup_is_a_step(layout):
    name, tok, _ = layout
    if not hasattr(tok, "map_explanation"):
        pytest.skip("ids are the file's own")
    exp = explain(tok, "the animal Zebra")
    look = _words(exp, "vocab_lookup")
    assert len(look) == 1 and look[0].data["ids"] == [tok.map_piece(t) for t in look[0].data["tokens"]]
    assert look[0].data["spm_ids"] != look[0].data["ids"]
