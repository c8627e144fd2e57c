"""FalconForCausalLM (tiiuae/falcon-*): rotary, parallel attention + MLP, multi-query or grouped kv.

Wirings transformers' FalconDecoderLayer computes (and we build):
- parallel_attn, one norm (Falcon-7B): x + attn(ln(x)) + mlp(ln(x)), `input_layernorm`;
- new_decoder_architecture (Falcon-40B/180B): the same with two norms `ln_attn` / `ln_mlp`
  (num_ln_in_parallel_attn = 2, the default) or one (= 1), and num_kv_heads grouped kv heads;
- neither: a sequential pre-norm block (`input_layernorm`, `post_attention_layernorm`).
The fused query_key_value matrix holds, per kv group, that group's query heads, then its one key
head, then its one value head (multi-query = one group; plain multi-head = one group per head),
so one split serves all three layouts.
"""
from __future__ import annotations

import torch

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from .common import decoder_shape
from ..registry import register, strip_prefix, take
from .bert import check_activation
from .rope_default import plain_rope_theta

ARCH = "FalconForCausalLM"
MATRICES = {"attn.W_O": "self_attention.dense", "mlp.W_in": "mlp.dense_h_to_4h", "mlp.W_out": "mlp.dense_4h_to_h"}


def _refuse(key: str, value, why: str):
    raise UnsupportedArchitecture(f"{ARCH} with {key}={value!r} is not supported: {why}")


def kv_heads(hf: dict) -> int:
    h = hf["num_attention_heads"]
    if hf.get("new_decoder_architecture", False):
        return hf.get("num_kv_heads") or h
    if hf.get("multi_query", True):
        return 1
    kvh = hf.get("num_kv_heads") or h
    if kvh != h:  # transformers' fused matrix then holds 3 × hidden_size and its reshape fails
        _refuse("num_kv_heads", kvh, "grouped kv heads need new_decoder_architecture (or multi_query)")
    return h


def split_qkv(w: torch.Tensor, cfg: ModelConfig) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """query_key_value weight [(kv_head·(rep + 2))·d_head, d_model] (or its bias) -> W_Q, W_K, W_V."""
    kvh, dh = cfg.n_kv_heads, cfg.d_head
    rep = cfg.n_heads // kvh
    rest = w.shape[1:]
    g = w.reshape(kvh, rep + 2, dh, *rest)  # [kv_head, rep q heads + k + v, d_head, (d_model)]
    q = g[:, :rep].reshape(kvh * rep * dh, *rest)  # query head = group·rep + r
    k = g[:, rep].reshape(kvh * dh, *rest)
    v = g[:, rep + 1].reshape(kvh * dh, *rest)
    return q, k, v


@register(ARCH)
class Falcon:
    USED = {"vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_kv_heads",
            "num_ln_in_parallel_attn", "layer_norm_epsilon", "new_decoder_architecture", "multi_query",
            "parallel_attn", "bias", "max_position_embeddings", "rope_parameters", "rope_theta", "rope_scaling",
            "ffn_hidden_size", "activation", "tie_word_embeddings", "n_embed"}
    REFUSED = {
        "alibi": ((False, None), "ALiBi attention biases are not implemented (only rotary Falcon)"),
        # older RefinedWeb configs carry it; transformers' Falcon no longer reads it, the original code did
        "apply_residual_connection_post_layernorm": (
            (False, None), "a residual taken after the LayerNorm is not implemented"),
    }

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        if "n_embed" in hf and "hidden_size" not in hf:  # transformers' backward-compatible name
            hf = {**hf, "hidden_size": hf["n_embed"]}
        theta = plain_rope_theta(hf, ARCH)
        d = hf["hidden_size"]
        new = bool(hf.get("new_decoder_architecture", False))
        parallel = bool(hf.get("parallel_attn", True))
        n_ln = hf.get("num_ln_in_parallel_attn") or (2 if new else 1)
        if new and not parallel:  # transformers' layer has no norm for that wiring
            _refuse("parallel_attn", False, "new_decoder_architecture needs parallel attention")
        if parallel and not new and n_ln != 1:  # transformers builds ln_attn/ln_mlp but never uses them
            _refuse("num_ln_in_parallel_attn", n_ln, "two parallel norms need new_decoder_architecture")
        if n_ln not in (1, 2):
            _refuse("num_ln_in_parallel_attn", n_ln, "1 or 2 norms")
        bias = bool(hf.get("bias", False))
        return ModelConfig(
            **decoder_shape(hf, ARCH, n_kv_heads=kv_heads(hf), d_mlp=hf.get("ffn_hidden_size") or 4 * d),
            positional="rope",
            rope_theta=theta,
            norm="layernorm",
            norm_eps=hf.get("layer_norm_epsilon", 1e-5),
            activation=check_activation(hf.get("activation", "gelu"), ARCH),
            attn_bias=bias,
            attn_out_bias=bias,
            mlp_bias=bias,
            tie_embeddings=bool(hf.get("tie_word_embeddings", True)),
            parallel_block=parallel,
            parallel_norms=n_ln if parallel else 1,
        )

    @staticmethod
    def weights(t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(t, ("transformer.",))  # lm_head.weight keeps its name
        sd = {"embed.W_E": take(t, "word_embeddings.weight"),
              "ln_final.w": take(t, "ln_f.weight"), "ln_final.b": take(t, "ln_f.bias")}
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        if not cfg.parallel_block:
            norms = {"ln1": "input_layernorm", "ln2": "post_attention_layernorm"}
        elif cfg.parallel_norms == 2:
            norms = {"ln1": "ln_attn", "ln2": "ln_mlp"}
        else:
            norms = {"ln1": "input_layernorm"}
        kinds = ("weight", "bias") if cfg.attn_bias else ("weight",)
        for i in range(cfg.n_layers):
            p, o = f"h.{i}.", f"blocks.{i}."
            for kind in kinds:
                qkv = split_qkv(take(t, p + "self_attention.query_key_value." + kind), cfg)
                for name, part in zip(("W_Q", "W_K", "W_V"), qkv):
                    sd[f"{o}attn.{name}.{kind}"] = part
                for ours, theirs in MATRICES.items():
                    sd[f"{o}{ours}.{kind}"] = take(t, f"{p}{theirs}.{kind}")
            for ours, theirs in norms.items():
                sd[o + ours + ".w"] = take(t, p + theirs + ".weight")
                sd[o + ours + ".b"] = take(t, p + theirs + ".bias")
        return sd
