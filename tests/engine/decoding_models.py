"""Tiny random `transformers` models and our copies of them, for the decoding parity tests.

Weights are drawn wide (std 0.15) so next-token distributions are spread out and beams
really compete and finish at different lengths. Our model is loaded through the registered
converter when there is one; otherwise the weights are copied here by name (fallback while
a converter is being written).
"""
from __future__ import annotations

import math
from pathlib import Path

import torch

from engine.config import ModelConfig
from engine.errors import UnsupportedArchitecture
from engine.loading.build import instantiate
from engine.loading.hf_folder import load_folder

VOCAB, EOS, BOS, PAD = 53, 3, 1, 0


def _randomize(model, seed: int, std: float = 0.15) -> None:
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name:
                continue  # Marian's sinusoidal table is stored as a parameter: keep it
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + torch.randn(p.shape, generator=g) * 0.1)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * std)


def _ours(ref, folder: Path, manual):
    ref.save_pretrained(folder, safe_serialization=True)
    try:
        cfg, state = load_folder(folder)
    except UnsupportedArchitecture:
        cfg, state = manual(ref)
    return instantiate(cfg, state)


def gpt2(folder: Path, seed: int = 0):
    from transformers import GPT2Config, GPT2LMHeadModel

    cfg = GPT2Config(vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4,
                     bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD)
    ref = GPT2LMHeadModel(cfg).eval()
    _randomize(ref, seed)
    return ref, _ours(ref, folder, None)


def _llama_manual(ref):
    c = ref.config
    cfg = ModelConfig(
        family="decoder", architecture="LlamaForCausalLM", vocab_size=c.vocab_size, d_model=c.hidden_size,
        n_layers=c.num_hidden_layers, n_heads=c.num_attention_heads, n_kv_heads=c.num_key_value_heads,
        d_mlp=c.intermediate_size, n_ctx=c.max_position_embeddings, positional="rope",
        rope_theta=c.rope_parameters["rope_theta"] if getattr(c, "rope_parameters", None) else c.rope_theta,
        norm="rmsnorm", norm_eps=c.rms_norm_eps, activation="silu", gated_mlp=True, attn_bias=False,
        attn_out_bias=False, mlp_bias=False, tie_embeddings=False,
        bos_token_id=c.bos_token_id, eos_token_id=c.eos_token_id, pad_token_id=c.pad_token_id,
    )
    t = {k.removeprefix("model."): v for k, v in ref.state_dict().items()}
    sd = {"embed.W_E": t["embed_tokens.weight"], "ln_final.w": t["norm.weight"], "unembed.W_U": t["lm_head.weight"]}
    names = {"attn.W_Q": "self_attn.q_proj", "attn.W_K": "self_attn.k_proj", "attn.W_V": "self_attn.v_proj",
             "attn.W_O": "self_attn.o_proj", "mlp.W_gate": "mlp.gate_proj", "mlp.W_in": "mlp.up_proj",
             "mlp.W_out": "mlp.down_proj"}
    for i in range(cfg.n_layers):
        for ours, theirs in names.items():
            sd[f"blocks.{i}.{ours}.weight"] = t[f"layers.{i}.{theirs}.weight"]
        sd[f"blocks.{i}.ln1.w"] = t[f"layers.{i}.input_layernorm.weight"]
        sd[f"blocks.{i}.ln2.w"] = t[f"layers.{i}.post_attention_layernorm.weight"]
    return cfg, sd


def llama(folder: Path, seed: int = 0):
    """Grouped-query attention: 4 query heads share 2 key/value heads."""
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                      bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD, tie_word_embeddings=False)
    ref = LlamaForCausalLM(cfg).eval()
    _randomize(ref, seed)
    return ref, _ours(ref, folder, _llama_manual)


def _marian_manual(ref):
    c = ref.config
    cfg = ModelConfig(
        family="encoder-decoder", architecture="MarianMTModel", vocab_size=c.vocab_size, d_model=c.d_model,
        n_layers=c.encoder_layers, n_decoder_layers=c.decoder_layers, n_heads=c.encoder_attention_heads,
        d_mlp=c.encoder_ffn_dim, n_ctx=c.max_position_embeddings, positional="sinusoidal",
        norm_placement="post", final_norm=False, embed_scale=math.sqrt(c.d_model) if c.scale_embedding else 1.0,
        activation=c.activation_function, lm_head_bias=True, tie_embeddings=True,
        pad_token_id=c.pad_token_id, eos_token_id=c.eos_token_id, decoder_start_token_id=c.decoder_start_token_id,
    )
    t = {k.removeprefix("model."): v for k, v in ref.state_dict().items()}
    sd = {"encoder.embed.W_E": t["shared.weight"], "decoder.embed.W_E": t["shared.weight"],
          "unembed.b_U": t["final_logits_bias"][0]}
    lin = {"attn.W_Q": "self_attn.q_proj", "attn.W_K": "self_attn.k_proj", "attn.W_V": "self_attn.v_proj",
           "attn.W_O": "self_attn.out_proj", "mlp.W_in": "fc1", "mlp.W_out": "fc2",
           "cross_attn.W_Q": "encoder_attn.q_proj", "cross_attn.W_K": "encoder_attn.k_proj",
           "cross_attn.W_V": "encoder_attn.v_proj", "cross_attn.W_O": "encoder_attn.out_proj"}
    norms = {"ln1": "self_attn_layer_norm", "ln2": "final_layer_norm", "ln_cross": "encoder_attn_layer_norm"}
    for part, n in (("encoder", cfg.n_layers), ("decoder", cfg.n_decoder_layers)):
        for i in range(n):
            o, p = f"{part}.blocks.{i}.", f"{part}.layers.{i}."
            for ours, theirs in lin.items():
                if p + theirs + ".weight" in t:
                    sd[o + ours + ".weight"] = t[p + theirs + ".weight"]
                    sd[o + ours + ".bias"] = t[p + theirs + ".bias"]
            for ours, theirs in norms.items():
                if p + theirs + ".weight" in t:
                    sd[o + ours + ".w"] = t[p + theirs + ".weight"]
                    sd[o + ours + ".b"] = t[p + theirs + ".bias"]
    return cfg, sd


def marian(folder: Path, seed: int = 0):
    from transformers import MarianConfig, MarianMTModel

    cfg = MarianConfig(vocab_size=VOCAB, d_model=32, encoder_layers=2, decoder_layers=2,
                       encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=48,
                       decoder_ffn_dim=48, max_position_embeddings=64, pad_token_id=PAD, eos_token_id=EOS,
                       decoder_start_token_id=PAD, forced_eos_token_id=None,
                       scale_embedding=True, activation_function="swish")
    ref = MarianMTModel(cfg).eval()
    _randomize(ref, seed)
    with torch.no_grad():
        ref.final_logits_bias.normal_(0, 0.1, generator=torch.Generator().manual_seed(seed + 1))
    return ref, _ours(ref, folder, _marian_manual)


FAMILIES = {"gpt2": gpt2, "llama": llama, "marian": marian}
