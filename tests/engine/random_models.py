"""Our own models with random weights for every family (no converter, no reference needed)."""
from __future__ import annotations

import math

import torch

from engine.config import ModelConfig
from engine.loading.build import instantiate
from engine.models import build_model

BASE = dict(vocab_size=61, d_model=32, n_layers=2, n_heads=4, d_mlp=48, n_ctx=64)

CONFIGS = {
    "gpt2": dict(family="decoder", architecture="GPT2LMHeadModel"),
    "llama-gqa": dict(
        family="decoder", architecture="LlamaForCausalLM", n_kv_heads=2, positional="rope", norm="rmsnorm",
        activation="silu", gated_mlp=True, attn_bias=False, attn_out_bias=False, mlp_bias=False,
        tie_embeddings=False,
    ),
    "bert-mlm": dict(
        family="encoder", architecture="BertForMaskedLM", norm_placement="post", final_norm=False,
        embed_norm=True, token_types=2, activation="gelu", lm_head="mlm", lm_head_bias=True,
    ),
    "marian": dict(
        family="encoder-decoder", architecture="MarianMTModel", positional="sinusoidal",
        norm_placement="post", final_norm=False, embed_scale=math.sqrt(32), activation="swish",
        lm_head_bias=True, decoder_start_token_id=0, n_decoder_layers=3,
    ),
    # attention variants: sliding window, local/global layers, q/k norms, scale, soft-caps, clip_qkv
    "sliding-window": dict(
        family="decoder", architecture="MistralForCausalLM", positional="rope", norm="rmsnorm",
        activation="silu", gated_mlp=True, attn_out_bias=False, mlp_bias=False, sliding_window=3,
        layer_types=["sliding_attention", "full_attention"],
    ),
    "gemma2-like": dict(
        family="decoder", architecture="Gemma2ForCausalLM", n_kv_heads=2, positional="rope", norm="rmsnorm_1p",
        norm_placement="sandwich", activation="gelu_pytorch_tanh", gated_mlp=True, attn_bias=False,
        attn_out_bias=False, mlp_bias=False, embed_scale=math.sqrt(32), embed_scale_in_dtype=True,
        sliding_window=3, layer_types=["sliding_attention", "full_attention"], rope_local_theta=100.0,
        qk_norm="head", attn_scale=0.3, attn_softcap=2.0, final_softcap=3.0,
    ),
    "olmo-like": dict(
        family="decoder", architecture="OlmoForCausalLM", positional="rope", norm="layernorm_np",
        activation="silu", gated_mlp=True, attn_bias=False, attn_out_bias=False, mlp_bias=False, clip_qkv=0.5,
    ),
    "olmo2-like": dict(
        family="decoder", architecture="Olmo2ForCausalLM", n_kv_heads=2, positional="rope", norm="rmsnorm",
        norm_placement="sublayer_post", activation="silu", gated_mlp=True, attn_bias=False,
        attn_out_bias=False, mlp_bias=False, qk_norm="whole",
    ),
    # encoders with attention of their own: DeBERTa-v2's disentangled terms, ModernBERT's local layers
    "deberta-like": dict(
        family="encoder", architecture="DebertaV2ForMaskedLM", positional="none", norm_placement="post",
        final_norm=False, embed_norm=True, activation="gelu", lm_head="mlm", lm_head_bias=True,
        attention="disentangled", rel_attention=True, pos_att_type=["c2p", "p2c"], position_buckets=4,
        max_relative_positions=16, norm_rel_ebd=True,
    ),
    "modernbert-like": dict(
        family="encoder", architecture="ModernBertForMaskedLM", positional="rope", rope_theta=1000.0,
        rope_local_theta=50.0, embed_norm=True, first_attn_norm=False, activation="gelu", gated_mlp=True,
        attn_bias=False, attn_out_bias=False, mlp_bias=False, layer_types=["full_attention", "sliding_attention"],
        sliding_window=3, bidirectional_window=True, lm_head="mlm", lm_head_bias=True,
    ),
    # T5: relative position bias per head (no positions, no ÷√d), RMSNorm, rescaled tied output
    "t5-like": dict(
        family="encoder-decoder", architecture="T5ForConditionalGeneration", positional="none", norm="rmsnorm",
        norm_placement="pre", final_norm=True, activation="relu", attn_bias=False, attn_out_bias=False,
        mlp_bias=False, decoder_start_token_id=0, attn_scale=1.0, unscaled_by="T5", rel_pos_buckets=8,
        rel_pos_max_distance=16, unembed_scale=32 ** -0.5, extra={"shared_embeddings": True},
    ),
}


def random_model(name: str, seed: int = 0, **overrides):
    """overrides: config fields over BASE and the family's (e.g. n_ctx=640 for a long prompt)."""
    cfg = ModelConfig(**{**BASE, **CONFIGS[name], **overrides})
    with torch.device("meta"):
        shapes = build_model(cfg).state_dict()
    g = torch.Generator().manual_seed(seed)
    state = {k: torch.randn(v.shape, generator=g) * 0.3 for k, v in shapes.items()}
    return instantiate(cfg, state)
