"""Each processor against the transformers processor of the same name, within 1e-6."""
import math

import pytest
import torch
from transformers.generation.logits_process import (
    MinPLogitsWarper,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

from engine.decoding.processors import MinP, RepetitionPenalty, Temperature, TopK, TopP, build_chain
from engine.errors import InputError

CASES = [
    (Temperature, TemperatureLogitsWarper, [0.3, 0.7, 1.0, 2.5]),
    (TopK, TopKLogitsWarper, [1, 3, 10, 500]),
    (TopP, TopPLogitsWarper, [0.1, 0.5, 0.9, 1.0]),
    (MinP, MinPLogitsWarper, [0.0, 0.05, 0.3, 1.0]),
    (RepetitionPenalty, RepetitionPenaltyLogitsProcessor, [0.5, 1.0, 1.3, 2.0]),
]


def _inputs():
    g = torch.Generator().manual_seed(0)
    scores = torch.randn(3, 97, generator=g) * 3  # [rows, vocab]
    scores[1, :10] = 5.0  # ties at the top
    scores[2, 20] = -float("inf")  # an already-filtered token
    ids = torch.randint(0, 97, (3, 12), generator=g)  # repeats included
    return ids, scores


def _probs(s):
    return torch.softmax(s, dim=-1)


@pytest.mark.parametrize("ours,theirs,values", CASES, ids=[c[0].__name__ for c in CASES])
def test_processor_matches_reference(ours, theirs, values):
    ids, scores = _inputs()
    for v in values:
        mine = ours(v)(ids, scores.clone())
        ref = theirs(float(v) if theirs is not TopKLogitsWarper else v)(ids, scores.clone())
        assert torch.equal(torch.isinf(mine), torch.isinf(ref)), (ours.__name__, v)
        fin = torch.isfinite(ref)
        assert torch.allclose(mine[fin], ref[fin], atol=1e-6, rtol=0), (ours.__name__, v)
        assert torch.allclose(_probs(mine), _probs(ref), atol=1e-6, rtol=0), (ours.__name__, v)


def test_min_tokens_to_keep_matches_reference():
    ids, scores = _inputs()
    for ours, theirs, v in ((TopP, TopPLogitsWarper, 0.01), (MinP, MinPLogitsWarper, 0.9), (TopK, TopKLogitsWarper, 1)):
        mine = ours(v, 3)(ids, scores.clone())
        ref = theirs(v, min_tokens_to_keep=3)(ids, scores.clone())
        assert torch.equal(torch.isinf(mine), torch.isinf(ref)), ours.__name__


def test_chain_in_reference_order_with_stages():
    ids, scores = _inputs()
    chain = build_chain({"repetition_penalty": 1.2, "temperature": 0.7, "top_k": 20, "top_p": 0.8, "min_p": 0.02},
                        sampling=True)
    ref = scores.clone()
    for p in (RepetitionPenaltyLogitsProcessor(1.2), TemperatureLogitsWarper(0.7), TopKLogitsWarper(20),
              TopPLogitsWarper(0.8), MinPLogitsWarper(0.02)):
        ref = p(ids, ref)
    stages = chain.stages(ids, scores)
    assert [n for n, _ in stages] == ["raw", "repetition_penalty", "temperature", "top_k", "top_p", "min_p"]
    assert torch.allclose(_probs(stages[-1][1]), _probs(ref), atol=1e-6)
    kept = [int(torch.isfinite(s[0]).sum()) for _, s in stages]
    assert kept == sorted(kept, reverse=True) and kept[-1] < kept[0]


@pytest.mark.parametrize("cls,value,words", [
    (Temperature, 0, "greedy"), (Temperature, -1.0, "> 0"), (TopK, 0, "≥ 1"), (TopK, 2.5, "whole"),
    (TopP, 0.0, "(0, 1]"), (TopP, 1.5, "(0, 1]"), (MinP, -0.1, "[0, 1]"), (MinP, 2, "[0, 1]"),
    (RepetitionPenalty, 0, "> 0"), (Temperature, math.nan, "number"), (TopP, "x", "number"),
])
def test_invalid_values_name_the_allowed_range(cls, value, words):
    with pytest.raises(InputError, match=None) as e:
        cls(value)
    assert words in str(e.value)


def test_warpers_refused_without_sampling():
    with pytest.raises(InputError, match="sample"):
        build_chain({"top_k": 5}, sampling=False)
    assert not build_chain({"top_k": 0, "top_p": 1.0, "temperature": 1.0}, sampling=True)
