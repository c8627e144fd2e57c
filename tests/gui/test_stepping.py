"""Cursor moves and breakpoints over a real model's step order (no Qt)."""
from gui import stepping
from engine.hook_names import kind_of, layer_key
from gui.trace_store import TOKENS

ORDER = [TOKENS, "hook_embed", "hook_pos_embed",
         "blocks.0.hook_resid_pre", "blocks.0.attn.hook_q", "blocks.0.attn.hook_pattern", "blocks.0.hook_resid_post",
         "blocks.1.hook_resid_pre", "blocks.1.attn.hook_q", "blocks.1.attn.hook_pattern", "blocks.1.hook_resid_post",
         "ln_final.hook_normalized", "hook_logits"]


def test_layer_key_and_kind():
    assert layer_key("decoder.blocks.3.cross_attn.hook_q") == "decoder.blocks.3"
    assert layer_key("blocks.12.hook_resid_pre") == "blocks.12"
    assert layer_key("ln_final.hook_normalized") is None
    assert kind_of("blocks.0.attn.hook_pattern") == "hook_pattern"


def test_step_and_back_stop_at_the_ends():
    assert stepping.step(ORDER, 0) == 1
    assert stepping.step(ORDER, len(ORDER) - 1) == len(ORDER) - 1
    assert stepping.back(ORDER, 0) == 0
    assert stepping.back(ORDER, 5) == 4


def test_step_over_layer_leaves_the_layer():
    assert ORDER[stepping.over_layer(ORDER, 4)] == "blocks.1.hook_resid_pre"
    assert ORDER[stepping.over_layer(ORDER, 9)] == "ln_final.hook_normalized"
    assert stepping.over_layer(ORDER, 1) == 2  # outside a layer: one step


def test_breakpoint_on_a_kind_stops_at_every_softmax():
    bps = stepping.Breakpoints()
    bps.toggle_kind("hook_pattern")
    i = stepping.to_breakpoint(ORDER, 0, bps)
    assert ORDER[i] == "blocks.0.attn.hook_pattern"
    i = stepping.to_breakpoint(ORDER, i, bps)
    assert ORDER[i] == "blocks.1.attn.hook_pattern"
    assert stepping.to_breakpoint(ORDER, i, bps) == len(ORDER) - 1  # none left: run to the end


def test_breakpoint_on_one_step_and_toggle_off():
    bps = stepping.Breakpoints()
    assert bps.toggle_name("blocks.1.attn.hook_q")
    assert ORDER[stepping.to_breakpoint(ORDER, 0, bps)] == "blocks.1.attn.hook_q"
    assert not bps.toggle_name("blocks.1.attn.hook_q")
    assert stepping.to_breakpoint(ORDER, 0, bps) == len(ORDER) - 1
