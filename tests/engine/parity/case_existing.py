"""Parity cases of the first four architectures (GPT-2, Llama, BERT, Marian)."""
from __future__ import annotations

import torch

from .cases import VOCAB, case, random_hf

SMALL_DECODER = dict(vocab_size=VOCAB, max_position_embeddings=64)


@case("GPT2LMHeadModel", "base")
def gpt2():
    return random_hf("GPT2LMHeadModel", "GPT2Config", vocab_size=VOCAB, n_positions=64, n_embd=32,
                     n_layer=2, n_head=4)


def _tied_head_logits(model, ids, target):
    """GPT2Model has no head: the folder opens as a language model with the tied embedding."""
    h = model(input_ids=ids).last_hidden_state  # [1, pos, d_model]
    return h @ model.wte.weight.T  # [1, pos, vocab]


@case("GPT2Model", "headless", reference=_tied_head_logits, greedy=False)
def gpt2_headless():
    return random_hf("GPT2Model", "GPT2Config", vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=2, n_head=4)


@case("LlamaForCausalLM", "gqa")
def llama():
    return random_hf("LlamaForCausalLM", "LlamaConfig", **SMALL_DECODER, hidden_size=32, intermediate_size=48,
                     num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, rope_theta=5000.0,
                     tie_word_embeddings=False)


BERT = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
            max_position_embeddings=64)


@case("BertForMaskedLM", "mlm", greedy=False)
def bert_mlm():
    return random_hf("BertForMaskedLM", "BertConfig", **BERT)


def _last_hidden(model, ids, target):
    return model(input_ids=ids).last_hidden_state  # [1, pos, d_model]


@case("BertModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def bert():
    return random_hf("BertModel", "BertConfig", **BERT)


@case("MarianMTModel", "base")
def marian():
    m = random_hf("MarianMTModel", "MarianConfig", vocab_size=VOCAB, d_model=32, encoder_layers=2,
                  decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=48,
                  decoder_ffn_dim=48, max_position_embeddings=64, pad_token_id=0, decoder_start_token_id=0,
                  eos_token_id=3, scale_embedding=True)
    with torch.no_grad():  # the sinusoidal table is a parameter there: undo the perturbation
        for stack in (m.model.encoder, m.model.decoder):
            stack.embed_positions.weight.copy_(stack.embed_positions.create_weight())
    return m
