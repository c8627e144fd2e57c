"""A layer recomputed from its kept input stops at the first step reached once its `cancel`
says so (not only before it starts: one layer of a long prompt computes for a while, and a
view waits on a cancelled recompute), and leaves the model as it was."""
import pytest
import torch

from engine import Capture, run
from engine.recompute import cheap_names, layer_hooks
from engine.runner import Cancelled

from .random_models import random_model


def _ids(n, seed=3):
    return torch.randint(1, 61, (1, n), generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("name", ["gpt2", "llama-gqa"])
def test_a_recompute_gives_way_inside_its_layer(name):
    model = random_model(name)
    lean = run(model, _ids(9), capture=Capture(names=cheap_names(model), keep_inputs=True))
    key = "blocks.1"
    asked = []

    def cancel_on_third_ask():
        asked.append(1)
        return len(asked) >= 3  # the first ask is before the layer starts

    with pytest.raises(Cancelled):
        lean.layer(model, key, cancel=cancel_on_third_ask)
    assert len(asked) == 3  # asked at the layer's own steps, and stopped at the first "yes"
    assert all(model.hook_points[n].poll is None for n in layer_hooks(model, key))
    whole = lean.layer(model, key, cancel=lambda: False)
    again = lean.layer(model, key)
    assert whole.names() == again.names() and len(whole) == len(layer_hooks(model, key))
    for s in whole:
        assert torch.equal(s.tensor, again[s.name]), s.name  # polling changes nothing computed
