"""Cached decode steps without the module tree, for steps that record nothing.

Why: a decode step of a 135M model is ~120 matrix-vector products (~21 ms on 2 cores) plus
~700 small tensor ops. Walking the nn.Module tree for them (module dispatch, ~900 attribute
lookups, ~450 hook checks) cost ~4 ms more per token, more than the op count suggests: each
matmul streams megabytes of weights through the CPU caches, so the Python between matmuls
runs cache-cold. When no hook point of a stack has a function attached, `Stack.forward`
runs its blocks through the closures built here instead: the same tensor operations, in the
same order, as Block / Attention / MLP / Norm.forward, so the logits are bitwise equal
(tests/engine/test_fast_step.py compares both paths on every family).

Each builder reads a module's parameters once; Stack.fast_blocks builds the plan again after
the stack was moved (Stack._apply drops it) or any module was fused / unfused (fusion.GENERATION).
A torch forward hook anywhere in the blocks also sends steps through the modules.
"""
from __future__ import annotations

from typing import Callable

import torch

from .block import Block
from .components import NORMALIZE, MLP, Attention, Norm, rotate, sdpa
from .few_rows import linear
from .weight_packs import applies, linear_of, packs_for

Tensor = torch.Tensor
BlockStep = Callable[..., Tensor]


def norm_step(norm: Norm | None) -> Callable[[Tensor], Tensor]:
    if norm is None:
        return lambda x: x
    fn, w, b, eps = NORMALIZE[norm.kind], norm.w, norm.b, norm.eps
    return lambda x: fn(x, w, b, eps)


def _fused_views(m) -> tuple:
    """The Parameters that are views of m's first fused matrix (their edits must reach its pack)."""
    return tuple(lin.weight for lin in m.fuse_groups()[0])


def _projections(attn: Attention) -> Callable[..., tuple[Tensor, Tensor, Tensor]]:
    """(x [batch, pos, d_model], packs) -> q [batch, pos, head, d_head], k and v [batch, pos, kv_head, d_head]."""
    h, kvh, dh = attn.n_heads, attn.n_kv_heads, attn.d_head
    if attn.fused_weights:
        w, bias = attn.fused_weights[0]
        views = _fused_views(attn)
        sizes = [h * dh, kvh * dh, kvh * dh]

        def fused(x, packs):
            b, p, _ = x.shape
            qkv = linear(x, w, bias) if packs is None else packs.linear(x, w, bias, views)
            q, k, v = qkv.split(sizes, dim=-1)  # [batch, pos, (head + 2*kv_head)*d_head]
            return q.view(b, p, h, dh), k.view(b, p, kvh, dh), v.view(b, p, kvh, dh)  # split heads

        return fused
    lins = [(lin.weight, lin.bias, n) for lin, n in ((attn.W_Q, h), (attn.W_K, kvh), (attn.W_V, kvh))]

    def separate(x, packs):
        b, p, _ = x.shape
        linear = linear_of(packs)
        # each [batch, pos, n*d_head] -> [batch, pos, n, d_head]
        return tuple(linear(x, w, bias).view(b, p, n, dh) for w, bias, n in lins)

    return separate


def _rotated_projections(attn: Attention) -> Callable[..., tuple[Tensor, Tensor, Tensor]]:
    """Fused Q/K/V and plain RoPE: (x, rope) -> rotated q, rotated k, v (shapes as _projections).

    q and k lie side by side in the fused output, so one rotate() turns both (its ops are
    elementwise: the same bits as rotating each, in half the tensor ops)."""
    h, kvh, dh = attn.n_heads, attn.n_kv_heads, attn.d_head
    w, bias = attn.fused_weights[0]
    views = _fused_views(attn)
    sizes = [(h + kvh) * dh, kvh * dh]

    def run(x, rope, packs):
        b, p, _ = x.shape
        qkv = linear(x, w, bias) if packs is None else packs.linear(x, w, bias, views)
        qk, v = qkv.split(sizes, dim=-1)  # [batch, pos, (head + 2*kv_head)*d_head]
        qk = rotate(qk.view(b, p, h + kvh, dh), rope)  # [batch, pos, head + kv_head, d_head]
        return qk[:, :, :h], qk[:, :, h:], v.view(b, p, kvh, dh)  # split heads

    return run


