"""engine/models/rope.py against transformers' ROPE_INIT_FUNCTIONS (the same bits), and the
converter's reading of transformers 4 / 5 RoPE keys."""
import pytest
import torch

from engine.errors import ModelLoadError
from engine.loading.converters.llama import rope_settings
from engine.models import rope

HEAD_DIM, MAX = 16, 32
TYPES = {  # rope_type -> its parameters (transformers 5 `rope_parameters`, theta aside)
    "linear": {"factor": 2.5},
    "dynamic": {"factor": 3.0},
    "yarn": {"factor": 4.0, "original_max_position_embeddings": 8},
    "yarn-mscale": {"factor": 4.0, "original_max_position_embeddings": 8, "mscale": 2.0, "mscale_all_dim": 1.0,
                    "beta_fast": 16.0, "beta_slow": 2.0, "truncate": False},
    "yarn-attention-factor": {"factor": 4.0, "original_max_position_embeddings": 8, "attention_factor": 1.3},
    "llama3": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64},
    "longrope": {"original_max_position_embeddings": 8, "short_factor": [1.0, 1.1, 1.5, 2.0, 2.2, 3.0, 4.0, 5.0],
                 "long_factor": [1.0, 1.5, 2.0, 3.0, 4.5, 6.0, 9.0, 12.0]},
    "longrope-partial": {"original_max_position_embeddings": 8, "short_factor": [1.0, 1.2, 1.5, 2.0],
                         "long_factor": [1.5, 2.0, 4.0, 8.0], "partial_rotary_factor": 0.5},
}


def hf_config(kind, params, theta=5000.0):
    from transformers import LlamaConfig

    return LlamaConfig(hidden_size=HEAD_DIM * 2, num_attention_heads=2, head_dim=HEAD_DIM, max_position_embeddings=MAX,
                       rope_parameters={"rope_type": kind.split("-")[0], "rope_theta": theta, **params})


def ours(hf) -> rope.RopeSpec:
    theta, kind, params = rope_settings(hf.to_dict())
    return rope.RopeSpec(kind, theta, int(HEAD_DIM * params.get("partial_rotary_factor", 1.0)), params)


@pytest.mark.parametrize("name", list(TYPES))
@pytest.mark.parametrize("seq_len", [None, 5, 8, 9, 32, 33, 70])
def test_inv_freq_and_scaling_equal_transformers(name, seq_len):
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

    hf = hf_config(name, TYPES[name])
    spec = ours(hf)
    if seq_len is not None and not rope.varies_at(spec, seq_len):
        seq_len_ref = None  # transformers keeps its load-time frequencies (dynamic_rope_update)
    else:
        seq_len_ref = seq_len if seq_len is None else torch.tensor(seq_len)  # a tensor at run time there
    want, want_scale = ROPE_INIT_FUNCTIONS[spec.kind](hf, None, seq_len=seq_len_ref)
    got, scale = rope.inv_freq(spec, seq_len)
    assert torch.equal(got, want)
    assert scale == want_scale


def test_only_dynamic_and_longrope_vary_with_length():
    assert rope.varies_at(ours(hf_config("dynamic", TYPES["dynamic"])), MAX + 1)
    assert not rope.varies_at(ours(hf_config("dynamic", TYPES["dynamic"])), MAX)
    assert rope.varies_at(ours(hf_config("longrope", TYPES["longrope"])), 9)
    assert not rope.varies_at(ours(hf_config("longrope", TYPES["longrope"])), 8)
    for kind in ("linear", "yarn", "llama3"):
        assert not rope.varies_at(ours(hf_config(kind, TYPES[kind])), 10_000)


def test_transformers4_keys_read_as_transformers5():
    t5 = {"max_position_embeddings": 64,
          "rope_parameters": {"rope_type": "yarn", "rope_theta": 5e5, "factor": 4.0, "original_max_position_embeddings": 16}}
    t4 = {"max_position_embeddings": 64, "rope_theta": 5e5,
          "rope_scaling": {"type": "yarn", "factor": 4.0, "original_max_position_embeddings": 16}}
    assert rope_settings(t4) == rope_settings(t5)
    assert rope_settings(t4)[:2] == (5e5, "yarn")


