"""Head ablation through engine.run equals editing the weights by hand.

A head's output is W_O[:, h·d_head:(h+1)·d_head] @ z_h, so zeroing (scaling) its z slice must
equal zeroing (scaling) those W_O columns; mean ablation equals a zeroed slice plus
W_O_h @ mean(z_h) added to W_O's bias. These are independent computations of the same thing.
"""
from __future__ import annotations

import copy

import pytest
import torch

from engine import Capture, run
from engine.errors import InputError
from engine.interventions import HeadEdit, head_interventions
from tests.engine.random_models import random_model

IDS = [3, 14, 15, 9, 26, 5, 35]
LAYER, HEAD = 1, 2


@pytest.fixture(scope="module")
def gpt():
    return random_model("gpt2", seed=4)


def _cols(model, layer, head):
    dh = model.cfg.d_model // model.cfg.n_heads
    return model.blocks[layer].attn.W_O, slice(head * dh, (head + 1) * dh)


def _logits(model, **kw):
    return run(model, IDS, **kw).output


def test_zero_equals_zeroed_output_columns(gpt):
    got = _logits(gpt, interventions=head_interventions(gpt, [HeadEdit(LAYER, HEAD, "zero")]))
    hand = copy.deepcopy(gpt)
    W_O, cols = _cols(hand, LAYER, HEAD)
    with torch.no_grad():
        W_O.weight[:, cols] = 0
    torch.testing.assert_close(got, _logits(hand), rtol=0, atol=1e-5)
    assert not torch.allclose(got, _logits(gpt), atol=1e-3)  # the head mattered


def test_scale_equals_scaled_output_columns(gpt):
    got = _logits(gpt, interventions=head_interventions(gpt, [HeadEdit(LAYER, HEAD, "scale", 0.25)]))
    hand = copy.deepcopy(gpt)
    W_O, cols = _cols(hand, LAYER, HEAD)
    with torch.no_grad():
        W_O.weight[:, cols] *= 0.25
    torch.testing.assert_close(got, _logits(hand), rtol=0, atol=1e-5)


def test_mean_equals_bias_of_mean_output(gpt):
    z = run(gpt, IDS, capture=Capture(names=[f"blocks.{LAYER}.attn.hook_z"]))[f"blocks.{LAYER}.attn.hook_z"]
    mean_z = z[0, :, HEAD].mean(0)  # [d_head]
    got = _logits(gpt, interventions=head_interventions(gpt, [HeadEdit(LAYER, HEAD, "mean")]))
    hand = copy.deepcopy(gpt)
    W_O, cols = _cols(hand, LAYER, HEAD)
    with torch.no_grad():
        W_O.bias += W_O.weight[:, cols] @ mean_z
        W_O.weight[:, cols] = 0
    torch.testing.assert_close(got, _logits(hand), rtol=0, atol=1e-5)


def test_two_heads_in_one_layer_both_apply(gpt):
    edits = [HeadEdit(LAYER, 0, "zero"), HeadEdit(LAYER, 3, "zero")]
    fns = head_interventions(gpt, edits)
    assert list(fns) == [f"blocks.{LAYER}.attn.hook_z"]
    hand = copy.deepcopy(gpt)
    with torch.no_grad():
        for h in (0, 3):
            W_O, cols = _cols(hand, LAYER, h)
            W_O.weight[:, cols] = 0
    torch.testing.assert_close(_logits(gpt, interventions=fns), _logits(hand), rtol=0, atol=1e-5)


def test_cross_attention_head_of_encoder_decoder():
    m = random_model("marian", seed=1)
    e = HeadEdit(0, 1, "zero", module="cross_attn", stack="decoder")
    got = run(m, IDS, target_ids=[0, 5, 7], interventions=head_interventions(m, [e])).output
    hand = copy.deepcopy(m)
    dh = m.cfg.d_model // m.cfg.n_heads
    with torch.no_grad():
        hand.decoder.blocks[0].cross_attn.W_O.weight[:, dh:2 * dh] = 0
    torch.testing.assert_close(got, run(hand, IDS, target_ids=[0, 5, 7]).output, rtol=0, atol=1e-5)


@pytest.mark.parametrize("edit, words", [
    (HeadEdit(9, 0), "layer 9 is out of range"),
    (HeadEdit(0, 7), "head 7 is out of range"),
    (HeadEdit(0, 0, "shuffle"), "unknown head edit"),
    (HeadEdit(0, 0, module="cross_attn"), "no attention module"),
])
def test_bad_edits_say_why(gpt, edit, words):
    with pytest.raises(InputError, match=words):
        head_interventions(gpt, [edit])
