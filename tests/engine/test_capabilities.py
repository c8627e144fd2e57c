"""A model says what it can do, and hook names are read in one place (engine/hook_names.py)."""
import re
from pathlib import Path

import pytest

from engine.hook_names import is_cross_attention, kind_of, layer_key, layer_of, module_of, sibling, stack_of
from tests.engine.random_models import random_model

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    # name: (generates, has_encoder, fills_masks, output_stack, stack_layers, head stacks)
    "gpt2": (True, False, False, "", {"": 2}, [("", "attn")]),
    "llama-gqa": (True, False, False, "", {"": 2}, [("", "attn")]),
    "bert-mlm": (False, False, True, "", {"": 2}, [("", "attn")]),
    "marian": (True, True, False, "decoder.", {"encoder.": 2, "decoder.": 3},
               [("encoder.", "attn"), ("decoder.", "attn"), ("decoder.", "cross_attn")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_family_declares_what_it_can_do(name):
    m = random_model(name)
    gen, enc, fills, out, layers, heads = CASES[name]
    assert (m.generates, m.has_encoder, m.fills_masks, m.output_stack) == (gen, enc, fills, out)
    assert m.stack_layers == layers and m.total_layers == sum(layers.values())
    assert [(s.prefix, s.module) for s in m.head_stacks] == heads
    for s in m.head_stacks:  # every declared head stack really has those hooks
        assert f"{s.prefix}blocks.{s.n_layers - 1}.{s.module}.hook_pattern" in m.hook_points
        assert f"{s.prefix}blocks.{s.n_layers}.{s.module}.hook_pattern" not in m.hook_points
    assert m.decoder_start_ids() == ([m.cfg.decoder_start_token_id] if enc else [])


def test_hook_name_helpers():
    n = "decoder.blocks.3.cross_attn.hook_q"
    assert (layer_key(n), layer_of(n), module_of(n), kind_of(n)) == ("decoder.blocks.3", 3, "cross_attn", "hook_q")
    assert is_cross_attention(n) and not is_cross_attention("decoder.blocks.3.attn.hook_q")
    assert stack_of(n, ("encoder.", "decoder.")) == "decoder." and stack_of("blocks.0.hook_resid_pre", ("",)) == ""
    assert sibling(n, "hook_pattern") == "decoder.blocks.3.cross_attn.hook_pattern"
    assert (layer_key("hook_logits"), layer_of("ln_final.hook_normalized"), module_of("blocks.1.hook_resid_post")) == (
        None, None, None)


def test_gui_and_cli_ask_the_model_instead_of_comparing_family_names():
    pattern = re.compile(r"family\s*[!=]=|\"decoder\.\"|\.cross_attn\.\"|\"\.cross_attn")
    hits = []
    for folder in ("gui", "engine/cli", "engine/lens.py", "engine/decoding", "engine/interventions.py"):
        base = ROOT / folder
        for f in ([base] if base.is_file() else sorted(base.rglob("*.py"))):
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    hits.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not hits, "\n".join(hits)
