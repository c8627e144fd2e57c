"""Config readings of the attention-variant converters that a parity case cannot show."""
import pytest

from engine.errors import ModelLoadError, UnsupportedArchitecture
from engine.loading.registry import converter_for

BASE = dict(vocab_size=50, hidden_size=32, num_hidden_layers=4, num_attention_heads=4, intermediate_size=48)


def test_qwen2_window_from_max_window_layers_when_layer_types_are_absent():
    cfg = converter_for("Qwen2ForCausalLM").make_config(
        {**BASE, "use_sliding_window": True, "sliding_window": 7, "max_window_layers": 2})
    assert cfg.sliding_window == 7
    assert [cfg.layer_type(i) for i in range(4)] == ["full_attention"] * 2 + ["sliding_attention"] * 2
    off = converter_for("Qwen2ForCausalLM").make_config({**BASE, "use_sliding_window": False, "sliding_window": 7})
    assert off.sliding_window is None and off.layer_type(3) == "full_attention"


def test_gemma3_reads_transformers_4_rope_fields_and_the_window_pattern():
    cfg = converter_for("Gemma3ForCausalLM").make_config(
        {**BASE, "rope_theta": 50000.0, "rope_local_base_freq": 300.0, "sliding_window_pattern": 2,
         "sliding_window": 5})
    assert (cfg.rope_theta, cfg.rope_local_theta) == (50000.0, 300.0)
    assert cfg.layer_types == ["sliding_attention", "full_attention"] * 2


def test_gemma3_refuses_what_its_reference_does_not_compute():
    conv = converter_for("Gemma3ForCausalLM")
    with pytest.raises(UnsupportedArchitecture, match="attn_logit_softcapping"):
        conv.make_config({**BASE, "attn_logit_softcapping": 50.0})
    local_scaled = {"sliding_attention": {"rope_type": "linear", "factor": 2.0, "rope_theta": 1e4},
                    "full_attention": {"rope_type": "default", "rope_theta": 1e6}}
    with pytest.raises(ModelLoadError, match="sliding_attention.*'linear'"):
        conv.make_config({**BASE, "rope_parameters": local_scaled})


def test_gemma3_scales_only_the_global_layers_rope():
    cfg = converter_for("Gemma3ForCausalLM").make_config(
        {**BASE, "rope_scaling": {"rope_type": "linear", "factor": 8.0}, "rope_theta": 1e6})
    assert (cfg.rope_type, cfg.rope_params["factor"], cfg.rope_theta) == ("linear", 8.0, 1e6)
