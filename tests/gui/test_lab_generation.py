"""The lab's live charts against an independent engine run with the same settings.

Reference values come from engine.decoding.Generation directly (not from the lab's code), so
a wrong chart, a stale stage or a missed step fails.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.decoding import Generation, GenerationOptions
from gui.lab.lab_widget import LabWidget
from tests.gui.lab_models import ForwardCounter

PROMPT = "The animal didn't cross the street"
N = 12
WAIT = 60000


@pytest.fixture
def lab(qtbot, loaded_gpt):
    w = LabWidget()
    qtbot.addWidget(w)
    w.resize(1400, 800)
    w.set_model(loaded_gpt)
    w.panel.prompt.setText(PROMPT)
    yield w
    w.controller.jobs.wait(5000)


def _generate(qtbot, lab, n: int):
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.n.setValue(n)
        lab.panel.gen_btn.click()


def _reference(lm, **opts):
    ids = lm.tokenizer.encode(PROMPT).ids
    gen = Generation(lm.model, ids, GenerationOptions.make(**opts))
    return gen, list(gen)


def _top(probs: torch.Tensor, n: int = N):
    vals, idx = torch.topk(probs, n)
    return vals.numpy(), idx.tolist()


def test_greedy_bars_equal_the_step_event_probabilities(qtbot, lab, loaded_gpt):
    lab.panel.max_new.setValue(5)
    _generate(qtbot, lab, 5)
    gen, evs = _reference(loaded_gpt, strategy="greedy", max_new_tokens=5)
    vals, idx = _top(evs[-1].hypotheses[0].stages[-1].probs)
    assert lab.bars.ids == idx
    np.testing.assert_allclose(lab.bars.probs, vals, rtol=0, atol=1e-6)
    np.testing.assert_allclose(lab.bars.bars.opts["width"][:N], vals, rtol=0, atol=1e-6)  # what is drawn
    assert lab.controller.tokens == gen.sequences[0].ids
    # the timeline holds each step's chosen-token probability
    chosen = [float(ev.hypotheses[0].stages[-1].probs[ev.candidates[0].token]) for ev in evs]
    np.testing.assert_allclose(lab.timeline.p, chosen, rtol=0, atol=1e-6)
    assert lab.controller.stop_reason == gen.stop_reason


def test_next_token_continues_the_same_run(qtbot, lab, loaded_gpt):
    lab.panel.max_new.setValue(3)
    for _ in range(3):
        with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
            lab.panel.next_btn.click()
    gen, _ = _reference(loaded_gpt, strategy="greedy", max_new_tokens=3)
    assert lab.controller.tokens == gen.sequences[0].ids
    assert [e.view.step for e in lab.controller.events] == [0, 1, 2]


def test_temperature_slider_reprocesses_without_a_forward_pass(qtbot, lab, loaded_gpt):
    lab.panel.strategy.setCurrentText("sample")
    lab.panel.max_new.setValue(4)
    _generate(qtbot, lab, 4)
    before = lab.bars.probs.copy()
    _, evs = _reference(loaded_gpt, strategy="sample", max_new_tokens=4, seed=0)
    raw = evs[-1].hypotheses[0].stages[0].scores  # the engine's raw logits of the last step
    counter = ForwardCounter(loaded_gpt.model)
    try:
        with qtbot.waitSignal(lab.controller.stepShown, timeout=WAIT):
            lab.panel.knobs["temperature"].setValue(0.5)
        assert counter.n == 0
    finally:
        counter.close()
    vals, idx = _top(torch.softmax(raw.float() / 0.5, dim=-1))
    assert lab.bars.ids == idx
    np.testing.assert_allclose(lab.bars.probs, vals, rtol=0, atol=1e-6)
    assert not np.allclose(lab.bars.probs, before)
    names = [s.name for s in lab.stages.view.stages]
    assert names == ["raw", "temperature"]


def test_top_k_stage_removes_the_mass_outside_the_k(qtbot, lab, loaded_gpt):
    lab.panel.strategy.setCurrentText("sample")
    lab.panel.max_new.setValue(2)
    _generate(qtbot, lab, 2)
    with qtbot.waitSignal(lab.controller.stepShown, timeout=WAIT):
        lab.panel.knobs["top_k"].setValue(3)
    _, evs = _reference(loaded_gpt, strategy="sample", max_new_tokens=2, seed=0)
    p = torch.softmax(evs[-1].hypotheses[0].stages[0].scores.float(), dim=-1)
    top3 = float(torch.topk(p, 3).values.sum())
    stage = lab.stages.view.stages[-1]
    assert stage.name == "top_k" and stage.kept == 3
    assert stage.removed == pytest.approx(1 - top3, abs=1e-5)
    assert lab.stages.charts[1].isVisibleTo(lab.stages)


def test_beam_tree_node_count_and_ranking_equal_the_engine(qtbot, lab, loaded_gpt):
    lab.panel.strategy.setCurrentText("beam")
    lab.panel.beams.setValue(3)
    lab.panel.max_new.setValue(6)
    _generate(qtbot, lab, 6)
    gen, evs = _reference(loaded_gpt, strategy="beam", num_beams=3, num_return=3, max_new_tokens=6)
    assert lab.tree.node_count() == sum(len(ev.candidates) for ev in evs)
    assert len(lab.tree.items) - 1 == lab.tree.node_count()  # one drawn item per node, plus the root
    assert [ids for ids, _ in lab.tree.model.ranking] == [s.ids for s in gen.sequences]
    np.testing.assert_allclose([s for _, s in lab.tree.model.ranking], [s.score for s in gen.sequences], atol=1e-6)
    pruned = [n for n in lab.tree.model.nodes.values() if n.status == "pruned"]
    assert pruned and all(n.reason for n in pruned)
    assert "#1" in lab.tree.ranking.text()


def test_a_run_stopped_by_the_context_window_says_so_with_the_engines_note(qtbot, lab, loaded_gpt):
    from gui.lab.generation_panel import DEFAULT_PROMPT

    n_ctx = loaded_gpt.cfg.n_ctx
    ask = n_ctx + 10  # more than fits after any prompt: the engine clamps it
    lab.panel.prompt.setText(DEFAULT_PROMPT)
    lab.panel.max_new.setValue(ask)
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT,
                          check_params_cb=lambda why: why != "paused"):
        lab.panel.n.setValue(ask)
        lab.panel.gen_btn.click()
    ids = loaded_gpt.tokenizer.encode(DEFAULT_PROMPT).ids
    gen = Generation(loaded_gpt.model, ids, GenerationOptions(max_new_tokens=ask))
    evs = list(gen)
    assert gen.stop_reason == "max-new-tokens" and gen.opts.max_new_tokens == n_ctx - len(ids) == len(evs)
    assert len(gen.notes) >= 1 and any("clamped" in n for n in gen.notes)
    state = lab.panel.state.text()
    assert f"{len(evs)} steps · context window full ({n_ctx} tokens)" in state
    for note in gen.notes:
        assert f"note: {note}" in state  # the engine's own words, not the lab's
    assert lab.controller.stop_reason == gen.stop_reason  # what a session file stores stays the engine's

    lab.panel.max_new.setValue(3)  # a real max-new-tokens stop is still called that, with no note
    with qtbot.waitSignal(lab.controller.runFinished, timeout=WAIT):
        lab.panel.n.setValue(3)
        lab.panel.gen_btn.click()
    assert lab.panel.state.text() == "3 steps · max-new-tokens"
