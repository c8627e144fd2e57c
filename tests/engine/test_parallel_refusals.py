"""Options of the parallel-block / LayerNorm families that we do not implement are refused by name."""
import pytest

from engine.errors import UnsupportedArchitecture
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
    ("PhiForCausalLM", {"qk_layernorm": True}, "qk_layernorm"),
    ("StableLmForCausalLM", {"qk_layernorm": True}, "qk_layernorm"),
    ("GPTNeoXForCausalLM", {"rotary_pct": 0.1}, "partial_rotary_factor"),
]


@pytest.mark.parametrize("arch,extra,key", REFUSED, ids=[f"{a}-{k}" for a, _, k in REFUSED])
def test_unimplemented_option_is_refused_by_name(arch, extra, key):
    with pytest.raises(UnsupportedArchitecture, match=key):
        converter_for(arch).make_config({**BASE[arch], **extra})


@pytest.mark.parametrize("arch", list(BASE))
def test_the_base_configs_open(arch):
    assert converter_for(arch).make_config(BASE[arch]).n_layers == 2
