"""Every registered architecture against transformers: logits through `tplay logits` (1e-4),
20 greedy tokens, and the consistency checks on its trace (each step recomputes from its inputs)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from engine import Capture, run
from engine.loading import load_model
from engine.loading.registry import supported

from .. import test_consistency
from .cases import VOCAB, all_cases

CASES = all_cases()
PROMPT = [5, 17, 33, 2, 9, 41, 8, 60, 23, 71, 12, 4]
TARGET = [7, 30, 11, 52, 6]  # encoder-decoder: teacher-forced decoder tokens after the start token


def test_every_registered_architecture_has_a_parity_case():
    covered = {c.architecture for c in CASES}
    missing = sorted(set(supported()) - covered)
    assert not missing, f"registered without a parity case in tests/engine/parity/case_*.py: {missing}"


def write_word_tokenizer(folder) -> None:
    """tokenizer.json mapping "w0".."wN" to ids 0..N, so a prompt names its ids exactly."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    tok = Tokenizer(models.WordLevel({f"w{i}": i for i in range(VOCAB)}, unk_token="w0"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.save(str(folder / "tokenizer.json"))


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    """case id -> (reference model, folder it was saved to), built once per module."""
    cache = {}

    def get(c):
        if c.id not in cache:
            ref = c.build()
            folder = tmp_path_factory.mktemp(c.id.replace(".", "_"))
            ref.save_pretrained(folder, safe_serialization=True)
            write_word_tokenizer(folder)
            cache[c.id] = ref, folder
        return cache[c.id]

    return get


def _words(ids) -> str:
    return " ".join(f"w{i}" for i in ids)


def _prompt(c) -> list[int]:
    return list(c.prompt) if c.prompt is not None else PROMPT


def _decoder_input(ref) -> list[int] | None:
    if not ref.config.is_encoder_decoder:
        return None
    return [ref.config.decoder_start_token_id] + TARGET


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_logits_through_tplay_logits_match_reference(c, opened, tplay, tmp_path):
    ref, folder = opened(c)
    target, prompt = _decoder_input(ref), _prompt(c)
    with torch.no_grad():
        want = c.reference(ref, torch.tensor([prompt]), torch.tensor([target]) if target else None)[0]
    if c.output == "hidden":  # no head, so no logits: compare the last hidden state
        got = run(load_model(str(folder)).model, prompt, capture=None).output[0]
    else:
        npy = tmp_path / "logits.npy"
        args = ["logits", "-m", folder, "--prompt", _words(prompt), "--npy", npy, "--json"]
        if target:
            args += ["--target", _words(TARGET)]
        code, out, err = tplay(*args)
        assert code == 0, err
        assert json.loads(out)["ids"] == prompt
        got = torch.from_numpy(np.load(npy))
    assert got.shape == want.shape
    assert (got - want).abs().max() < c.atol


@pytest.mark.parametrize("c", [c for c in CASES if c.greedy], ids=lambda c: c.id)
def test_twenty_greedy_tokens_match_reference(c, opened):
    from engine.decoding import generate

    ref, folder = opened(c)
    prompt = _prompt(c)
    ref.generation_config.eos_token_id = None  # run all 20 steps on both sides
    ref.generation_config.pad_token_id = 0
    with torch.no_grad():
        out = ref.generate(torch.tensor([prompt]), max_new_tokens=20, min_new_tokens=20, do_sample=False)
    start = 1 if ref.config.is_encoder_decoder else len(prompt)
    gen = generate(load_model(str(folder)).model, prompt, max_new_tokens=20, eos_ids=[])
    gen.run()
    assert gen.sequences[0].ids == out[0, start:].tolist()


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
@pytest.mark.parametrize("check", test_consistency.CHECKS)
def test_every_step_recomputes_from_its_inputs(c, check, opened):
    ref, folder = opened(c)
    model = load_model(str(folder)).model
    target = _decoder_input(ref)
    trace = run(model, _prompt(c), target_ids=target, capture=Capture())
    assert trace.steps, "a full capture recorded nothing"
    assert set(trace.names()) <= set(model.hook_points), "the trace holds a step that is no hook point"
    getattr(test_consistency, check)(model, trace)  # asserts each recomputed step
