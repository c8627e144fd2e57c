"""A prefill's plain causal mask reaches SDPA as is_causal=True (the kernel skips the masked half),
with the bits of the boolean mask; any other mask (past keys, a window that bites, padding) stays a matrix."""
import pytest
import torch
import torch.nn.functional as F

from engine import run
from engine.models.components import CausalMask, sdpa
from engine.models.stack import build_mask

from .random_models import random_model


def test_build_mask_marks_only_the_plain_triangle():
    plain = build_mask(5, 5, True, None, "cpu")
    assert isinstance(plain, CausalMask)
    assert torch.equal(plain, torch.ones(5, 5, dtype=torch.bool).tril()[None, None])
    assert isinstance(build_mask(5, 5, True, torch.ones(1, 5), "cpu"), CausalMask)  # no key is padding
    assert isinstance(build_mask(5, 5, True, None, "cpu", window=5), CausalMask)  # the window never bites
    for other in (build_mask(3, 5, True, None, "cpu"),  # keys from a cache
                  build_mask(5, 5, True, None, "cpu", window=2),
                  build_mask(5, 5, True, torch.tensor([[0, 1, 1, 1, 1]]), "cpu")):
        assert not isinstance(other, CausalMask)
    assert not isinstance(~plain, CausalMask) and not isinstance(plain[:, :, 1:], CausalMask)


@pytest.mark.parametrize("gqa,upcast", [(False, False), (True, False), (True, True)])
def test_is_causal_has_the_bits_of_the_boolean_mask(gqa, upcast):
    g = torch.Generator().manual_seed(0)
    n, kvh = 67, 2 if gqa else 6  # a length off the kernel's block sizes
    q = torch.randn(1, 6, n, 16, generator=g)
    k, v = torch.randn(2, 1, kvh, n, 16, generator=g)
    mask = build_mask(n, n, True, None, "cpu")
    fast = sdpa(q, k, v, mask, gqa, None, upcast)
    plain = sdpa(q, k, v, mask.as_subclass(torch.Tensor), gqa, None, upcast)  # the same values, unmarked
    assert torch.equal(fast, plain)


def test_a_causal_prefill_calls_sdpa_with_is_causal(monkeypatch):
    calls = []
    real = F.scaled_dot_product_attention

    def spy(*a, **kw):
        calls.append((kw.get("is_causal", False), kw.get("attn_mask") is None))
        return real(*a, **kw)

    monkeypatch.setattr(F, "scaled_dot_product_attention", spy)
    model = random_model("llama-gqa")
    run(model, list(range(1, 10)))
    assert calls == [(True, True)] * model.cfg.n_layers
    calls.clear()
    run(model, [list(range(1, 10))], attention_mask=torch.tensor([[0] + [1] * 8]))
    assert calls == [(False, False)] * model.cfg.n_layers
