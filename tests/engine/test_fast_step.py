"""The fast decode step (engine/models/fast_step.py) computes exactly what the modules compute."""
from dataclasses import replace

import pytest
import torch

from engine.decoding.decoders import decoder_for
from engine.hooks import attached
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

from engine import Capture, run
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

from .decoding_models import FAMILIES
from .parity import case_falcon, case_gpt2_options, case_opt, case_parallel_rotary, case_t5

PROMPT = [5, 17, 33, 2, 9]
TOKENS = [[7, 8, 9], [11, 3, 40], [2, 2, 2], [50, 1, 6]]  # one token per beam row, per step
REORDER = [[0, 0, 1], [2, 1, 0], [1, 1, 1], [0, 1, 2]]  # beam search keeps these rows after each step


def blocks_stack(model):
    return model.decoder if model.cfg.family == "encoder-decoder" else model


def decode_steps(model) -> list[torch.Tensor]:
    """Logits of a start and four cached steps over 3 beam rows, with reordering in between."""
    dec = decoder_for(model, PROMPT)
    out = [dec.start(3)]
    for toks, keep in zip(TOKENS, REORDER):
        out.append(dec.step(torch.tensor(toks)))
        dec.reorder(torch.tensor(keep))
    return out


def unfuse(model) -> None:
    """Separate Q/K/V and gate/up matmuls (what a model whose biases can't be fused runs)."""
    for m in model.modules():
        if getattr(m, "fused_weights", None):
            m.unfuse()


def _from_parity_case(build, folder):
    ref = build()
    ref.save_pretrained(folder, safe_serialization=True)
    return instantiate(*load_folder(folder))


# Block and attention options served by the fast step: parity-case builders (tiny random models)
OPTIONS = {
    "parallel_one_norm_mqa": case_falcon.falcon_7b,  # x + attn(ln x) + mlp(ln x), one kv head
    "parallel_two_norms_gqa": case_falcon.falcon_40b,
    "post_norm_learned_offset": case_opt.opt_post,
    "projected_embeddings": case_opt.opt_350m,
    "inverse_layer_scale": case_gpt2_options.gpt2_inverse_layer,
    "unscaled_upcast": case_gpt2_options.gpt2_unscaled,
    "neox_parallel_partial_rotary": case_parallel_rotary.neox_parallel,
    "gptj_interleaved_upcast": case_parallel_rotary.gptj_partial,
    "phi_parallel_gqa": case_parallel_rotary.phi,
    "stablelm_parallel_gated": case_parallel_rotary.stablelm_parallel,
    "t5_relative_bias_rescaled_head": case_t5.t5_relu,  # the bias enters SDPA as an additive mask
    "t5_gated_untied_uneven_stacks": case_t5.t5_gated_untied,
}


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "separate"])
@pytest.mark.parametrize("opt", list(OPTIONS))
def test_fast_step_serves_block_and_attention_options(opt, fused, tmp_path):
    _check_fast_equals_modules(_from_parity_case(OPTIONS[opt], tmp_path), fused)


def test_upcast_attention_computes_scores_in_float32_in_half_precision(tmp_path):
    model = _from_parity_case(case_gpt2_options.gpt2_unscaled, tmp_path)
    want = run(model, PROMPT, capture=None).output
    model.to(torch.bfloat16)
    t = run(model, PROMPT, capture=Capture())
    assert t["blocks.1.attn.hook_attn_scores"].dtype == torch.float32
    assert t["blocks.1.attn.hook_z"].dtype == torch.bfloat16
    assert (t.output.float() - want).abs().max() < 0.1
    _check_fast_equals_modules(model, fused=True)


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "separate"])
@pytest.mark.parametrize("fam", list(FAMILIES))
def test_fast_step_is_bitwise_equal_to_the_modules(fam, fused, tmp_path):
    _, model = FAMILIES[fam](tmp_path)
    _check_fast_equals_modules(model, fused)


def _check_fast_equals_modules(model, fused):
    if not fused:
        unfuse(model)
    assert_fast_step_equals_modules(model)


