"""Options of the parallel-block / LayerNorm families that we do not implement are refused by name."""
import pytest

from engine.errors import ModelLoadError, UnsupportedArchitecture
from engine.loading.registry import converter_for

BASE = {
    "OPTForCausalLM": dict(vocab_size=89, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, ffn_dim=48),
    "FalconForCausalLM": dict(vocab_size=89, hidden_size=32, num_hidden_layers=2, num_attention_heads=4),
    "GPTJForCausalLM": dict(vocab_size=89, n_embd=32, n_layer=2, n_head=4, rotary_dim=4),
    "PhiForCausalLM": dict(vocab_size=89, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                           intermediate_size=48),
    "StableLmForCausalLM": dict(vocab_size=89, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                intermediate_size=48),
    "GPTNeoXForCausalLM": dict(vocab_size=89, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                               intermediate_size=48),
}

REFUSED = [
    ("FalconForCausalLM", {"alibi": True}, "alibi"),
    ("FalconForCausalLM", {"new_decoder_architecture": True, "parallel_attn": False}, "parallel_attn"),
    ("FalconForCausalLM", {"parallel_attn": True, "num_ln_in_parallel_attn": 2}, "num_ln_in_parallel_attn"),
    ("FalconForCausalLM", {"multi_query": False, "num_kv_heads": 2}, "num_kv_heads"),
    ("GPTJForCausalLM", {"rotary_dim": None}, "rotary_dim"),
    ("GPTJForCausalLM", {"rotary": False}, "rotary"),
    ("FalconForCausalLM", {"apply_residual_connection_post_layernorm": True}, "apply_residual_connection"),
    ("PhiForCausalLM", {"qk_layernorm": True}, "qk_layernorm"),
    ("StableLmForCausalLM", {"qk_layernorm": True}, "qk_layernorm"),
    ("GPTNeoXForCausalLM", {"rotary_pct": 0.1}, "partial_rotary_factor"),
    ("GPTNeoXForCausalLM", {"rope_scaling": {"type": "linear", "factor": 2.0}}, "RoPE scaling"),
    ("FalconForCausalLM", {"rope_scaling": {"rope_type": "dynamic", "factor": 2.0}}, "RoPE scaling"),
    ("PhiForCausalLM", {"rope_parameters": {"rope_type": "linear", "factor": 2.0}}, "RoPE scaling"),
]


@pytest.mark.parametrize("arch,extra,key", REFUSED, ids=[f"{a}-{k}" for a, _, k in REFUSED])
def test_unimplemented_option_is_refused_by_name(arch, extra, key):
    # UnsupportedArchitecture, or its parent ModelLoadError from the Llama converter's RoPE reading
    error = ModelLoadError if key == "RoPE scaling" else UnsupportedArchitecture
    with pytest.raises(error, match=key):
        converter_for(arch).make_config({**BASE[arch], **extra})


@pytest.mark.parametrize("arch", list(BASE))
def test_the_base_configs_open(arch):
    assert converter_for(arch).make_config(BASE[arch]).n_layers == 2


# the config.json keys of real checkpoints, beyond what transformers' configs write today
REAL_KEYS = {
    "FalconForCausalLM": dict(apply_residual_connection_post_layernorm=False, n_embed=32),  # falcon-7b, RW
    "GPTJForCausalLM": dict(rotary=True, scale_attn_weights=True, tokenizer_class="GPT2Tokenizer",
                            summary_type="cls_index"),  # gpt-j-6b
    "OPTForCausalLM": dict(prefix="</s>", activation_dropout=0.0, _remove_final_layer_norm=False),  # opt-125m
    "GPTNeoXForCausalLM": dict(rotary_emb_base=10000, rotary_pct=0.25, use_parallel_residual=True),  # pythia
}


@pytest.mark.parametrize("arch", list(REAL_KEYS))
def test_real_checkpoint_keys_are_declared(arch):
    cfg = converter_for(arch).make_config({**BASE[arch], **REAL_KEYS[arch]})
    assert not cfg.extra.get("notes"), cfg.extra.get("notes")


def test_pythia_legacy_rope_keys_give_theta_and_rotary_dim():
    cfg = converter_for("GPTNeoXForCausalLM").make_config(
        {**BASE["GPTNeoXForCausalLM"], "rotary_emb_base": 5000, "rotary_pct": 0.5})
    assert (cfg.rope_theta, cfg.rotary_dim, cfg.d_head) == (5000.0, 4, 8)