def self_attention_step(attn: Attention) -> Callable[..., Tensor]:
    h, dh, gqa = attn.n_heads, attn.d_head, attn.n_kv_heads != attn.n_heads
    project, rotary = _projections(attn), attn.rotary
    o_w, o_b = attn.W_O.weight, attn.W_O.bias
    scale, upcast = attn.sdpa_scale, attn.upcast
    plain = attn.clip is None and attn.q_norm is None  # only RoPE between projections and scores
    if plain and attn.softcap is None:

        def attend(qh, k_all, v_all, mask):
            return sdpa(qh, k_all, v_all, mask, gqa, scale, upcast)  # [batch, pos, head, d_head]
    else:
        attend = attn.explicit_attention if attn.softcap is not None else attn.attend  # soft-cap: the explicit maths

    if plain and rotary and attn.fused_weights:
        project_rotate = _rotated_projections(attn)

        def run_rotated(x, mask, rope, cache, packs):
            b, p, _ = x.shape
            q, k, v = project_rotate(x, rope, packs)
            k_all, v_all = cache.append(k.transpose(1, 2), v.transpose(1, 2))  # [batch, kv_head, key_pos, d_head]
            z = attend(q.transpose(1, 2), k_all, v_all, mask)  # [batch, pos, head, d_head]
            return linear_of(packs)(z.reshape(b, p, h * dh), o_w, o_b)  # [batch, pos, head*d_head] -> [.., d_model]

        return run_rotated

    def run(x, mask, rope, cache, packs):
        b, p, _ = x.shape
        q, k, v = project(x, packs)
        if plain:
            if rotary:
                q, k = rotate(q, rope), rotate(k, rope)
        else:  # clip / q-k norm: the module's own steps (its hook points are inactive here)
            q = attn.prepare_q(q, rope)
            k, v = attn.prepare_kv(k, v, rope)
        k_all, v_all = cache.append(k.transpose(1, 2), v.transpose(1, 2))  # [batch, kv_head, key_pos, d_head]
        z = attend(q.transpose(1, 2), k_all, v_all, mask)  # [batch, pos, head, d_head]
        return linear_of(packs)(z.reshape(b, p, h * dh), o_w, o_b)  # [batch, pos, head*d_head] -> [.., d_model]

    return run


def cross_attention_step(attn: Attention) -> Callable[..., Tensor]:
    """Decode steps attend to the encoder keys/values cached by the first step (the module path)."""
    h, dh, gqa = attn.n_heads, attn.d_head, attn.n_kv_heads != attn.n_heads
    q_w, q_b = attn.W_Q.weight, attn.W_Q.bias
    o_w, o_b = attn.W_O.weight, attn.W_O.bias
    scale, upcast = attn.sdpa_scale, attn.upcast

    def run(x, enc_out, mask, cache):
        if not cache.static:  # no encoder keys cached yet: the module computes and caches them
            return attn(x, kv_x=enc_out, mask=mask, cache=cache)
        b, p, _ = x.shape
        q = linear(x, q_w, q_b).view(b, p, h, dh)  # [batch, pos, head*d_head] -> [batch, pos, head, d_head]
        k_all, v_all = cache.view()  # [batch, kv_head, src_pos, d_head]
        z = sdpa(q.transpose(1, 2), k_all, v_all, mask, gqa, scale, upcast)  # [batch, pos, head, d_head]
        return linear(z.reshape(b, p, h * dh), o_w, o_b)  # [batch, pos, head*d_head] -> [.., d_model]

    return run


def mlp_step(mlp: MLP) -> Callable[..., Tensor]:
    """(x, packs) -> the FFN's output, as MLP.forward computes it."""
    act, out_w, out_b = mlp.act, mlp.W_out.weight, mlp.W_out.bias
    if mlp.gated and mlp.fused_weights:
        w, bias = mlp.fused_weights[0]
        views = _fused_views(mlp)

        def gated_fused(x, packs):
            gate_up = linear(x, w, bias) if packs is None else packs.linear(x, w, bias, views)
            gate, up = gate_up.chunk(2, dim=-1)  # [batch, pos, 2*d_mlp] -> 2 × [.., d_mlp]
            return linear_of(packs)(act(gate) * up, out_w, out_b)

        return gated_fused
    if mlp.gated:
        g_w, g_b, u_w, u_b = mlp.W_gate.weight, mlp.W_gate.bias, mlp.W_in.weight, mlp.W_in.bias

        def gated(x, packs):
            linear = linear_of(packs)
            return linear(act(linear(x, g_w, g_b)) * linear(x, u_w, u_b), out_w, out_b)

        return gated
    in_w, in_b = mlp.W_in.weight, mlp.W_in.bias

    def plain(x, packs):
        linear = linear_of(packs)
        return linear(act(linear(x, in_w, in_b)), out_w, out_b)

    return plain


