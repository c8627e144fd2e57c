"""engine.capture_plan probes each model once: its run order is the order a real run reaches
the hook points, and later plans (any length) reuse the probe instead of running a forward."""
from __future__ import annotations

import pytest

from engine import load_model, run
from engine.capture_plan import plan, run_order
from engine.hooks import records_only


@pytest.fixture(scope="module", params=["tiny-gpt", "tiny-bert", "tiny-translator"])
def lm(request):
    return load_model(request.param, device="cpu")


def test_run_order_is_the_order_a_run_reaches_the_hook_points(lm):
    seen: list[str] = []
    ids = lm.tokenizer.encode("a b c d").ids[:4]
    tgt = lm.model.decoder_start_ids() + ids[:1] if lm.model.has_encoder else None
    run(lm.model, ids, target_ids=tgt, interventions={"*": records_only(lambda x, hp: seen.append(hp.name))})
    assert run_order(lm.model) == seen


def test_later_plans_run_no_forward(lm, monkeypatch):
    plan(lm.model, 5)
    import engine.runner

    def forbidden(*a, **k):
        raise AssertionError("a plan ran the model again")

    monkeypatch.setattr(engine.runner, "run", forbidden)
    steps = plan(lm.model, 40, 7 if lm.model.has_encoder else None)
    assert [s.name for s in steps] == run_order(lm.model)
    embed = next(s for s in steps if "pos" in lm.model.hook_points[s.name].axes)
    assert 40 in embed.shape or 7 in embed.shape  # position axes follow the asked-for lengths
