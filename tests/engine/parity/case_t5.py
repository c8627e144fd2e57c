"""T5 / Flan-T5 / mT5 parity cases: relative position buckets (few, so the logarithmic and the
clamped buckets are reached by a 12-token source and 20 generated tokens), relu v1.0 with the
rescaled tied head, gated-gelu v1.1 with a stored lm_head, uneven stacks, d_kv·heads ≠ d_model."""
from __future__ import annotations

import torch

from .cases import VOCAB, case, perturbed, random_hf

SMALL = dict(vocab_size=VOCAB, d_model=32, d_ff=48, num_layers=2, num_heads=4, d_kv=8,
             relative_attention_num_buckets=8, relative_attention_max_distance=16,
             pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)


@case("T5ForConditionalGeneration", "v1_0_relu_tied")
def t5_relu():
    """T5 v1.0: relu FFN, tied lm_head, decoder output × d_model^-0.5."""
    return random_hf("T5ForConditionalGeneration", "T5Config", **SMALL, feed_forward_proj="relu")


@case("T5ForConditionalGeneration", "v1_1_gated_untied")
def t5_gated_untied():
    """T5 v1.1 / Flan-T5: gated-gelu, its own lm_head (no rescale), 3 encoder and 2 decoder layers
    (not the other way round: transformers' generate sizes its cache by num_layers), d_kv 12."""
    m = random_hf("T5ForConditionalGeneration", "T5Config", **{**SMALL, "d_kv": 12, "num_layers": 3},
                  num_decoder_layers=2,
                  feed_forward_proj="gated-gelu", tie_word_embeddings=False)
    g = torch.Generator().manual_seed(7)
    m.lm_head.weight = torch.nn.Parameter(m.shared.weight.detach() + torch.randn(m.shared.weight.shape, generator=g))
    return perturbed(m, seed=3, scale=0.02)


@case("MT5ForConditionalGeneration", "gated_default_buckets")
def mt5():
    """mT5: gated-gelu, the default 32 buckets up to 128, never rescaled."""
    cfg = {**SMALL, "relative_attention_num_buckets": 32, "relative_attention_max_distance": 128}
    return random_hf("MT5ForConditionalGeneration", "MT5Config", **cfg)


def _last_hidden(model, ids, target):
    return model(input_ids=ids).last_hidden_state  # [1, pos, d_model]


@case("T5EncoderModel", "gated_headless", reference=_last_hidden, output="hidden", greedy=False)
def t5_encoder():
    """The encoder alone: relative bias, gated-gelu, final_layer_norm; no head."""
    return random_hf("T5EncoderModel", "T5Config", **SMALL, feed_forward_proj="gated-gelu")
