"""Parity cases of the BART family: BART, mBART, Pegasus, M2M100 (NLLB's dense class).

Each sets its family's characteristic options; the generation settings (decoder start, forced
first token) go where transformers keeps them, the generation config (saved as
generation_config.json). The forced last token (forced_eos) is left out here because
test_parity's greedy check turns it off on the reference only; tests/engine/test_forced_tokens.py
checks it against transformers' generate.
"""
from __future__ import annotations

import torch

from .cases import VOCAB, case, random_hf

SEQ2SEQ = dict(vocab_size=VOCAB, d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
               decoder_attention_heads=4, encoder_ffn_dim=48, decoder_ffn_dim=48, max_position_embeddings=64)


def seq2seq(arch: str, config: str, *, forced_bos=None, **options):
    """A random tiny model with a random final_logits_bias (a buffer the perturbation misses)."""
    m = random_hf(arch, config, **{**SEQ2SEQ, **options})
    if hasattr(m, "final_logits_bias"):
        with torch.no_grad():
            m.final_logits_bias.copy_(torch.randn(m.final_logits_bias.shape, generator=torch.Generator().manual_seed(1)))
    m.generation_config.forced_bos_token_id = forced_bos
    m.generation_config.forced_eos_token_id = None
    return m


@case("BartForConditionalGeneration", "base")
def bart():
    """Post-norm, learned positions (offset 2), layernorm_embedding, √d scale, forced <s> first."""
    return seq2seq("BartForConditionalGeneration", "BartConfig", scale_embedding=True, forced_bos=0)


@case("BartForConditionalGeneration", "untied-uneven")
def bart_untied():
    """Separate input / output tables, 3 encoder layers over 1 decoder layer, ReLU."""
    return seq2seq("BartForConditionalGeneration", "BartConfig", tie_word_embeddings=False, encoder_layers=3,
                   decoder_layers=1, activation_function="relu")


@case("MBartForConditionalGeneration", "lang")
def mbart():
    """Pre-norm, final LayerNorms; mBART-50 style: start from </s>, force the language code (86)."""
    return seq2seq("MBartForConditionalGeneration", "MBartConfig", scale_embedding=True, decoder_start_token_id=2,
                   forced_bos=86)


@case("PegasusForConditionalGeneration", "base")
def pegasus():
    """Pre-norm, sinusoidal positions (the table is a parameter there: undo the perturbation)."""
    m = seq2seq("PegasusForConditionalGeneration", "PegasusConfig", scale_embedding=True)
    with torch.no_grad():
        for stack in (m.model.encoder, m.model.decoder):
            stack.embed_positions.weight.copy_(stack.embed_positions.create_weight())
    return m


@case("M2M100ForConditionalGeneration", "nllb")
def m2m100():
    """fairseq positions from pad + 1, √d scale, pre-norm, the target language forced (80)."""
    return seq2seq("M2M100ForConditionalGeneration", "M2M100Config", scale_embedding=True, forced_bos=80,
                   activation_function="relu")


@case("M2M100ForConditionalGeneration", "padded-prompt", prompt=(5, 17, 1, 33, 9, 1, 41, 8))
def m2m100_padded():
    """Pad tokens inside the source: they get the zero row and do not count as positions."""
    return seq2seq("M2M100ForConditionalGeneration", "M2M100Config", forced_bos=80, pad_token_id=1)
