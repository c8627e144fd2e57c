"""Internal consistency, every layer and head of every family: each recorded step can be
recomputed from the steps it names as inputs."""
import math

import pytest
import torch

from engine import Capture, run

from .random_models import CONFIGS, random_model

# What test_parity runs on every parity case's model too: (model, trace) -> None, asserting.
CHECKS = ("check_attention", "check_residuals", "check_inputs")

ATOL = 1e-5


def _ids(n, seed=3):
    return torch.randint(1, 61, (1, n), generator=torch.Generator().manual_seed(seed))


def _traces(name):
    model = random_model(name)
    ids = _ids(9)
    tgt = _ids(6, seed=4) if model.cfg.family == "encoder-decoder" else None
    return model, run(model, ids, target_ids=tgt, capture=Capture())


def _attn_prefixes(trace):
    return sorted({n.rsplit(".", 1)[0] for n in trace.names() if n.endswith("hook_pattern")})


@pytest.mark.parametrize("name", list(CONFIGS))
def test_pattern_is_softmax_of_masked_scaled_qk(name):
    check_attention(*_traces(name))


def check_attention(model, t):
    prefixes = _attn_prefixes(t)
    assert len(prefixes) >= model.cfg.n_layers
    rep = model.cfg.n_heads // model.cfg.n_kv_heads
    for p in prefixes:
        q = t[f"{p}.hook_rot_q"] if f"{p}.hook_rot_q" in t else t[f"{p}.hook_q"]
        k = t[f"{p}.hook_rot_k"] if f"{p}.hook_rot_k" in t else t[f"{p}.hook_k"]
        v = t[f"{p}.hook_v"]
        k = k.repeat_interleave(rep, dim=2)  # [batch, key_pos, head, d_head]
        v = v.repeat_interleave(rep, dim=2)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k)
        assert torch.allclose(t[f"{p}.hook_attn_scores"], scores, atol=ATOL), p
        scaled = scores / model.get_submodule(p).divisor  # √d_head, or the layer's own scale
        if model.get_submodule(p).divisor == math.sqrt(q.shape[-1]):
            assert "√d_head" in t.step(f"{p}.hook_attn_scaled").description, p
        assert torch.allclose(t[f"{p}.hook_attn_scaled"], scaled, atol=ATOL), p
        causal = "cross_attn" not in p and model.cfg.family != "encoder" and not p.startswith("encoder.")
        if causal:
            n = scaled.shape[-1]
            future = torch.ones(n, n, dtype=torch.bool).triu(1)
            scaled = scaled.masked_fill(future, float("-inf"))
            assert torch.isneginf(t[f"{p}.hook_attn_masked"][..., future]).all(), p
        assert torch.equal(torch.isinf(t[f"{p}.hook_attn_masked"]), torch.isinf(scaled)), p
        pattern = torch.softmax(scaled, dim=-1)
        assert torch.allclose(t[f"{p}.hook_pattern"], pattern, atol=ATOL), p
        z = torch.einsum("bhqk,bkhd->bqhd", t[f"{p}.hook_pattern"], v)
        assert torch.allclose(t[f"{p}.hook_z"], z, atol=ATOL), p
        assert torch.allclose(t[f"{p}.hook_pattern"].sum(-1), torch.ones(1), atol=ATOL)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_residual_stream_adds_up(name):
    check_residuals(*_traces(name))


def check_residuals(model, t):
    for name in [n for n in t.names() if n.endswith(("hook_project_in", "hook_project_out"))]:
        proj = model.get_submodule(name.replace("hook_", ""))  # OPT-350m's project_in / project_out
        assert torch.allclose(t[name], proj(t[t.step(name).inputs[0]]), atol=ATOL), name
    blocks = sorted({n.split(".hook_resid_pre")[0] for n in t.names() if n.endswith("hook_resid_pre")})
    for b in blocks:
        pre, attn_out = t[f"{b}.hook_resid_pre"], t[f"{b}.hook_attn_out"]
        heads = t[f"{b}.attn.hook_result"].sum(dim=2)
        bias = model.get_submodule(f"{b}.attn.W_O").bias
        assert torch.allclose(attn_out, heads + (bias if bias is not None else 0), atol=1e-4), b
        layout = model.get_submodule(b).layout  # ask the block how it is wired
        if layout == "parallel":  # both sub-layers read resid_pre; no resid_mid
            assert f"{b}.hook_resid_mid" not in t, b
            post = pre + attn_out + t[f"{b}.hook_mlp_out"]
            assert torch.allclose(t[f"{b}.hook_resid_post"], post, atol=ATOL), b
            continue
        mid = t[f"{b}.hook_resid_mid"]
        if layout == "pre":
            assert torch.allclose(mid, pre + attn_out, atol=ATOL), b
            assert torch.allclose(t[f"{b}.hook_resid_post"], mid + t[f"{b}.hook_mlp_out"], atol=ATOL), b
        else:
            assert torch.allclose(t[f"{b}.hook_attn_add"], pre + attn_out, atol=ATOL), b
            after = f"{b}.hook_resid_mid_cross" if f"{b}.hook_resid_mid_cross" in t else f"{b}.hook_resid_mid"
            assert torch.allclose(t[f"{b}.hook_mlp_add"], t[after] + t[f"{b}.hook_mlp_out"], atol=ATOL), b
        mlp = model.get_submodule(f"{b}.mlp")  # the FFN reads the norm its hook_pre names (parallel: ln1 or ln2)
        src = t.step(f"{b}.mlp.hook_pre").inputs[0]
        first = mlp.W_gate if mlp.gated else mlp.W_in
        assert torch.allclose(t[f"{b}.mlp.hook_pre"], first(t[src]), atol=ATOL), b
    for i in range(1, len(blocks)):
        prev, cur = blocks[i - 1], blocks[i]
        if prev.split("blocks")[0] == cur.split("blocks")[0]:
            assert torch.equal(t[f"{cur}.hook_resid_pre"], t[f"{prev}.hook_resid_post"])


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_input_ref_names_a_recorded_step(name):
    check_inputs(*_traces(name))


def check_inputs(model, t):
    names = set(t.names())
    for s in t.steps:
        for ref in s.inputs:
            assert ref in model.hook_points, f"{s.name} names unknown input {ref}"
            if ref in names:
                assert t.step(ref).index < s.index, f"{s.name} recorded before its input {ref}"


@pytest.mark.parametrize("name", list(CONFIGS))
def test_fast_path_equals_capture_path(name):
    model = random_model(name)
    ids = _ids(9)
    tgt = _ids(6, seed=4) if model.cfg.family == "encoder-decoder" else None
    full = run(model, ids, target_ids=tgt, capture=Capture()).output
    fast = run(model, ids, target_ids=tgt, capture=None).output
    assert torch.allclose(full, fast, atol=1e-4)
