"""Seq2seq generation against transformers' `generate`, for every encoder-decoder parity case.

A case is included when the model we build from it says `has_encoder` (so a new family's cases
are checked as soon as they are registered). Through engine.decoding (what `tplay generate` and
the decoding lab run): greedy and beam search (2 and 4 beams, length penalties 0.6 / 1.0 / 2.0,
early stopping on and off, every returned sequence) give the same tokens, and scores within
1e-4 (greedy: the sum of the chosen tokens' log-probs; beam: transformers' sequences_scores).
End-of-sequence is also set to a token the model likes, so beams finish at different lengths;
the case's own generation config applies (Marian forces pad at the last step), and a second
folder per case forces a first and a last token and bans a token and a pair through
generation_config.json.
"""
from __future__ import annotations

import itertools

import pytest
import torch

from engine.decoding import Generation, GenerationOptions
from engine.loading import load_model
from engine.loading.registry import converter_for
from engine.models import FAMILIES

from .cases import all_cases
from .test_parity import write_word_tokenizer

SOURCES = ([5, 17, 33, 2, 9, 41, 8], [60, 23, 71, 12])  # no pad (0) or T5's eos (1): nothing masked
MAX_NEW = 6
FORCED_BOS, FORCED_EOS = 40, 41  # ordinary tokens (no case uses ids above 3 as special tokens)
ATOL = 1e-4


def _builds_an_encoder(c) -> bool:
    """Ask the model we would build (its family's capability), not the architecture's name."""
    hf = c.build().config.to_dict()
    return FAMILIES[converter_for(c.architecture).make_config(hf).family].has_encoder


CASES = [c for c in all_cases() if _builds_an_encoder(c)]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """(case, forced) -> (reference, our model), built once per module."""
    cache = {}

    def get(c, forced=False):
        key = (c.id, forced)
        if key not in cache:
            ref = c.build()
            if forced:  # a first and a last token forced, a token and a pair banned, by generation_config.json
                ref.generation_config.forced_bos_token_id = FORCED_BOS
                ref.generation_config.forced_eos_token_id = FORCED_EOS
                then = _liked(ref, SOURCES[1])  # starts with the forced token: ban what greedy takes next
                ref.generation_config.bad_words_ids = [[then[2]], [then[0], then[1]]]
            folder = tmp_path_factory.mktemp(c.id.replace(".", "_") + ("-forced" if forced else ""))
            ref.save_pretrained(folder, safe_serialization=True)
            write_word_tokenizer(folder)
            ours = load_model(str(folder)).model
            assert ours.has_encoder
            cache[key] = ref, ours
        return cache[key]

    return get


def _liked(ref, src) -> list[int]:
    """The reference's first 4 greedy tokens for src, no end-of-sequence (a liked token makes
    beams end early)."""
    gc = ref.generation_config
    saved, gc.eos_token_id = gc.eos_token_id, None
    try:
        with torch.no_grad():
            out = ref.generate(torch.tensor([src]), max_new_tokens=4, min_new_tokens=4, do_sample=False)
    finally:
        gc.eos_token_id = saved
    return out[0, 1:].tolist()


def _fill(ref, eos) -> int:
    pad = ref.generation_config.pad_token_id
    return pad or eos  # what transformers pads finished beams with (`pad or eos`)


def _ours(model, src, **opts):
    gen = Generation(model, src, GenerationOptions(max_new_tokens=MAX_NEW, **opts))
    gen.run()
    return gen.sequences


def _assert_same(ours, ref_rows, ref_scores, fill, what):
    assert len(ours) == len(ref_rows), what
    for seq, row, score in zip(ours, ref_rows, ref_scores):
        assert row[: len(seq.ids)] == seq.ids, what
        assert all(t == fill for t in row[len(seq.ids):]), what
        assert abs(seq.score - score) < ATOL, (what, seq.score, score)


def _check_greedy(ref, ours, src, eos):
    with torch.no_grad():
        o = ref.generate(torch.tensor([src]), max_new_tokens=MAX_NEW, do_sample=False, eos_token_id=eos,
                         output_scores=True, return_dict_in_generate=True)
    row = o.sequences[0, 1:].tolist()  # after the decoder start token
    score = sum(torch.log_softmax(s[0].float(), -1)[t].item() for s, t in zip(o.scores, row))
    got = _ours(ours, src, strategy="greedy", eos_ids=[eos])
    _assert_same(got, [row], [score], _fill(ref, eos), f"greedy eos={eos}")


def _check_beam(ref, ours, src, eos, beams, lp, early, n_return):
    with torch.no_grad():
        o = ref.generate(torch.tensor([src]), max_new_tokens=MAX_NEW, num_beams=beams, length_penalty=lp,
                         early_stopping=early, num_return_sequences=n_return, eos_token_id=eos,
                         output_scores=True, return_dict_in_generate=True)
    got = _ours(ours, src, strategy="beam", num_beams=beams, length_penalty=lp, early_stopping=early,
                num_return=n_return, eos_ids=[eos])
    rows = [r[1:].tolist() for r in o.sequences]
    what = f"beams={beams} lp={lp} early={early} return={n_return} eos={eos}"
    _assert_same(got, rows, o.sequences_scores.tolist(), _fill(ref, eos), what)
    return any(len(s.ids) < MAX_NEW for s in got)


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_greedy_and_beams_match_generate(c, pair):
    ref, ours = pair(c)
    eos_own = ref.generation_config.eos_token_id
    eos_own = eos_own[0] if isinstance(eos_own, list) else eos_own
    ended_early = False
    for src in SOURCES:
        liked = _liked(ref, src)[1]
        for eos in (eos_own, liked):
            _check_greedy(ref, ours, src, eos)
        if src is not SOURCES[0]:
            ended_early |= _check_beam(ref, ours, src, liked, 4, 1.0, False, 2)
            continue
        for beams, lp, early in itertools.product((2, 4), (0.6, 1.0, 2.0), (True, False)):
            ended_early |= _check_beam(ref, ours, src, liked, beams, lp, early, beams)
    ended_early |= _check_beam(ref, ours, SOURCES[0], eos_own, 2, 1.0, "never", 1)
    assert ended_early, "no beam ended before the length limit: the end-of-sequence path went untested"


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_forced_and_banned_tokens_match_generate(c, pair):
    ref, ours = pair(c, forced=True)
    assert ours.cfg.forced_bos_token_id == ref.generation_config.forced_bos_token_id  # read from the folder
    src = SOURCES[1]
    eos = next((t for t in _liked(ref, src)[1:] if t != FORCED_BOS), FORCED_EOS)  # not the forced first token
    _check_greedy(ref, ours, src, eos)
    for beams, lp in ((2, 0.6), (4, 2.0)):
        _check_beam(ref, ours, src, eos, beams, lp, False, beams)
    got = _ours(ours, src, strategy="beam", num_beams=2, num_return=2, eos_ids=[])
    assert all(s.ids[0] == ours.cfg.forced_bos_token_id for s in got)
    assert all(s.ids[-1] == ours.cfg.forced_eos_token_id for s in got)  # at the last step the length allows
    (single,), (first, then) = ours.cfg.bad_words_ids
    for s in got:
        assert single not in s.ids[1:-1]  # banned (the forced tokens override every ban)
        assert all((a, b) != (first, then) for a, b in zip(s.ids[:-2], s.ids[1:-1]))
