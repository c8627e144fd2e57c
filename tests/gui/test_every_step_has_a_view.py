"""Every step of every parity-case architecture has a navigator label and a view that can draw its axes."""
from __future__ import annotations

import pytest

from engine import Capture, run
from engine.loading import load_model
from gui.panels.navigator import KIND_LABEL
from gui.views.registry import view_name_for
from tests.engine.parity.test_parity import CASES, PROMPT, _decoder_input, opened  # noqa: F401 (fixture)

# The axes each view draws (the leading names; a view takes any trailing feature axis).
VIEW_AXES = {
    "attention": ("batch", "head", "query_pos", "key_pos"),
    "qkv": ("batch", "pos", "head"),
    "ffn": ("batch", "pos"),
    "embedding": ("pos",),
    "probabilities": ("batch", "pos", "vocab"),
}


def _fits(view: str, axes: tuple[str, ...]) -> bool:
    want = VIEW_AXES.get(view)
    if want is None:
        return True
    if view == "embedding":  # [batch, pos, d] or [pos, d]; DeBERTa's table [rel_pos, d]
        return "pos" in axes or "rel_pos" in axes
    return tuple(axes[: len(want)]) == want


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.id)
def test_every_step_has_a_label_and_a_view_for_its_axes(c, opened):
    ref, folder = opened(c)
    model = load_model(str(folder)).model
    trace = run(model, PROMPT, target_ids=_decoder_input(ref), capture=Capture())
    for step in trace.steps:
        assert step.kind in KIND_LABEL, f"{step.name}: the navigator has no label for {step.kind}"
        view = view_name_for(step.name)
        assert _fits(view, tuple(step.axes)), f"{step.name} {step.axes} is drawn by the {view} view"
