"""Phi-3 and SmolLM3 converter details the parity cases do not show on their own."""
import json

import pytest

from engine import Capture, run
from engine.errors import ModelLoadError
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder
from tests.engine.parity.case_phi3_smollm3 import _phi3_longrope, smollm3


def ours(folder):
    return instantiate(*load_folder(folder))


def saved(tmp_path, build, **changes):
    build().save_pretrained(tmp_path)
    if changes:
        path = tmp_path / "config.json"
        hf = json.loads(path.read_text())
        hf.update(changes)
        path.write_text(json.dumps(hf))
    return tmp_path


def test_nope_layers_have_no_rotation_steps(tmp_path):
    """SmolLM3 with 3 layers and interval 2: layer 1 is NoPE, so the navigator lists no RoPE step there."""
    model = ours(saved(tmp_path, smollm3))
    assert model.cfg.nope_layers == [1]
    names = run(model, [5, 17, 33, 2], capture=Capture()).names()
    for layer, rotates in ((0, True), (1, False), (2, True)):
        assert (f"blocks.{layer}.attn.hook_rot_q" in names) is rotates
        assert (f"blocks.{layer}.attn.hook_rot_k" in names) is rotates
    assert "blocks.1.attn.hook_attn_scores" in names
    assert model.hook_points["blocks.1.attn.hook_attn_scores"].inputs[0].endswith("blocks.1.attn.hook_q")


def test_smollm3_sliding_window_layers_are_refused_by_name(tmp_path):
    folder = saved(tmp_path, smollm3, layer_types=["full_attention", "sliding_attention", "full_attention"],
                   use_sliding_window=True, sliding_window=4)
    with pytest.raises(ModelLoadError, match="layer_types.*sliding_attention"):
        load_folder(folder)


def test_phi3_rope_description_and_refresh(tmp_path):
    model = ours(saved(tmp_path, _phi3_longrope))
    assert model.cfg.rotary_dim == 4 and model.cfg.rope_type == "longrope"
    assert model.cfg.rope_refresh_length == 16
    desc = model.hook_points["blocks.0.attn.hook_rot_q"].description
    assert "LongRoPE" in desc and "first 4 of 8 dims" in desc


def test_phi3_old_rope_names_read_as_longrope(tmp_path):
    params = {"rope_type": "su", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
              "short_factor": [1.0, 1.7], "long_factor": [2.5, 9.0]}
    cfg, _ = load_folder(saved(tmp_path, _phi3_longrope, rope_parameters=params))
    assert cfg.rope_type == "longrope"


def test_phi3_short_sliding_window_is_refused_by_name(tmp_path):
    with pytest.raises(ModelLoadError, match="sliding_window=8"):
        load_folder(saved(tmp_path, _phi3_longrope, sliding_window=8))
    cfg, _ = load_folder(saved(tmp_path, _phi3_longrope, sliding_window=64))  # as long as the context: no effect
    assert cfg.n_ctx == 64
