"""Rotary variants against transformers' own rotary functions, on random tensors:
rotate-half (Llama, GPT-NeoX), partial rotary (GPT-NeoX rotary_pct), GPT-J's interleaved pairs."""
import pytest
import torch

from engine.config import ModelConfig
from engine.models.components import Rotary, rotate

D_HEAD, HEADS, POS = 16, 3, 11


def rotary(**options) -> Rotary:
    cfg = ModelConfig(family="decoder", architecture="test", vocab_size=10, d_model=D_HEAD * HEADS, n_layers=1,
                      n_heads=HEADS, d_mlp=8, n_ctx=64, positional="rope", **options)
    return Rotary(cfg)


def x_and_positions(seed=0, start=3):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2, POS, HEADS, D_HEAD, generator=g)  # [batch, pos, head, d_head]
    return x, torch.arange(start, start + POS)


@pytest.mark.parametrize("pct", [1.0, 0.5, 0.25])
def test_rotate_half_and_partial_rotary_equal_gpt_neox(pct):
    from transformers import GPTNeoXConfig
    from transformers.models.gpt_neox.modeling_gpt_neox import GPTNeoXRotaryEmbedding, apply_rotary_pos_emb

    hf = GPTNeoXConfig(hidden_size=D_HEAD * HEADS, num_attention_heads=HEADS, rotary_pct=pct,
                       rotary_emb_base=5000, max_position_embeddings=64)
    x, positions = x_and_positions()
    cos, sin = GPTNeoXRotaryEmbedding(hf)(x, positions[None])  # [1, pos, rotary_dim]
    t = x.transpose(1, 2)  # [batch, head, pos, d_head], transformers' layout
    want, _ = apply_rotary_pos_emb(t, t, cos, sin)
    ours = rotary(rope_theta=5000.0, rotary_dim=int(D_HEAD * pct))
    got = rotate(x, ours.tables(positions, x.dtype))
    assert torch.equal(got, want.transpose(1, 2))
    if pct < 1:  # the dims past rotary_dim pass through untouched, the others moved
        assert torch.equal(got[..., ours.dim:], x[..., ours.dim:])
        assert not torch.allclose(got[..., :ours.dim], x[..., :ours.dim])


@pytest.mark.parametrize("rotary_dim", [D_HEAD, 8, 4])
def test_interleaved_pairs_equal_gpt_j(rotary_dim):
    from transformers.models.gptj.modeling_gptj import apply_rotary_pos_emb, create_sinusoidal_positions

    x, positions = x_and_positions(seed=1)
    sincos = create_sinusoidal_positions(64, rotary_dim)[positions][None]  # [1, pos, rotary_dim]
    sin, cos = torch.split(sincos, rotary_dim // 2, dim=-1)  # as GPTJRotaryEmbedding.forward
    rot, rest = x[..., :rotary_dim], x[..., rotary_dim:]  # as GPTJAttention.forward
    want = torch.cat([apply_rotary_pos_emb(rot, sin, cos), rest], dim=-1)
    got = rotate(x, rotary(rotary_dim=rotary_dim, rope_interleaved=True).tables(positions, x.dtype))
    assert torch.equal(got, want)


def test_interleaved_is_not_rotate_half():
    x, positions = x_and_positions()
    half = rotate(x, rotary().tables(positions, x.dtype))
    pairs = rotate(x, rotary(rope_interleaved=True).tables(positions, x.dtype))
    assert not torch.allclose(half, pairs)


def test_rotation_keeps_the_norm_of_each_pair():
    x, positions = x_and_positions()
    r = rotary(rope_interleaved=True, rotary_dim=8)
    got = rotate(x, r.tables(positions, x.dtype))
    pair_norm = lambda v: v[..., :8].unflatten(-1, (-1, 2)).norm(dim=-1)  # [.., 4 pairs]
    assert torch.allclose(pair_norm(got), pair_norm(x), atol=1e-5)


def test_descriptions_say_partial_and_interleaved():
    assert "first 4 of 16 dims" in rotary(rotary_dim=4).describe()
    assert "GPT-J" in rotary(rope_interleaved=True).describe()
    assert "pass through" not in rotary().describe()


def test_odd_or_too_large_rotary_dim_is_refused():
    for bad in (5, 18):
        with pytest.raises(ValueError, match="rotary_dim"):
            rotary(rotary_dim=bad)
