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