def block_step(blk: Block) -> BlockStep:
    """(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs) -> x, as Block.forward computes it."""
    attn, mlp = self_attention_step(blk.attn), mlp_step(blk.mlp)
    ln1 = norm_step(blk.ln1)
    ln2 = norm_step(blk.ln2) if hasattr(blk, "ln2") else None  # a parallel block may share ln1
    cross = cross_attention_step(blk.cross_attn) if blk.has_cross else None
    ln_cross = norm_step(blk.ln_cross) if blk.has_cross else None
    if blk.layout == "pre" and (blk.ln1_post is not None or blk.ln1 is None):
        return _sandwich_step(blk, attn, mlp, cross, ln_cross)

    def pre_norm(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        x = x + attn(ln1(x), mask, rope, cache, packs)
        if cross is not None:
            x = x + cross(ln_cross(x), enc_out, enc_mask, cross_cache)
        return x + mlp(ln2(x), packs)

    def post_norm(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        x = ln1(x + attn(x, mask, rope, cache, packs))
        if cross is not None:
            x = ln_cross(x + cross(x, enc_out, enc_mask, cross_cache))
        return ln2(x + mlp(x, packs))

    def parallel_shared(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        h = ln1(x)
        return x + attn(h, mask, rope, cache, packs) + mlp(h, packs)

    def parallel_two(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        return x + attn(ln1(x), mask, rope, cache, packs) + mlp(ln2(x), packs)

    steps = {"pre": pre_norm, "post": post_norm,
             "parallel": parallel_shared if getattr(blk, "shared_norm", False) else parallel_two}
    return steps[blk.layout]


def _sandwich_step(blk: Block, attn, mlp, cross, ln_cross) -> BlockStep:
    """Norms inside each residual branch, before and / or after the sub-layer (Gemma 2/3, OLMo-2)."""
    ln1, ln1_post = norm_step(blk.ln1), norm_step(blk.ln1_post)
    ln2, ln2_post = norm_step(blk.ln2), norm_step(blk.ln2_post)

    def sandwich(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        x = x + ln1_post(attn(ln1(x), mask, rope, cache, packs))
        if cross is not None:
            x = x + cross(ln_cross(x), enc_out, enc_mask, cross_cache)
        return x + ln2_post(mlp(ln2(x), packs))

    return sandwich


def module_step(blk: Block) -> BlockStep:
    """A layer placed by accelerate (streamed from CPU/disk, or on another GPU: `_hf_hook`) runs
    through its module, where the hook brings in its weights and moves its inputs."""

    def run(x, mask, rope, cache, enc_out, enc_mask, cross_cache, packs):
        return blk(x, mask=mask, rope=rope, cache=cache, enc_out=enc_out, enc_mask=enc_mask, cross_cache=cross_cache)

    return run


def decode_weights(blocks) -> list[tuple[Tensor, tuple]]:
    """(matrix, the Parameters that are views of it) for each matrix the steps of `blocks` multiply
    by through their packs: the same tensor objects the closures above hold."""
    out = []
    for blk in blocks:
        if hasattr(blk, "_hf_hook"):  # runs through its module
            continue
        for m, names in ((blk.attn, ("W_Q", "W_K", "W_V")), (blk.mlp, ("W_gate", "W_in"))):
            if m.fused_weights:
                out.append((m.fused_weights[0][0], _fused_views(m)))
            else:
                out += [(getattr(m, n).weight, ()) for n in names if hasattr(m, n)]
        out += [(blk.attn.W_O.weight, ()), (blk.mlp.W_out.weight, ())]
    return out


def prepack(model, cache, unembedding: Tensor | None = None) -> None:
    """Pack (weight_packs.py) every matrix a decode step of `model` (a stack) will multiply by, and
    `unembedding`, for the generation of `cache`: a no-op where packing does not apply."""
    p = unembedding if unembedding is not None else next(model.parameters())
    if not applies(p.dtype, p.device) or model.blocks_hooked():  # hooked steps run through the modules
        return
    packs = packs_for(cache, p.dtype, p.device, model.fast_blocks().kept)
    for w, views in decode_weights(model.blocks) + ([(unembedding, ())] if unembedding is not None else []):
        packs.prepare(w, views)


def blocks_step(blocks) -> Callable[..., Tensor]:
    """All blocks of a stack, one cached decode step: x [batch, pos, d_model] -> same shape."""
    steps = [module_step(b) if hasattr(b, "_hf_hook") else block_step(b) for b in blocks]
    kept = {}  # dtype -> the pre-packed matrices (weight_packs.py), kept as long as this plan

    def run(x, mask, rope, cache, enc_out, enc_mask):
        """mask, rope: one per layer (sliding-window and local-RoPE layers differ)."""
        cross = cache.cross_attn
        packs = packs_for(cache, x.dtype, x.device, kept)  # pre-packed matrices, if any
        for i, step in enumerate(steps):
            x = step(x, mask[i], rope[i], cache.self_attn[i], enc_out, enc_mask, cross[i] if cross else None, packs)
        return x

    run.kept = kept  # prepack fills it before the first step
    return run
