import json

import pytest
import torch

from engine import Capture, run
from engine.errors import ModelLoadError
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

from .reference_llama import VOCAB, llama


def _ours(folder):
    cfg, state = load_folder(folder)
    return instantiate(cfg, state)


def _ids(n=20, seed=1):
    return torch.randint(0, VOCAB, (1, n), generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize(
    "kw",
    [
        {},  # GQA 4 heads / 2 kv heads, untied
        {"num_key_value_heads": 1, "tie_word_embeddings": True, "head_dim": 12},
        {"num_key_value_heads": 4, "attention_bias": True, "mlp_bias": True, "num_hidden_layers": 3},
    ],
    ids=["gqa", "mqa-tied-headdim", "mha-biases"],
)
def test_llama_logits_patterns_and_residuals_match_reference(tmp_path, kw):
    ref = llama(tmp_path, **kw)
    model = _ours(tmp_path)
    ids = _ids()
    with torch.no_grad():
        out = ref(ids, output_attentions=True, output_hidden_states=True)
    trace = run(model, ids, capture=Capture())
    n_layers = ref.config.num_hidden_layers
    assert (trace.output - out.logits).abs().max() < 1e-4
    for L in range(n_layers):
        pat = trace[f"blocks.{L}.attn.hook_pattern"]
        assert pat.shape == out.attentions[L].shape
        assert (pat - out.attentions[L]).abs().max() < 1e-5, L
    # Llama's last hidden state is taken after the final norm, so compare the others directly
    for L in range(n_layers - 1):
        assert (trace[f"blocks.{L}.hook_resid_post"] - out.hidden_states[L + 1]).abs().max() < 1e-4
    assert (trace["ln_final.hook_normalized"] - out.hidden_states[n_layers]).abs().max() < 1e-4
    # the fast path (no capture, SDPA with enable_gqa) agrees too
    assert (run(model, ids, capture=None).output - out.logits).abs().max() < 1e-4


def test_llama_gqa_mapping_and_rope_hooks(tmp_path):
    llama(tmp_path)
    model = _ours(tmp_path)
    trace = run(model, _ids(8), capture=Capture())
    assert trace.meta["kv_head_of_head"] == [0, 0, 1, 1]
    q, rq = trace["blocks.0.attn.hook_q"], trace["blocks.0.attn.hook_rot_q"]
    assert q.shape == rq.shape == (1, 8, 4, 8)
    assert torch.allclose(q[:, 0], rq[:, 0])  # position 0: rotation by angle 0
    assert not torch.allclose(q[:, 1:], rq[:, 1:])
    assert trace["blocks.0.attn.hook_rot_k"].shape == (1, 8, 2, 8)


def _rewrite_config(folder, **changes):
    path = folder / "config.json"
    hf = json.loads(path.read_text())
    hf.update(changes)
    path.write_text(json.dumps(hf))


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"rope_parameters": {"rope_type": "made-up", "rope_theta": 1e4, "factor": 4.0}}, ["'made-up'", "default"]),
        ({"rope_parameters": None, "rope_scaling": {"type": "su", "factor": 2.0}}, ["'su'", "longrope"]),
        ({"rope_parameters": {"rope_type": "llama3", "rope_theta": 1e4, "factor": 8.0}}, ["'llama3'", "low_freq_factor"]),
        ({"partial_rotary_factor": 0.5}, ["partial_rotary_factor"]),
        ({"hidden_act": "gelu"}, ["'gelu'"]),
    ],
)
def test_llama_refuses_what_it_does_not_implement(tmp_path, changes, words):
    llama(tmp_path)
    _rewrite_config(tmp_path, **changes)
    with pytest.raises(ModelLoadError) as e:
        load_folder(tmp_path)
    for w in words:
        assert w in str(e.value)


def test_llama_missing_tensor_is_a_clear_error(tmp_path):
    from safetensors.torch import load_file, save_file

    llama(tmp_path)
    f = tmp_path / "model.safetensors"
    tensors = load_file(str(f))
    del tensors["model.layers.1.mlp.up_proj.weight"]
    save_file(tensors, str(f))
    with pytest.raises(ModelLoadError, match="up_proj"):
        load_folder(tmp_path)


def test_llama_reads_transformers4_style_rope_keys(tmp_path):
    """TinyLlama/SmolLM folders written by transformers 4 keep `rope_theta` at the top level."""
    ref = llama(tmp_path)
    _rewrite_config(tmp_path, rope_parameters=None, rope_theta=5000.0, rope_scaling=None)
    model = _ours(tmp_path)
    assert model.cfg.rope_theta == 5000.0
    ids = _ids()
    with torch.no_grad():
        want = ref(ids).logits
    assert (run(model, ids, capture=None).output - want).abs().max() < 1e-4
