"""Pre-packed bfloat16 decode matrices (engine/models/weight_packs.py): the same bits as F.linear,
packed again after an in-place edit of a Parameter, kept across generations, dropped with the plan."""
import pytest
import torch
import torch.nn.functional as F

from engine.decoding.decoders import decoder_for
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder
from engine.models import weight_packs

from .decoding_models import FAMILIES
from .test_fast_step import PROMPT

pytestmark = pytest.mark.skipif(not weight_packs.can_pack(torch.bfloat16), reason="oneDNN cannot pack bfloat16 here")


@pytest.fixture(scope="module")
def llama_bf16(tmp_path_factory):
    """A maker of fresh copies (copy.deepcopy would give the fused matrices their own storage)."""
    folder = tmp_path_factory.mktemp("llama")
    FAMILIES["llama"](folder)
    return lambda: instantiate(*load_folder(folder)).to(torch.bfloat16)


def _edit_between_steps(model, edit):
    """Logits of two decode steps with `edit(model)` run between them; the decoder too."""
    dec = decoder_for(model, PROMPT)
    dec.start(1)
    first = dec.step(torch.tensor([7]))
    with torch.no_grad():
        edit(model)
    return first, dec.step(torch.tensor([9])), dec


def test_packed_products_are_bitwise_f_linear():
    g = torch.Generator().manual_seed(0)
    for out, inp in [(48, 32), (53, 32), (960, 576), (576, 1536)]:
        w = (torch.randn(out, inp, generator=g) * 0.05).bfloat16()
        b = torch.randn(out, generator=g).bfloat16()
        packs = weight_packs.WeightPacks(1 << 30)
        for rows in (1, 3, 4):
            x = torch.randn(rows, 1, inp, generator=g).bfloat16()
            for bias in (None, b):
                assert torch.equal(packs.linear(x, w, bias), F.linear(x, w, bias))
        assert packs.counts() == (1, 1)  # it really ran packed


@pytest.mark.parametrize("where", ["fused gate/up", "unembedding"])
def test_an_in_place_edit_between_steps_is_packed_again(llama_bf16, where, monkeypatch):
    def edit(m):
        w = m.blocks[0].mlp.W_gate.weight if where == "fused gate/up" else m.unembed.W_U
        w.mul_(-3)  # through the Parameter (a view of the fused matrix for gate/up)

    first, packed_after, dec = _edit_between_steps(llama_bf16(), edit)
    assert dec.cache.packs.counts()[1] > 0
    monkeypatch.setenv(weight_packs.ENV, "off")
    first_plain, plain_after, dec_plain = _edit_between_steps(llama_bf16(), edit)
    _, unedited, _ = _edit_between_steps(llama_bf16(), lambda m: None)
    assert dec_plain.cache.packs is None
    assert torch.equal(first, first_plain) and torch.equal(packed_after, plain_after)
    assert not torch.equal(packed_after, unedited)  # the edit did change the logits


def test_no_budget_packs_nothing_and_gives_the_same_logits(llama_bf16, monkeypatch):
    _, want, _ = _edit_between_steps(llama_bf16(), lambda m: None)
    monkeypatch.setattr(weight_packs, "BUDGET", 0.0)
    _, got, dec = _edit_between_steps(llama_bf16(), lambda m: None)
    seen, packed = dec.cache.packs.counts()
    assert seen > 0 and packed == 0
    assert torch.equal(got, want)


def test_packs_outlive_a_generation_but_not_a_move(llama_bf16):
    model = llama_bf16()
    _, _, first = _edit_between_steps(model, lambda m: None)
    _, _, second = _edit_between_steps(model, lambda m: None)
    assert second.cache.packs is first.cache.packs  # the next generation starts packed
    model.to(torch.float32).to(torch.bfloat16)  # new tensors: the plan and its packs go
    _, _, third = _edit_between_steps(model, lambda m: None)
    assert third.cache.packs is not first.cache.packs


def test_only_bfloat16_on_cpu_is_packed():
    class Cache:
        pass

    kept = {}
    assert weight_packs.packs_for(Cache(), torch.float32, torch.device("cpu"), kept) is None
    assert weight_packs.packs_for(Cache(), torch.bfloat16, torch.device("meta"), kept) is None
    packs = weight_packs.packs_for(Cache(), torch.bfloat16, torch.device("cpu"), kept)
    assert isinstance(packs, weight_packs.WeightPacks) and kept == {torch.bfloat16: packs}


def test_a_generation_packs_its_matrices_when_it_starts(llama_bf16):
    model = llama_bf16()
    dec = decoder_for(model, PROMPT)
    dec.start(1)
    assert dec.cache.packs.counts() == (9, 9)  # 2 layers × (Q/K/V, W_O, gate/up, W_out) + the unembedding
    dec.step(torch.tensor([7]))
    assert dec.cache.packs.counts() == (9, 9)  # the steps found every one packed
