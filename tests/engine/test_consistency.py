"""Internal consistency, every layer and head of every family: each recorded step can be
recomputed from the steps it names as inputs."""
import math

import pytest
import torch

from engine import Capture, run

from .random_models import CONFIGS, random_model

# What test_parity runs on every parity case's model too: (model, trace) -> None, asserting.
CHECKS = ("check_attention", "check_residuals", "check_inputs", "check_norms_and_caps")

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


def _input(t, name, i=0):
    """The tensor of the i-th step `name` names as its input."""
    return t[t.step(name).inputs[i]]


# textbook normalisations by Norm kind (engine/models/components.NORM_KINDS), weights applied
def _rms(x, eps):
    return x / (x.pow(2).mean(-1, keepdim=True) + eps).sqrt()


def _std(x, eps):
    d = x - x.mean(-1, keepdim=True)
    return d / (d.pow(2).mean(-1, keepdim=True) + eps).sqrt()


TEXTBOOK_NORMS = {
    "layernorm": lambda x, w, b, eps: _std(x, eps) * w + (b if b is not None else 0),
    "rmsnorm": lambda x, w, b, eps: _rms(x, eps) * w,
    "rmsnorm_1p": lambda x, w, b, eps: _rms(x, eps) * (1 + w),
    "layernorm_np": lambda x, w, b, eps: _std(x, eps),
}


def _check_qkv_steps(attn, t, p):
    """The steps between the projections and the scores: clip_qkv, q/k norm."""
    for which in "qkv":
        name = f"{p}.hook_{which}_clipped"
        if name in t:
            assert torch.equal(t[name], _input(t, name).clamp(-attn.clip, attn.clip)), name
        name = f"{p}.hook_{which}_normed"
        if name in t:
            norm = getattr(attn, f"{which}_norm")
            x = _input(t, name)  # [batch, pos, head, d_head]
            flat = x.flatten(-2) if norm.whole else x  # whole: over all heads at once
            want = TEXTBOOK_NORMS[norm.kind](flat, norm.w, None, norm.eps).view(x.shape)
            assert torch.allclose(t[name], want, atol=ATOL), name


def check_attention(model, t):
    prefixes = _attn_prefixes(t)
    assert len(prefixes) >= model.cfg.n_layers
    rep = model.cfg.n_heads // model.cfg.n_kv_heads
    for p in prefixes:
        attn = model.get_submodule(p)
        _check_qkv_steps(attn, t, p)
        q, k = _input(t, f"{p}.hook_attn_scores", 0), _input(t, f"{p}.hook_attn_scores", 1)
        v = _input(t, f"{p}.hook_z", 1)
        k = k.repeat_interleave(rep, dim=2)  # [batch, key_pos, head, d_head]
        v = v.repeat_interleave(rep, dim=2)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k)
        assert torch.allclose(t[f"{p}.hook_attn_scores"], scores, atol=ATOL), p
        added = sum(_textbook_term(model, attn, t, p, kind) for kind in getattr(attn, "score_terms", {}))
        scaled = (scores + added) / attn.divisor  # √d_head, or the layer's own scale
        if attn.divisor == math.sqrt(q.shape[-1]):
            assert "√d_head" in t.step(f"{p}.hook_attn_scaled").description, p
        assert torch.allclose(t[f"{p}.hook_attn_scaled"], scaled, atol=ATOL), p
        if f"{p}.hook_attn_capped" in t:
            c = attn.softcap
            scaled = torch.tanh(scaled / c) * c
            assert torch.allclose(t[f"{p}.hook_attn_capped"], scaled, atol=ATOL), p
            assert (scaled.abs() < c).all()
        causal = "cross_attn" not in p and model.cfg.family != "encoder" and not p.startswith("encoder.")
        if not causal and attn.window is not None:  # an encoder's bidirectional sliding window
            nq, nk = scaled.shape[-2:]
            far = (torch.arange(nq)[:, None] - torch.arange(nk)[None, :]).abs() >= attn.window
            assert far.any(), f"{p}: the test prompt is shorter than the window"
            scaled = scaled.masked_fill(far, float("-inf"))
        if causal:
            nq, nk = scaled.shape[-2:]
            i = torch.arange(nq)[:, None] + nk - nq
            j = torch.arange(nk)[None, :]
            hidden = j > i  # the future
            if attn.window is not None:
                hidden = hidden | (i - j >= attn.window)  # keys the sliding window left behind
            scaled = scaled.masked_fill(hidden, float("-inf"))
            assert torch.isneginf(t[f"{p}.hook_attn_masked"][..., hidden]).all(), p
        assert torch.equal(torch.isinf(t[f"{p}.hook_attn_masked"]), torch.isinf(scaled)), p
        pattern = torch.softmax(scaled, dim=-1)
        assert torch.allclose(t[f"{p}.hook_pattern"], pattern, atol=ATOL), p
        z = torch.einsum("bhqk,bkhd->bqhd", t[f"{p}.hook_pattern"], v)
        assert torch.allclose(t[f"{p}.hook_z"], z, atol=ATOL), p
        assert torch.allclose(t[f"{p}.hook_pattern"].sum(-1), torch.ones(1), atol=ATOL)


