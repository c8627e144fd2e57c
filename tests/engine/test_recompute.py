"""Long prompts: a layer recomputed from its kept input equals, bit for bit, what a full capture
records; and recording never changes the maths (a capture's output is the plain run's)."""
import pytest
import torch

from engine import Capture, run
from engine.recompute import cheap_names, layer_hooks, layer_keys

from .random_models import CONFIGS, random_model


def _ids(n, seed=3):
    return torch.randint(1, 61, (1, n), generator=torch.Generator().manual_seed(seed))


def _exact(model) -> bool:
    """Attention records beside its fused kernel (side_records): then a capture keeps the fused
    bits. DeBERTa's records through its textbook path instead, which rounds apart from its fused one."""
    from engine.models.components import Attention

    return all(m.side_records for m in model.modules() if isinstance(m, Attention))


def _same(a, b, exact: bool, name: str) -> None:
    if exact:
        assert torch.equal(a, b), name
    else:
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5, msg=name)


def _run(model, capture):
    tgt = _ids(6, seed=4) if model.cfg.family == "encoder-decoder" else None
    return run(model, _ids(9), target_ids=tgt, capture=capture)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_recomputed_layer_is_bitwise_the_full_capture(name):
    model = random_model(name)
    full = _run(model, Capture())
    lean = _run(model, Capture(names=cheap_names(model), keep_inputs=True))
    assert len(lean) < len(full)
    keys = layer_keys(model)
    assert len(keys) == model.total_layers
    checked = 0
    for key in keys:
        again = lean.layer(model, key)
        names = layer_hooks(model, key)
        assert again.names() == [n for n in full.names() if n in names], key
        for n in names:
            _same(again[n], full[n], _exact(model), n)
            checked += 1
    assert checked > 10 * len(keys)
    for n in lean.names():  # the cheap pass's own steps are the full capture's too
        _same(lean[n], full[n], _exact(model), n)
    assert _exact(model) or name.startswith("deberta")


@pytest.mark.parametrize("name", list(CONFIGS))
def test_recording_does_not_change_the_output(name):
    model = random_model(name)
    recorded, plain = _run(model, Capture()).output, _run(model, None).output
    assert recorded.shape == plain.shape and torch.isfinite(plain).all(), name
    if _exact(model):
        assert torch.equal(recorded, plain), name  # recording never changes a bit
    else:  # DeBERTa's fused kernel adds its position terms: equal to rounding
        torch.testing.assert_close(recorded, plain, rtol=1e-5, atol=1e-5, msg=name)


def test_recompute_replays_the_runs_interventions():
    model = random_model("gpt2")

    def zero(x, hp):
        return torch.zeros_like(x)

    iv = {"blocks.0.attn.hook_pattern": zero}
    full = run(model, _ids(9), capture=Capture(), interventions=iv)
    lean = run(model, _ids(9), capture=Capture(names=cheap_names(model), keep_inputs=True), interventions=iv)
    again = lean.layer(model, "blocks.0")
    assert (again["blocks.0.attn.hook_pattern"] == 0).all()
    for n in layer_hooks(model, "blocks.0"):
        assert torch.equal(again[n], full[n]), n
    assert all(not hp.fns for hp in model.hook_points.values()), "hooks left attached"


@pytest.mark.parametrize("name", ["llama-gqa", "marian"])
def test_recompute_up_to_a_step_stops_there_with_the_same_bits(name):
    model = random_model(name)
    full = _run(model, Capture())
    lean = _run(model, Capture(names=cheap_names(model), keep_inputs=True))
    key = layer_keys(model)[-1]
    names = layer_hooks(model, key)
    upto = next(n for n in names if n.endswith("attn.hook_pattern"))
    part = lean.layer(model, key, upto=upto)
    assert part.names() == [n for n in full.names() if n in names][: len(part)] and part.names()[-1] == upto
    for n in part.names():
        assert torch.equal(part[n], full[n]), n


@pytest.mark.parametrize("wanted", [["*hook_pattern"], ["*hook_attn_masked"], ["*hook_attn_scores", "*hook_pattern"]])
def test_recording_some_matrices_gives_the_full_captures_bits(wanted):
    """Matrices nobody records are overwritten in place; the recorded ones must not change."""
    model = random_model("llama-gqa")
    full = _run(model, Capture())
    some = _run(model, Capture(names=wanted))
    assert len(some) > 0
    for n in some.names():
        assert torch.equal(some[n], full[n]), n
