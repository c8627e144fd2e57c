"""ModernBERT parity cases: RoPE per layer type, local (bidirectional window) and global layers, GeGLU."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

# local_attention 4: a local layer sees |i − j| ≤ 2, far less than the 12-token prompt
BASE = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=3, num_attention_heads=4, intermediate_size=40,
            max_position_embeddings=64, local_attention=4, global_attn_every_n_layers=2,
            global_rope_theta=1000.0, local_rope_theta=50.0, pad_token_id=0, bos_token_id=1, eos_token_id=2,
            cls_token_id=1, sep_token_id=2)


def _modernbert(model="ModernBertForMaskedLM", **options):
    return random_hf(model, "ModernBertConfig", **{**BASE, **options})


def _last_hidden(model, ids, target):
    return model(input_ids=ids).last_hidden_state  # [1, pos, d_model]


@case("ModernBertForMaskedLM", "local-global", greedy=False)
def modernbert():
    """The released settings: no biases anywhere but the decoder's, tied decoder."""
    return _modernbert()


@case("ModernBertForMaskedLM", "biases-untied", greedy=False)
def modernbert_biases():
    """Every bias flag on, its own decoder matrix, a head activation that differs from the FFN's."""
    return _modernbert(attention_bias=True, mlp_bias=True, norm_bias=True, classifier_bias=True,
                       classifier_activation="silu", hidden_activation="gelu_pytorch_tanh",
                       tie_word_embeddings=False, global_attn_every_n_layers=3, local_attention=6)


@case("ModernBertForMaskedLM", "no-decoder-bias", greedy=False)
def modernbert_no_decoder_bias():
    return _modernbert(decoder_bias=False, layer_types=["sliding_attention", "full_attention", "sliding_attention"])


@case("ModernBertModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def modernbert_headless():
    return _modernbert("ModernBertModel")
