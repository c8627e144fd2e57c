"""A long prompt's recomputation narrowed to what a view asks for (engine.recompute.narrow_for):
one head's attention matrices, a sub-layer replayed from its kept output instead of run; each
narrowed step has the very bits of a full capture (a tiny model with a 600-token prompt)."""
import pytest
import torch

from engine import Capture, run
from engine.errors import InputError
from engine.recompute import layer_hooks, layer_keys, narrow_for

from .random_models import random_model

N = 600


def _ids(n, seed=5):
    return torch.randint(1, 61, (1, n), generator=torch.Generator().manual_seed(seed))


@pytest.fixture(scope="module", params=["llama-gqa", "t5-like"])
def long_pair(request):
    """(model, full capture of one layer per stack, cheap pass keeping layer inputs) at N tokens."""
    model = random_model(request.param, n_ctx=N + 40)
    tgt = _ids(40, seed=6) if model.has_encoder else None
    keys = [k for k in layer_keys(model) if k.endswith(".1")]  # the last layer of each stack
    full = run(model, _ids(N), target_ids=tgt, capture=Capture(names=[f"{k}.*" for k in keys]))
    lean = run(model, _ids(N), target_ids=tgt, capture=Capture(names=[], keep_inputs=True))
    return model, keys, full, lean


def _counting_forward(monkeypatch, module) -> list:
    """Count calls of the module's own forward (a replayed one is an instance attribute instead)."""
    calls, cls = [], type(module)
    real = cls.forward

    def counted(self, *a, **kw):
        calls.append(self)
        return real(self, *a, **kw)

    monkeypatch.setattr(cls, "forward", counted)
    return calls


def test_one_heads_matrices_are_the_full_captures_bits_and_only_that_head(long_pair):
    model, keys, full, lean = long_pair
    checked = 0
    for key in keys:
        patterns = [n for n in layer_hooks(model, key) if n.endswith("hook_pattern")]
        for pattern in patterns:  # self-attention, and cross-attention in a decoder layer
            n_heads = full[pattern].shape[1]
            for head in (0, n_heads - 1):
                how = narrow_for(model, key, pattern.replace("hook_pattern", "hook_attn_scores"), head)
                part = lean.layer(model, key, **how)
                assert part.names()[-1] == pattern  # up to the pattern, the attention view's two matrices
                mats = [s for s in part if s.name.rsplit(".", 1)[0] == pattern.rsplit(".", 1)[0]
                        and tuple(s.axes) == ("batch", "head", "query_pos", "key_pos")]
                assert mats and all(s.heads == (head,) and s.tensor.shape[1] == 1 for s in mats)
                for s in part:
                    want = full[s.name][:, [head]] if s.heads else full[s.name]
                    assert torch.equal(s.tensor, want), (s.name, head)
                    checked += 1
    assert checked > 20


def test_a_step_after_the_attention_replays_its_output_instead_of_running_it(long_pair, monkeypatch):
    model, keys, full, lean = long_pair
    for key in keys:
        step = next(n for n in layer_hooks(model, key) if n.endswith("mlp.hook_post"))
        attn = model.get_submodule(f"{key}.attn")
        calls = _counting_forward(monkeypatch, attn)
        part = lean.layer(model, key, **narrow_for(model, key, step))
        assert attn not in calls, "the attention ran although no step of it was asked for"
        lean.layer(model, key, upto=step)  # not narrowed: it runs (the count can see it)
        assert attn in calls
        assert part.names()[-1] == step and not any(".attn." in n for n in part.names())
        assert f"{key}.hook_attn_out" in part
        for s in part:
            assert torch.equal(s.tensor, full[s.name]), s.name
    assert not any(hp.fns for hp in model.hook_points.values()), "hooks left attached"
    assert all("forward" not in vars(m) for m in model.modules()), "a replayed forward was left behind"


def test_heads_out_of_range_are_refused_by_name():
    model = random_model("gpt2")
    lean = run(model, _ids(9), capture=Capture(names=[], keep_inputs=True))
    with pytest.raises(InputError, match="heads \\[4\\].*0–3"):
        lean.layer(model, "blocks.0", heads=[4])
    assert all(getattr(m, "record_heads", None) is None for m in model.modules())