def _bucket(rel, buckets, max_pos):
    """DeBERTa's relative-distance buckets, written out: exact within ±buckets/2, log-spaced beyond."""
    mid = buckets // 2
    out = rel.clone()
    for idx, r in enumerate(rel.flatten().tolist()):
        if abs(r) > mid:  # ceil(log(|r|/mid) / log((max_pos − 1)/mid) · (mid − 1)) + mid, with r's sign
            far = math.ceil(math.log(abs(r) / mid) / math.log((max_pos - 1) / mid) * (mid - 1)) + mid
            out.view(-1)[idx] = far if r > 0 else -far
    return out


def _textbook_term(model, attn, t, p, kind):
    """A score term the module says it adds to q·kᵀ (hook kind -> "c2p" | "p2c"), recomputed from the
    relative table of the attention's stack: c2p[i,j] = q_i·K_r[δ(i,j)], p2c[i,j] = k_j·Q_r[δ(i,j)]."""
    name = f"{p}.{kind}"
    assert name in t, name
    prefix = p.split("blocks.")[0]  # "" or "encoder.": the stack holding this layer
    stack = model.get_submodule(prefix[:-1]) if prefix else model
    rel = stack.rel_embed
    table = rel.W_rel
    if rel.norm:
        table = TEXTBOOK_NORMS["layernorm"](table, rel.w, rel.b, rel.eps)
    assert torch.allclose(_input(t, name, 1), table, atol=ATOL), f"{name}: its relative table"
    term = attn.score_terms[kind]
    proj = attn.term_projection(term)
    r = (table @ proj.weight.T + proj.bias).view(table.shape[0], attn.n_heads, attn.d_head)  # [2·span, head, d_head]
    x = _input(t, name)  # [batch, pos, head, d_head]: q for c2p, k for p2c
    n = x.shape[1]
    i = torch.arange(n)[:, None]
    j = torch.arange(n)[None, :]
    delta = i - j
    if rel.buckets > 0:
        delta = _bucket(delta, rel.buckets, rel.max_rel)
    rows = (delta + rel.span).clamp(0, 2 * rel.span - 1)  # [query, key]
    if term == "c2p":
        want = torch.einsum("bihd,ijhd->bhij", x, r[rows])
    else:
        want = torch.einsum("bjhd,ijhd->bhij", x, r[rows])
    assert torch.allclose(t[name], want, atol=ATOL), name
    return t[name]


@pytest.mark.parametrize("name", list(CONFIGS))
def test_residual_stream_adds_up(name):
    check_residuals(*_traces(name))


