"""components.sdpa: half-precision decode steps on the CPU attend in float32 (UPCAST_DECODE)."""
import torch
import torch.nn.functional as F

from engine.models.components import sdpa


def _qkv(q_pos, dtype, seed=0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(4, 6, q_pos, 8, generator=g)  # [batch, head, q_pos, d_head]
    k, v = torch.randn(4, 2, 7, 8, generator=g), torch.randn(4, 2, 7, 8, generator=g)  # [batch, kv_head, k_pos, d_head]
    return q.to(dtype), k.to(dtype), v.to(dtype)


def test_a_bfloat16_decode_step_attends_in_float32():
    q, k, v = _qkv(1, torch.bfloat16)
    want = F.scaled_dot_product_attention(q.float(), k.float(), v.float(), enable_gqa=True)
    got = sdpa(q, k, v, None, True, None, False)
    assert got.dtype == torch.bfloat16 and got.shape == (4, 1, 6, 8)
    assert torch.equal(got, want.to(torch.bfloat16).transpose(1, 2))


def test_an_additive_half_precision_mask_is_upcast_with_the_step():
    q, k, v = _qkv(1, torch.float16, seed=1)
    bias = torch.randn(1, 6, 1, 7).half()  # T5's relative bias, handed in as the mask
    want = F.scaled_dot_product_attention(q.float(), k.float(), v.float(), attn_mask=bias.float(), enable_gqa=True)
    assert torch.equal(sdpa(q, k, v, bias, True, None, False), want.half().transpose(1, 2))


def test_prompts_and_float32_keep_their_own_kernel():
    q, k, v = _qkv(5, torch.bfloat16, seed=2)
    want = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)  # the half-precision kernel
    assert torch.equal(sdpa(q, k, v, None, True, None, False), want.transpose(1, 2))
    q, k, v = _qkv(1, torch.float32, seed=3)
    assert torch.equal(sdpa(q, k, v, None, True, None, False),
                       F.scaled_dot_product_attention(q, k, v, enable_gqa=True).transpose(1, 2))
