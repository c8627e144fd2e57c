"""Capture filters, memory bound, interventions, hook clean-up, KV cache equivalence."""
import pytest
import torch

from engine import Capture, InputError, run
from engine.runner import Cancelled

from .random_models import random_model


def _ids(n=8):
    return torch.randint(1, 61, (1, n), generator=torch.Generator().manual_seed(0))


def test_capture_filters_by_glob_and_layer():
    m = random_model("gpt2")
    t = run(m, _ids(), capture=Capture(names=["*hook_pattern"]))
    assert t.names() == ["blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern"]
    t = run(m, _ids(), capture=Capture(layers=[1]))
    assert not any(n.startswith("blocks.0.") for n in t.names())
    assert "blocks.1.attn.hook_q" in t and "hook_logits" in t


def test_memory_bound_truncates_and_says_so():
    m = random_model("gpt2")
    full = run(m, _ids(), capture=Capture())
    bound = full.nbytes // 3
    t = run(m, _ids(), capture=Capture(max_bytes=bound))
    assert t.nbytes <= bound
    assert 0 < len(t) < len(full)
    assert t.truncated and "bound" in t.truncated
    assert torch.allclose(t.output, full.output)


def test_intervention_replaces_value_and_is_recorded():
    m = random_model("gpt2")
    base = run(m, _ids(), capture=Capture(names=["blocks.0.attn.hook_z"]))

    def zero_head_1(z, hp):
        z = z.clone()
        z[:, :, 1] = 0  # [batch, pos, head, d_head]
        return z

    t = run(m, _ids(), capture=Capture(names=["blocks.0.attn.hook_z"]),
            interventions={"blocks.0.attn.hook_z": zero_head_1})
    assert (t["blocks.0.attn.hook_z"][:, :, 1] == 0).all()
    assert torch.equal(t["blocks.0.attn.hook_z"][:, :, 0], base["blocks.0.attn.hook_z"][:, :, 0])
    assert not torch.allclose(t.output, base.output)
    assert all(not hp.fns for hp in m.hook_points.values()), "hooks left attached"


def test_unknown_intervention_target_is_a_clear_error():
    with pytest.raises(InputError, match="no hook point matches"):
        run(random_model("gpt2"), _ids(), interventions={"blocks.9.*": lambda x, h: x})


def test_cancel_stops_the_run_and_detaches_hooks():
    m = random_model("gpt2")
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        run(m, _ids(), capture=Capture(), cancel=cancel)
    assert len(calls) == 3
    assert all(not hp.fns for hp in m.hook_points.values())
    assert run(m, _ids()).output is not None


def test_cancel_polls_only_at_layer_boundaries():
    """Polling inside attention would force the slow explicit path on every layer."""
    m = random_model("gpt2")
    seen = []
    t = run(m, _ids(), cancel=lambda: seen.append(1) and False)
    assert len(seen) == 2 * m.cfg.n_layers + 1  # resid_pre and resid_post per block, then logits
    assert t.output is not None


def test_prompt_beyond_context_window_says_the_limit():
    with pytest.raises(InputError, match="context window of 64"):
        run(random_model("gpt2"), torch.ones(1, 65, dtype=torch.long))


def test_empty_prompt_is_refused_clearly():
    with pytest.raises(InputError, match="empty"):
        run(random_model("gpt2"), [])


@pytest.mark.parametrize("name", ["gpt2", "llama-gqa"])
def test_kv_cache_steps_equal_the_full_pass(name):
    m = random_model(name)
    ids = _ids(10)
    full = m(ids)
    cache = m.new_cache()
    with torch.no_grad():
        first = m(ids[:, :6], cache=cache)
        steps = [m(ids[:, i:i + 1], cache=cache) for i in range(6, 10)]
    got = torch.cat([first] + steps, dim=1)
    assert torch.allclose(got, full, atol=1e-5)


def test_encoder_decoder_cache_equals_full_pass():
    m = random_model("marian")
    src, tgt = _ids(7), _ids(5)
    full = m(src, tgt)
    cache = m.new_cache()
    enc = m.encode(src)
    with torch.no_grad():
        got = torch.cat([m.decode(tgt[:, i:i + 1], enc, cache=cache) for i in range(5)], dim=1)
    assert torch.allclose(got, full, atol=1e-5)


def test_trace_saves_safetensors_by_hook_name(tmp_path):
    from safetensors.torch import load_file

    t = run(random_model("gpt2"), _ids(), capture=Capture(names=["*hook_pattern"]))
    t.save(str(tmp_path / "t.safetensors"))
    back = load_file(str(tmp_path / "t.safetensors"))
    assert set(back) == set(t.names())
    assert torch.equal(back["blocks.1.attn.hook_pattern"], t["blocks.1.attn.hook_pattern"])