# RoPE variants on the Llama family (d_head 8): each must decode the same bits on both paths.
ROPE_VARIANTS = {
    "partial": dict(rotary_dim=4),
    "interleaved": dict(rope_interleaved=True),
    "partial-interleaved": dict(rotary_dim=4, rope_interleaved=True),
    "nope-layer": dict(nope_layers=[1]),
    "linear": dict(rope_type="linear", rope_params={"factor": 2.0}),
    # the prompt of 5 fills 5 positions; the cached steps cross 6, where these two change frequencies
    "dynamic": dict(rope_type="dynamic", rope_params={"factor": 2.0, "max_position_embeddings": 6}),
    "longrope-partial": dict(rope_type="longrope", rotary_dim=4, rope_params={
        "original_max_position_embeddings": 6, "max_position_embeddings": 64, "short_factor": [1.0, 1.5],
        "long_factor": [2.0, 5.0]}),
    "yarn": dict(rope_type="yarn", rope_params={"factor": 4.0, "original_max_position_embeddings": 16}),
    "llama3": dict(rope_type="llama3", rope_params={"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                    "original_max_position_embeddings": 64}),
}


@pytest.mark.parametrize("variant", list(ROPE_VARIANTS))
def test_rope_variants_fast_step_is_bitwise_equal_to_the_modules(variant, tmp_path):
    FAMILIES["llama"](tmp_path)
    cfg, state = load_folder(tmp_path)
    model = instantiate(replace(cfg, **ROPE_VARIANTS[variant]), state)
    assert_fast_step_equals_modules(model)


def assert_fast_step_equals_modules(model) -> None:
    stack = blocks_stack(model)
    built = stack.__dict__.get("_fast_blocks")
    fast = decode_steps(model)
    assert stack.__dict__.get("_fast_blocks") not in (None, built), "the unhooked steps did not take the fast path"

    stack.__dict__.pop("_fast_blocks")
    prefix = "decoder." if stack is not model else ""
    noop = {f"{prefix}blocks.0.hook_resid_post": [lambda x, hp: None]}  # a hook that changes nothing
    with attached(model.hook_points, noop):
        slow = decode_steps(model)
    assert stack.__dict__.get("_fast_blocks") is None, "a hooked step must run through the modules"
    assert len(fast) == len(slow) == 5
    for a, b in zip(fast, slow):
        assert torch.equal(a, b)


def test_moving_the_model_rebuilds_the_fast_step(tmp_path):
    _, model = FAMILIES["llama"](tmp_path)
    before = decode_steps(model)
    old_plan = model.__dict__["_fast_blocks"][1]
    model.to(torch.float64)  # new tensors (and a new fused matrix) for every parameter
    assert "_fast_blocks" not in model.__dict__
    after = decode_steps(model)
    assert model.__dict__["_fast_blocks"][1] is not old_plan
    assert after[-1].dtype == torch.float64
    assert torch.allclose(after[-1].float(), before[-1], atol=1e-4)


def test_a_torch_forward_hook_sends_steps_through_the_modules(tmp_path):
    _, model = FAMILIES["llama"](tmp_path)
    seen = []
    handle = model.blocks[1].mlp.register_forward_hook(lambda mod, args, out: seen.append(out.shape))
    try:
        decode_steps(model)
    finally:
        handle.remove()
    assert len(seen) == 5  # the prefill and every one of the four cached steps


def test_fusing_again_rebuilds_the_fast_step(tmp_path):
    _, model = FAMILIES["llama"](tmp_path)
    decode_steps(model)
    plan = model.__dict__["_fast_blocks"][1]
    model.blocks[0].attn.unfuse()
    model.blocks[0].attn.fuse()  # a new fused tensor: the old closures would read the old one
    decode_steps(model)
    assert model.__dict__["_fast_blocks"][1] is not plan


# Our own random models with each attention / norm option (no reference needed): the cached
# steps past the window mask the keys it left behind, soft-caps force the explicit maths, etc.
VARIANTS = ["sliding-window", "gemma2-like", "olmo-like", "olmo2-like"]


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "separate"])
@pytest.mark.parametrize("name", VARIANTS)
def test_fast_step_is_bitwise_equal_for_attention_variants(name, fused):
    from .random_models import random_model

    model = random_model(name)
    assert len(PROMPT) + len(TOKENS) > 3  # longer than the windows of these configs
    if not fused:
        unfuse(model)
    fast = decode_steps(model)
    assert model.__dict__.get("_fast_blocks") is not None, "the unhooked steps did not take the fast path"
    model.__dict__.pop("_fast_blocks")
    with attached(model.hook_points, {"blocks.0.hook_resid_post": [lambda x, hp: None]}):
        slow = decode_steps(model)
    assert model.__dict__.get("_fast_blocks") is None
    for a, b in zip(fast, slow):
        assert torch.equal(a, b)


def test_a_decode_step_past_the_window_masks_the_oldest_keys():
    """A cached step (one query) past the window sees only the last `window` keys."""
    from engine.models.stack import build_mask

    m = build_mask(1, 6, True, None, torch.device("cpu"), window=3)
    assert m.tolist() == [[[[False, False, False, True, True, True]]]]
    assert build_mask(1, 3, True, None, torch.device("cpu"), window=3) is None
    full = build_mask(4, 4, True, None, torch.device("cpu"), window=2)[0, 0]
    assert full.tolist() == [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]
