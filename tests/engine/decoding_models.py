"""Tiny random `transformers` models and our copies of them, for the decoding parity tests.

Weights are drawn wide (std 0.15) so next-token distributions are spread out and beams
really compete and finish at different lengths. Our model is loaded through the registered
converter only (engine.loading.hf_folder.load_folder): a broken registration fails here.
"""
from __future__ import annotations

from pathlib import Path

import torch

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


def _ours(ref, folder: Path):
    ref.save_pretrained(folder, safe_serialization=True)
    cfg, state = load_folder(folder)
    return instantiate(cfg, state)


def gpt2(folder: Path, seed: int = 0):
    from transformers import GPT2Config, GPT2LMHeadModel

    cfg = GPT2Config(vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4,
                     bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD)
    ref = GPT2LMHeadModel(cfg).eval()
    _randomize(ref, seed)
    return ref, _ours(ref, folder)


def llama(folder: Path, seed: int = 0):
    """Grouped-query attention: 4 query heads share 2 key/value heads."""
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                      bos_token_id=BOS, eos_token_id=EOS, pad_token_id=PAD, tie_word_embeddings=False)
    ref = LlamaForCausalLM(cfg).eval()
    _randomize(ref, seed)
    return ref, _ours(ref, folder)


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
    return ref, _ours(ref, folder)


FAMILIES = {"gpt2": gpt2, "llama": llama, "marian": marian}
