"""DeBERTa-v2 and ModernBERT options: what is refused by name, what the scaling step says, the
bidirectional window mask, and ModernBERT's missing first attention norm."""
from __future__ import annotations

import math

import pytest
import torch

from engine.errors import UnsupportedArchitecture
from engine.loading.registry import converter_for
from engine.models.disentangled import log_bucket
from engine.models.stack import build_mask

from .random_models import random_model


def _deberta_hf(**options):
    import transformers

    return {**transformers.DebertaV2Config(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                           intermediate_size=48, relative_attention=True,
                                           pos_att_type=["c2p", "p2c"]).to_dict(), **options}


@pytest.mark.parametrize("key, value", [("embedding_size", 16), ("pos_att_type", ["p2p"]), ("conv_act", "mish"),
                                        ("pos_att_type", "c2p|p2p"), ("attention_head_size", 4)])
def test_deberta_options_not_implemented_are_refused_by_name(key, value):
    with pytest.raises(UnsupportedArchitecture, match=key):
        converter_for("DebertaV2ForMaskedLM").make_config(_deberta_hf(**{key: value}))


def test_old_style_pos_att_type_string_is_read():
    cfg = converter_for("DebertaV2Model").make_config(_deberta_hf(pos_att_type="p2c|c2p"))
    assert sorted(cfg.pos_att_type) == ["c2p", "p2c"]


def test_the_scaling_step_shows_the_real_divisor():
    model = random_model("deberta-like")
    attn = model.blocks[0].attn
    d_head = model.cfg.d_head
    assert attn.divisor == pytest.approx(math.sqrt(d_head * 3))
    desc = attn.hook_attn_scaled.description
    assert "(q·kᵀ + c2p + p2c) / √(d_head · 3)" in desc and f"{math.sqrt(d_head * 3):.4g}" in desc
    assert attn.hook_attn_scaled.inputs == ("blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_c2p",
                                           "blocks.0.attn.hook_p2c")


def test_log_buckets_keep_near_distances_and_compress_far_ones():
    rel = torch.arange(-20, 21)
    b = log_bucket(rel, 8, 32)
    assert torch.equal(b[16:25], torch.arange(-4, 5))  # |δ| ≤ 4 exact
    assert torch.equal(b, -b.flip(0))  # symmetric
    assert b.max() < 20 and (b.diff() >= 0).all()  # far distances share buckets, order kept


def test_bidirectional_window_mask_keeps_keys_within_the_window_on_both_sides():
    mask = build_mask(6, 6, causal=False, key_padding=None, device="cpu", window=3)[0, 0]
    i, j = torch.arange(6)[:, None], torch.arange(6)[None, :]
    assert torch.equal(mask, (i - j).abs() < 3)
    assert build_mask(6, 6, causal=False, key_padding=None, device="cpu") is None


def test_modernbert_rope_scaling_is_refused_by_name():
    import transformers

    hf = transformers.ModernBertConfig(num_hidden_layers=3).to_dict()
    hf["rope_parameters"]["full_attention"] = {"rope_type": "linear", "factor": 2.0, "rope_theta": 1e4}
    with pytest.raises(UnsupportedArchitecture, match="rope_parameters.*linear"):
        converter_for("ModernBertForMaskedLM").make_config(hf)


def test_modernbert_layers_alternate_and_layer_zero_has_no_attention_norm():
    model = random_model("modernbert-like")
    assert model.blocks[0].ln1 is None and model.blocks[1].ln1 is not None
    assert [b.attn.window for b in model.blocks] == [None, 3]
    assert "bidirectional sliding window" in model.blocks[1].attn.hook_attn_masked.description
    assert model.rotary_local is not None and model.blocks[1].attn.rotary


def test_released_style_configs_open_without_notes():
    """Keys the hub's config.json files carry (transformers-4 names) are declared and read."""
    modern = {"architectures": ["ModernBertForMaskedLM"], "hidden_size": 32, "intermediate_size": 40,
              "num_hidden_layers": 4, "num_attention_heads": 4, "vocab_size": 60, "global_attn_every_n_layers": 3,
              "global_rope_theta": 160000.0, "local_rope_theta": 10000.0, "local_attention": 8, "layer_norm_eps": 1e-5,
              "norm_eps": 1e-5, "position_embedding_type": "absolute", "reference_compile": True, "norm_bias": False}
    cfg = converter_for("ModernBertForMaskedLM").make_config(modern)
    assert not cfg.extra.get("notes")
    assert cfg.layer_types == ["full_attention", "sliding_attention", "sliding_attention", "full_attention"]
    assert (cfg.rope_theta, cfg.rope_local_theta, cfg.sliding_window) == (160000.0, 10000.0, 5)
    xlarge = _deberta_hf(attention_head_size=8, conv_kernel_size=3, conv_act="gelu", position_buckets=256,
                         norm_rel_ebd="layer_norm", share_att_key=True, pos_att_type="p2c|c2p", pooler_dropout=0)
    cfg = converter_for("DebertaV2ForMaskedLM").make_config(xlarge)
    assert not cfg.extra.get("notes") and cfg.conv_kernel == 3 and cfg.d_head == 8
