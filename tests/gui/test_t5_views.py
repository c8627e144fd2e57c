"""T5's new steps on screen: the relative position bias per head (the same in every layer of a
stack), the biased scores, and a scaling step that says there is none."""
import numpy as np
import pytest

from engine.loading import load_model
from gui import engine_calls
from gui.panels.navigator import Navigator
from gui.views.attention import AttentionView
from gui.views.base import StepContext
from tests.engine.parity.case_t5 import t5_relu
from tests.engine.parity.test_parity import write_word_tokenizer

NEVER = lambda: False  # noqa: E731


@pytest.fixture(scope="module")
def t5(tmp_path_factory):
    folder = tmp_path_factory.mktemp("t5")
    t5_relu().save_pretrained(folder, safe_serialization=True)
    write_word_tokenizer(folder)
    lm = load_model(str(folder))
    return lm, engine_calls.run_prompt(lm, "w5 w17 w33 w2 w9 w41", None, NEVER, full=True, target="w3 w4 w5")


def _draw(qtbot, store, name, head=1):
    view = AttentionView()
    qtbot.addWidget(view)
    view.show_step(StepContext(store, name, head=head))
    return view


def test_relative_bias_is_drawn_per_head_and_shared_by_the_layers(qtbot, t5):
    _, store = t5
    view = _draw(qtbot, store, "encoder.blocks.1.attn.hook_pos_bias")
    np.testing.assert_array_equal(view.heatmap.data, store["encoder.blocks.1.attn.hook_pos_bias"][0, 1].numpy())
    assert "relative position bias" in view.heatmap.full_title
    assert "stored in layer 0" in view.note.text()
    np.testing.assert_array_equal(store["encoder.blocks.0.attn.hook_pos_bias"], store["encoder.blocks.1.attn.hook_pos_bias"])
    dec = store["decoder.blocks.0.attn.hook_pos_bias"][0, 1].numpy()  # causal: one bucket for all future keys
    assert dec.shape == (4, 4) and len({dec[0, j] for j in range(1, 4)}) == 1
    biased = _draw(qtbot, store, "decoder.blocks.1.attn.hook_attn_biased")
    assert "relative position bias" in biased.heatmap.full_title


def test_the_scaling_step_says_there_is_no_scaling(qtbot, t5):
    _, store = t5
    name = "encoder.blocks.0.attn.hook_attn_scaled"
    view = _draw(qtbot, store, name)
    assert "no scaling in T5" in view.heatmap.full_title and "÷" not in view.heatmap.full_title
    nav = Navigator()
    qtbot.addWidget(nav)
    nav.set_order(store.order, descriptions={n: s.description for n, s in store.steps.items()})
    label = nav.items[store.order.index(name)].text(0)
    assert label == "attn · no scaling"