def check_residuals(model, t):
    """Each Add step is the sum of the steps it names (whichever norms sit in the branches)."""
    for name in [n for n in t.names() if n.endswith(("hook_project_in", "hook_project_out"))]:
        proj = model.get_submodule(name.replace("hook_", ""))  # OPT-350m's project_in / project_out
        assert torch.allclose(t[name], proj(t[t.step(name).inputs[0]]), atol=ATOL), name
    blocks = sorted({n.split(".hook_resid_pre")[0] for n in t.names() if n.endswith("hook_resid_pre")})
    for b in blocks:
        attn_out = t[f"{b}.hook_attn_out"]
        heads = t[f"{b}.attn.hook_result"].sum(dim=2)
        bias = model.get_submodule(f"{b}.attn.W_O").bias
        assert torch.allclose(attn_out, heads + (bias if bias is not None else 0), atol=1e-4), b
        if model.get_submodule(b).layout == "parallel":  # both sub-layers read resid_pre; no resid_mid
            assert f"{b}.hook_resid_mid" not in t, b
            post = t[f"{b}.hook_resid_pre"] + attn_out + t[f"{b}.hook_mlp_out"]
            assert torch.allclose(t[f"{b}.hook_resid_post"], post, atol=ATOL), b
        mlp = model.get_submodule(f"{b}.mlp")  # the FFN reads the norm its hook_pre names (parallel: ln1 or ln2)
        src = t.step(f"{b}.mlp.hook_pre").inputs[0]
        first = mlp.W_gate if mlp.gated else mlp.W_in
        assert torch.allclose(t[f"{b}.mlp.hook_pre"], first(t[src]), atol=ATOL), b
    adds = [s for s in t.steps if s.description.startswith("Add:")]
    serial = [b for b in blocks if model.get_submodule(b).layout != "parallel"]
    assert len(adds) >= 2 * len(serial)
    for s in adds:
        assert len(s.inputs) >= 2, s.name
        assert torch.allclose(s.tensor, sum(t[i] for i in s.inputs), atol=ATOL), s.name
    for i in range(1, len(blocks)):
        prev, cur = blocks[i - 1], blocks[i]
        if prev.split("blocks")[0] == cur.split("blocks")[0]:
            src = t.step(f"{cur}.hook_resid_pre").inputs  # the previous layer's output, or what follows it
            assert len(src) == 1 and (src[0] == f"{prev}.hook_resid_post" or prev.endswith("blocks.0")), cur
            assert torch.equal(t[f"{cur}.hook_resid_pre"], t[src[0]])
    for name in [n for n in t.names() if n.split(".")[-1] == "hook_conv"]:
        _check_conv(model.get_submodule(name.removesuffix(".hook_conv")), t, name)


def _check_conv(conv, t, name):
    """DeBERTa-v2's ConvLayer: act(Σ_τ e[p + τ − pad] · W[:, :, τ]ᵀ + b), groups as a block-diagonal W."""
    e = _input(t, name)[0]  # [pos, d_model]
    n, d = e.shape
    w = torch.zeros(d, d, conv.kernel)  # [out, in, kernel], the groups' blocks on the diagonal
    size = d // conv.groups
    for g in range(conv.groups):
        w[g * size:(g + 1) * size, g * size:(g + 1) * size] = conv.weight[g * size:(g + 1) * size]
    pad = (conv.kernel - 1) // 2
    out = conv.bias.expand(n, d).clone()
    for tau in range(conv.kernel):
        for p in range(n):
            q = p + tau - pad
            if 0 <= q < n:
                out[p] += w[:, :, tau] @ e[q]
    assert torch.allclose(t[name][0], {"tanh": torch.tanh}.get(conv.act_name, conv.act)(out), atol=ATOL), name


@pytest.mark.parametrize("name", list(CONFIGS))
def test_norms_and_soft_caps_recompute(name):
    check_norms_and_caps(*_traces(name))


def check_norms_and_caps(model, t):
    """Every norm's output from its input (textbook formula of its kind); the final soft-cap."""
    from engine.models.components import Norm

    seen = 0
    for m in model.modules():
        if isinstance(m, Norm) and m.hook_normalized.name in t:
            name = m.hook_normalized.name
            want = TEXTBOOK_NORMS[m.kind](_input(t, name), m.w, m.b, m.eps)
            assert torch.allclose(t[name], want, atol=ATOL), name
            seen += 1
    assert seen >= 1
    if "hook_logits_uncapped" in t:
        c = model.final_softcap
        assert torch.allclose(t["hook_logits"], torch.tanh(t["hook_logits_uncapped"] / c) * c, atol=ATOL)
        assert (t["hook_logits"].abs() < c).all()


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