def test_top_level_original_length_wins_as_in_transformers():
    """Phi-3 keeps original_max_position_embeddings at the top level of its config."""
    hf = {"max_position_embeddings": 64, "original_max_position_embeddings": 8,
          "rope_parameters": {"rope_type": "longrope", "rope_theta": 1e4, "short_factor": [1.0], "long_factor": [2.0],
                              "original_max_position_embeddings": 64}}
    assert rope_settings(hf)[2]["original_max_position_embeddings"] == 8


def test_unknown_type_and_missing_parameters_are_refused_by_name():
    with pytest.raises(ModelLoadError, match="'ntk-by-parts'.*supported: default, linear"):
        rope_settings({"rope_parameters": {"rope_type": "ntk-by-parts", "rope_theta": 1e4}})
    with pytest.raises(ModelLoadError, match="'longrope' needs short_factor, long_factor"):
        rope_settings({"rope_parameters": {"rope_type": "longrope", "rope_theta": 1e4}})


def test_descriptions_name_the_type():
    assert "YaRN" in rope.describe(ours(hf_config("yarn", TYPES["yarn"])))
    assert "Llama-3" in rope.describe(ours(hf_config("llama3", TYPES["llama3"])))
    assert "dynamic NTK" in rope.describe(ours(hf_config("dynamic", TYPES["dynamic"])))
    assert "LongRoPE" in rope.describe(ours(hf_config("longrope", TYPES["longrope"])))


def test_llama3_factors_as_a_gguf_rope_freqs_tensor_give_the_llama3_frequencies():
    """Llama-3.1/3.2 GGUF files store llama3's scaling as per-frequency divisors (rope_freqs.weight)."""
    spec = ours(hf_config("llama3", TYPES["llama3"]))
    factors = rope.llama3_freq_factors(spec)
    assert factors.shape == (HEAD_DIM // 2,) and factors[0] == 1.0 and factors[-1] == 8.0
    from_file = rope.RopeSpec("freq_factors", spec.theta, spec.dim, {"freq_factors": factors.tolist()})
    assert torch.allclose(rope.inv_freq(from_file)[0], rope.inv_freq(spec)[0], rtol=1e-6, atol=0)
    with pytest.raises(ModelLoadError, match="rope_freqs has 3 factors"):
        rope.inv_freq(rope.RopeSpec("freq_factors", 1e4, HEAD_DIM, {"freq_factors": [1.0, 2.0, 3.0]}))


def test_a_llama_config_with_freq_factors_gives_the_llama3_models_logits(tmp_path):
    """How a GGUF's rope_freqs.weight reaches the Llama converter: rope_parameters with
    rope_type "freq_factors" and the tensor's values (what the gguf loader would put there)."""
    import json

    from engine import run
    from engine.loading.build import instantiate
    from engine.loading.hf_folder import load_folder
    from tests.engine.parity.case_llama_rope import llama3

    ref = llama3()
    ref.save_pretrained(tmp_path)
    hf = json.loads((tmp_path / "config.json").read_text())
    theta, _, params = rope_settings(hf)
    factors = rope.llama3_freq_factors(rope.RopeSpec("llama3", theta, hf["head_dim"], params))
    hf["rope_parameters"] = {"rope_type": "freq_factors", "rope_theta": theta, "freq_factors": factors.tolist()}
    (tmp_path / "config.json").write_text(json.dumps(hf))
    cfg, state = load_folder(tmp_path)
    assert cfg.rope_type == "freq_factors"
    ids = list(range(3, 23))
    with torch.no_grad():
        want = ref(torch.tensor([ids])).logits[0]
    got = run(instantiate(cfg, state), ids, capture=None).output[0]
    assert (got - want).abs().max() < 1e-4
