"""Small random BERT-MLM and Marian reference models built offline with `transformers` (test-only),
perturbed so that every bias and norm is exercised, and saved as Hugging Face folders."""
from __future__ import annotations

from pathlib import Path

import torch

from .reference import perturb, save

BERT_VOCAB = 99
MARIAN_VOCAB = 83
MARIAN_PAD = MARIAN_VOCAB - 1


def bert_mlm(folder: Path, **overrides):
    from transformers import BertConfig, BertForMaskedLM

    torch.manual_seed(0)
    kw = dict(
        vocab_size=BERT_VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=48, max_position_embeddings=40, type_vocab_size=2, hidden_act="gelu",
        layer_norm_eps=1e-12, pad_token_id=0, attn_implementation="eager",
    )
    kw.update(overrides)
    m = BertForMaskedLM(BertConfig(**kw)).eval()
    perturb(m, seed=1)
    save(m, folder)
    return m


def marian(folder: Path, **overrides):
    from transformers import MarianConfig, MarianMTModel

    torch.manual_seed(0)
    kw = dict(
        vocab_size=MARIAN_VOCAB, d_model=32, encoder_layers=2, decoder_layers=3,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=48, decoder_ffn_dim=48,
        max_position_embeddings=64, activation_function="swish", scale_embedding=True,
        pad_token_id=MARIAN_PAD, decoder_start_token_id=MARIAN_PAD, eos_token_id=0,
        forced_eos_token_id=0, attn_implementation="eager",
    )
    kw.update(overrides)
    m = MarianMTModel(MarianConfig(**kw)).eval()
    perturb(m, seed=2)
    with torch.no_grad():
        g = torch.Generator().manual_seed(3)
        m.final_logits_bias.add_(torch.randn(m.final_logits_bias.shape, generator=g) * 0.5)  # a buffer
        for stack in (m.model.encoder, m.model.decoder):  # fixed tables: undo the perturbation
            stack.embed_positions.weight.copy_(stack.embed_positions.create_weight())
    save(m, folder)
    return m


# --- internal consistency: recompute recorded steps from the steps they were computed from ---
ATOL = 1e-5


def _heads(x, lin, n_heads):
    b, p, _ = x.shape
    return lin(x).view(b, p, n_heads, -1)  # [batch, pos, head, d_head]


def check_attention(model, t, prefix, x, kv_x, allowed, max_diff):
    """prefix e.g. 'decoder.blocks.1.cross_attn'; x / kv_x: recorded inputs [batch, pos, d_model];
    allowed: bool [batch|1, 1, q, k] (True = may attend). Records each max abs diff in max_diff."""
    import math

    attn = model.get_submodule(prefix)
    h = attn.n_heads

    def same(name, want, tol=ATOL):
        got = t[f"{prefix}.{name}"]
        d = (got - want).abs().max().item()
        max_diff[name] = max(max_diff.get(name, 0.0), d)
        assert d <= tol, f"{prefix}.{name}: max abs diff {d:.3g}"

    same("hook_q", _heads(x, attn.W_Q, h))
    same("hook_k", _heads(kv_x, attn.W_K, h))
    same("hook_v", _heads(kv_x, attn.W_V, h))
    q, k, v = t[f"{prefix}.hook_q"], t[f"{prefix}.hook_k"], t[f"{prefix}.hook_v"]
    scores = torch.einsum("bqhd,bkhd->bhqk", q, k)
    same("hook_attn_scores", scores)
    scaled = scores / math.sqrt(q.shape[-1])
    same("hook_attn_scaled", scaled)
    masked = scaled.masked_fill(~allowed, float("-inf"))
    got_masked = t[f"{prefix}.hook_attn_masked"]
    assert torch.equal(torch.isneginf(got_masked), torch.isneginf(masked).expand_as(got_masked)), prefix
    same("hook_pattern", torch.softmax(masked, dim=-1))
    same("hook_z", torch.einsum("bhqk,bkhd->bqhd", t[f"{prefix}.hook_pattern"], v))


def layer_norm(x, ln):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), ln.w, ln.b, ln.eps)


def check_post_norm_block(model, t, b, max_diff):
    """Add & Norm around every sub-layer of post-norm block `b` (e.g. 'encoder.blocks.0')."""
    blk = model.get_submodule(b)

    def same(name, want, tol=ATOL):
        d = (t[f"{b}.{name}"] - want).abs().max().item()
        max_diff[name] = max(max_diff.get(name, 0.0), d)
        assert d <= tol, f"{b}.{name}: max abs diff {d:.3g}"

    same("hook_attn_add", t[f"{b}.hook_resid_pre"] + t[f"{b}.hook_attn_out"])
    same("hook_resid_mid", layer_norm(t[f"{b}.hook_attn_add"], blk.ln1))
    heads = t[f"{b}.attn.hook_result"].sum(dim=2) + blk.attn.W_O.bias  # sum over heads + b_O
    same("hook_attn_out", heads, 1e-4)
    after = "hook_resid_mid"
    if blk.has_cross:
        same("hook_cross_attn_add", t[f"{b}.hook_resid_mid"] + t[f"{b}.hook_cross_attn_out"])
        same("hook_resid_mid_cross", layer_norm(t[f"{b}.hook_cross_attn_add"], blk.ln_cross))
        after = "hook_resid_mid_cross"
    x = t[f"{b}.{after}"]
    same("mlp.hook_pre", blk.mlp.W_in(x))
    same("mlp.hook_post", blk.mlp.act(t[f"{b}.mlp.hook_pre"]))
    same("hook_mlp_out", blk.mlp.W_out(t[f"{b}.mlp.hook_post"]))
    same("hook_mlp_add", x + t[f"{b}.hook_mlp_out"])
    same("hook_resid_post", layer_norm(t[f"{b}.hook_mlp_add"], blk.ln2))
