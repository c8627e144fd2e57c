"""`attached()` removes only what its own block added: an outer block's hook survives inner runs."""
import torch

from engine import Capture, run
from engine.hooks import attached
from tests.engine.random_models import random_model

NAME = "blocks.0.hook_resid_post"


def test_a_nested_run_keeps_the_outer_blocks_hook():
    model = random_model("gpt2")
    seen = []
    outer = lambda x, hp: seen.append(hp.name)  # noqa: E731
    with attached(model.hook_points, {NAME: [outer]}):
        run(model, [1, 2, 3], capture=Capture(names=[NAME]))  # attaches its recorder to the same hook
        assert model.hook_points[NAME].fns == [outer]
        seen.clear()
        run(model, [1, 2, 3])
        assert seen == [NAME]  # still called by a later run inside the outer block
    assert model.hook_points[NAME].fns == []


def test_the_same_function_attached_twice_is_removed_once_per_block():
    model = random_model("gpt2")
    zero = lambda x, hp: torch.zeros_like(x)  # noqa: E731
    with attached(model.hook_points, {NAME: [zero]}):
        with attached(model.hook_points, {NAME: [zero]}):
            assert model.hook_points[NAME].fns == [zero, zero]
        assert model.hook_points[NAME].fns == [zero]
        out = run(model, [1, 2], capture=Capture(names=[NAME])).steps[0].tensor
        assert float(out.abs().max()) == 0.0  # the outer edit still applies
    assert model.hook_points[NAME].fns == []
