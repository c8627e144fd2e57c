"""Decode weight layout (engine/models/fast_layout.py): only strides change, never values or identity."""
import pytest
import torch

from engine.decoding import generate
from engine.decoding.decoders import decoder_for
from engine.models import fast_layout as fl

from .decoding_models import FAMILIES

PROMPT = [5, 17, 33, 2, 9]


def _matrices(model) -> list[torch.Tensor]:
    """Every matrix a decode step multiplies by, as the parameters the modules hold."""
    mats = []
    for m, kind in fl.decode_matrices(model):
        mats += [lin.weight for g in m._fuse_groups() for lin in g] if kind == "fused" else [m.weight]
    return mats + [fl._unembedding(model)]


def _step_logits(model) -> list[torch.Tensor]:
    dec = decoder_for(model, PROMPT)
    out = [dec.start(2)]
    for toks in ([7, 8], [11, 3], [2, 40]):
        out.append(dec.step(torch.tensor(toks)))
    return out


@pytest.mark.parametrize("fam", list(FAMILIES))
def test_layout_changes_strides_only_and_follows_the_dtype(fam, tmp_path, monkeypatch):
    _, model = FAMILIES[fam](tmp_path)
    params = dict(model.named_parameters())
    before = {k: p.detach().clone() for k, p in params.items()}

    monkeypatch.setenv(fl.ENV, "rows")
    rows = _step_logits(model)
    assert all(fl.is_layout(w, fl.ROWS) for w in _matrices(model))
    rows_tokens = generate(model, PROMPT, max_new_tokens=6).run()[0].ids

    monkeypatch.delenv(fl.ENV)
    assert fl.preferred_layout(torch.device("cpu"), torch.float32) == fl.COLUMNS  # the table's answer
    cols = _step_logits(model)
    mats = _matrices(model)
    assert all(fl.is_layout(w, fl.COLUMNS) and not w.is_contiguous() for w in mats if min(w.shape) > 1)
    # same Parameter objects, same values, the fused linears still views into one matrix
    assert dict(model.named_parameters()) == params
    assert all(torch.equal(p, before[k]) for k, p in params.items())
    for m, kind in fl.decode_matrices(model):
        if kind == "fused":
            for (w, _), g in zip(m.fused_weights, m._fuse_groups()):
                assert all(lin.weight.untyped_storage().data_ptr() == w.untyped_storage().data_ptr() for lin in g)
    # float32 rounding may differ between layouts, nothing more; the same greedy tokens
    for a, b in zip(rows, cols):
        assert torch.allclose(a, b, atol=1e-5, rtol=0)
    assert generate(model, PROMPT, max_new_tokens=6).run()[0].ids == rows_tokens

    model.to(torch.bfloat16)  # .to keeps the strides: the next decode lays them out for bfloat16
    assert fl.apply_layout(model) == fl.ROWS
    assert all(fl.is_layout(w, fl.ROWS) for w in _matrices(model))
    half = _step_logits(model)[-1]
    assert half.dtype == torch.bfloat16 and (half.float() - cols[-1]).abs().max() < 0.25


def test_generation_reserves_its_kv_cache_once(tmp_path):
    """Prompt + max_new_tokens positions allocated at the prefill; no step reallocates or copies."""
    _, model = FAMILIES["llama"](tmp_path)
    new = 40  # (a cache without a reservation allocates its first need + 64 spare positions)
    gen = generate(model, PROMPT, max_new_tokens=new, min_new_tokens=new)
    events = iter(gen)
    next(events)
    layers = gen.decoder.cache.self_attn
    ptrs = [layer.k.data_ptr() for layer in layers]
    assert all(layer.k.shape[2] == len(PROMPT) + new for layer in layers)
    assert len(list(events)) == new - 1
    assert [layer.k.data_ptr() for layer in layers] == ptrs
    assert layers[0].length == len(PROMPT) + new - 1  # the last token is chosen, never fed
