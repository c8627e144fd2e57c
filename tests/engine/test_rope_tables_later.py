"""A model built on meta (a listing counting parameters, the first step of a load) computes no
RoPE tables: a 128k-position model's are ~67 MB each. The load computes them once, when the model
is filled, with the same values as a model built directly."""
import torch

from engine.loading.build import instantiate
from engine.loading.meta_build import on_meta
from engine.loading.model_info import estimate_params
from tests.engine.random_models import random_model


def _rotaries(model):
    return [m for m in model.modules() if hasattr(m, "cos") and hasattr(m, "sin")]


def test_listing_builds_no_rope_tables():
    m = random_model("llama-gqa")
    meta = on_meta(m.cfg)
    assert _rotaries(meta) and all(r.cos.is_meta and r.sin.is_meta for r in _rotaries(meta))
    assert estimate_params(m.cfg) == m.n_params()


def test_a_load_computes_the_tables_the_direct_build_has():
    m = random_model("llama-gqa")
    built = instantiate(m.cfg, {k: v.clone() for k, v in m.state_dict().items()}, consume=True)
    for want, got in zip(_rotaries(m), _rotaries(built), strict=True):
        assert not got.cos.is_meta and torch.equal(got.cos, want.cos) and torch.equal(got.sin, want.sin)
    ids = torch.tensor([[1, 2, 3, 4]])
    assert torch.equal(built(ids), m(ids))
