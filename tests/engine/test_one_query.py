"""Half-precision decode steps: one-query attention per dtype (engine/models/one_query.py), the
half-precision RMSNorm, and both model paths in float16 / bfloat16 (same bits as each other,
close to transformers in the same dtype)."""
import pytest
import torch

from engine.models.components import rms_norm
from engine.models.one_query import group_rows, one_query_attention, plain

from .decoding_models import FAMILIES
from .test_fast_step import PROMPT, assert_fast_step_equals_modules


def _qkv(dtype, heads=6, kv_heads=2, keys=37, seed=0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(2, heads, 1, 16, generator=g).to(dtype)  # [batch, head, 1, d_head]
    k = torch.randn(2, kv_heads, keys, 16, generator=g).to(dtype)  # [batch, kv_head, key_pos, d_head]
    v = torch.randn(2, kv_heads, keys, 16, generator=g).to(dtype)
    return q, k, v


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16, torch.float32])
def test_group_rows_is_bitwise_the_grouped_query_call(dtype):
    q, k, v = _qkv(dtype)
    mask = torch.ones(2, 1, 1, 37, dtype=torch.bool)
    mask[1, :, :, :5] = False  # a padded row
    per_head = torch.randn(1, 6, 1, 37).to(dtype)  # an additive per-head bias as the mask (T5-like)
    for m in (None, mask, per_head):
        want = plain(q, k, v, m, True, None)
        got = group_rows(q, k, v, m, True, None)
        assert got.shape == want.shape == (2, 6, 1, 16)
        if dtype == torch.float32:  # not served by group_rows in float32: only close there
            assert torch.allclose(got, want, atol=1e-6)
        else:
            assert torch.equal(got, want)


def test_float16_attends_in_float32_closer_to_exact_than_the_float16_kernel():
    q, k, v = _qkv(torch.float16, keys=200)
    exact = plain(q.double(), k.double(), v.double(), None, True, None)
    z = one_query_attention(q, k, v, None, True, None)
    assert z.dtype == torch.float32
    err = (z.double() - exact).abs().max()
    err_half_kernel = (plain(q, k, v, None, True, None).double() - exact).abs().max()
    assert err < 1e-6 < err_half_kernel


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("width", [32, 576, 2304])
def test_half_rms_norm_is_llamas_formula_bit_for_bit(dtype, width):
    g = torch.Generator().manual_seed(width)
    for scale in (0.01, 1.0, 30.0):
        x = (torch.randn(3, 5, width, generator=g) * scale).to(dtype)
        w = (1 + torch.randn(width, generator=g) * 0.3).to(dtype)
        xf = x.float()  # transformers' LlamaRMSNorm
        want = w * (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + 1e-5)).to(dtype)
        assert torch.equal(rms_norm(x, w, None, 1e-5), want)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("fam", ["llama", "gpt2"])
def test_half_precision_fast_step_is_bitwise_equal_to_the_modules(fam, dtype, tmp_path):
    _, model = FAMILIES[fam](tmp_path)
    assert_fast_step_equals_modules(model.to(dtype))


def _steps(model, tokens) -> list[torch.Tensor]:
    """Our cached decode-step logits [vocab] after PROMPT, feeding `tokens` one by one."""
    from engine.decoding.decoders import decoder_for

    dec = decoder_for(model, PROMPT)
    dec.start(1)
    return [dec.step(torch.tensor([t]))[0].float() for t in tokens]


@pytest.mark.parametrize("dtype,tol", [(torch.float16, 0.01), (torch.bfloat16, 0.1)])
def test_half_precision_decode_steps_match_transformers_in_the_same_dtype(dtype, tol, tmp_path):
    """Greedy decode of 6 tokens (GQA llama, whose one-query attention takes the per-dtype paths):
    transformers' tokens, its logits within `tol`, and no further from float32 than transformers'."""
    from engine.decoding import generate

    ref, ours = FAMILIES["llama"](tmp_path)
    with torch.inference_mode():
        ref = ref.to(dtype)
        theirs = ref.generate(torch.tensor([PROMPT]), max_new_tokens=6, min_new_tokens=6, do_sample=False,
                              pad_token_id=0, output_logits=True, return_dict_in_generate=True)
    fed = theirs.sequences[0, len(PROMPT):-1].tolist()  # the tokens whose next logits both computed
    exact = _steps(ours, fed)  # float32 (within 1e-4 of transformers' float32: the parity tests)
    ours.to(dtype)
    gen = generate(ours, PROMPT, max_new_tokens=6, min_new_tokens=6)
    gen.run()
    assert gen.sequences[0].ids == theirs.sequences[0, len(PROMPT):].tolist()
    mine, their = _steps(ours, fed), [t[0].float() for t in theirs.logits[1:]]
    assert max((m - t).abs().max() for m, t in zip(mine, their)) < tol
    err = max((m - e).abs().max() for m, e in zip(mine, exact))
    their_err = max((t - e).abs().max() for t, e in zip(their, exact))
    assert err < 1.5 * their_err
