"""Beam search against transformers' generate: identical sequences, scores within 1e-4."""
import itertools

import pytest
import torch

from engine.decoding import Generation, GenerationOptions

from .decoding_models import FAMILIES

PROMPT = [5, 17, 33, 2, 9]
MAX_NEW = 8


@pytest.fixture(scope="module", params=list(FAMILIES))
def pair(request, tmp_path_factory):
    ref, ours = FAMILIES[request.param](tmp_path_factory.mktemp(request.param))
    return request.param, ref, ours


def _prompt_len(fam, prompt):
    return 1 if fam == "marian" else len(prompt)  # the decoder start token, or the prompt


def _ref_beam(ref, prompt, **kw):
    with torch.no_grad():
        return ref.generate(torch.tensor([prompt]), max_new_tokens=MAX_NEW, output_scores=True,
                            return_dict_in_generate=True, **kw)


def _compare(fam, o, gen, prompt, pad):
    pl = _prompt_len(fam, prompt)
    assert len(gen.sequences) == o.sequences.shape[0]
    for row, seq, score in zip(o.sequences, gen.sequences, o.sequences_scores.tolist()):
        ref_ids = row[pl:].tolist()
        assert ref_ids[: len(seq.ids)] == seq.ids
        assert all(t == pad for t in ref_ids[len(seq.ids):])  # transformers pads shorter beams
        assert abs(seq.score - score) < 1e-4


def test_beams_and_length_penalties_match_reference(pair):
    fam, ref, ours = pair
    finished_early = 0
    prompt = PROMPT
    with torch.no_grad():
        greedy = ref.generate(torch.tensor([prompt]), max_new_tokens=4, do_sample=False)
    # end-of-sequence = a token the model likes here, so beams finish at different lengths
    for eos in (ref.config.eos_token_id, int(greedy[0, -2])):
        for beams, lp in itertools.product((2, 3, 5), (0.5, 1.0, 2.0)):
            o = _ref_beam(ref, prompt, num_beams=beams, length_penalty=lp, num_return_sequences=beams,
                          eos_token_id=eos)
            opts = GenerationOptions(strategy="beam", num_beams=beams, length_penalty=lp, num_return=beams,
                                     max_new_tokens=MAX_NEW, eos_ids=[eos])
            gen = Generation(ours, prompt, opts)
            gen.run()
            pad = ref.generation_config.pad_token_id
            _compare(fam, o, gen, prompt, pad or eos)  # transformers: `pad or eos`
            finished_early += any(len(s.ids) < MAX_NEW for s in gen.sequences)
    assert finished_early > 0  # the end-of-sequence path was exercised


@pytest.mark.parametrize("early", [True, "never"])
def test_early_stopping_modes_match_reference(pair, early):
    fam, ref, ours = pair
    prompt = PROMPT
    with torch.no_grad():
        eos = int(ref.generate(torch.tensor([prompt]), max_new_tokens=3, do_sample=False)[0, -1])
    for lp in (0.5, 2.0):
        o = _ref_beam(ref, prompt, num_beams=3, length_penalty=lp, early_stopping=early,
                      num_return_sequences=2, eos_token_id=eos)
        gen = Generation(ours, prompt, GenerationOptions(strategy="beam", num_beams=3, length_penalty=lp,
                                                         early_stopping=early, num_return=2,
                                                         max_new_tokens=MAX_NEW, eos_ids=[eos]))
        gen.run()
        pad = ref.generation_config.pad_token_id
        _compare(fam, o, gen, prompt, pad or eos)  # transformers: `pad or eos`
        assert len(gen.sequences) == 2  # num_return honoured in this mode too


def test_encoder_decoder_beam_width_two_returns_top_two(tmp_path):
    """The worked example: beam width 2, top 2 beams, with every step's tree as data."""
    ref, ours = FAMILIES["marian"](tmp_path)
    gen = Generation(ours, [12, 7, 30], GenerationOptions(strategy="beam", num_beams=2, num_return=2,
                                                          max_new_tokens=6))
    events = list(gen)
    assert len(gen.sequences) == 2 and gen.sequences[0].score >= gen.sequences[1].score
    first = events[0]
    assert len(first.hypotheses) == 1  # one real beam at the start
    assert [h.stages[0].name for h in first.hypotheses] == ["raw"]
    for ev in events[1:]:
        kept = [c for c in ev.candidates if c.status == "kept"]
        assert len(kept) == 2 or ev.done
        assert {c.parent for c in ev.candidates} <= {h.index for h in ev.hypotheses}
        assert [c.rank for c in ev.candidates] == sorted(c.rank for c in ev.candidates)
    # every returned sequence can be followed back through the tree, parent by parent
    assert events[-1].done and events[-1].stop_reason
