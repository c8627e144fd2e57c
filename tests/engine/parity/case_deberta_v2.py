"""DeBERTa-v2 parity cases: disentangled attention with each characteristic option."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

BASE = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
            max_position_embeddings=64, relative_attention=True, pos_att_type=["c2p", "p2c"])


def _deberta(model="DebertaV2ForMaskedLM", **options):
    return random_hf(model, "DebertaV2Config", **{**BASE, **options})


def _last_hidden(model, ids, target):
    return model(input_ids=ids).last_hidden_state  # [1, pos, d_model]


@case("DebertaV2ForMaskedLM", "v3-style", greedy=False)
def deberta_v3():
    """DeBERTa-v3's settings: log buckets, shared keys, LayerNorm-ed relative table, no absolute positions."""
    return _deberta(position_buckets=8, max_relative_positions=32, share_att_key=True, norm_rel_ebd="layer_norm",
                    position_biased_input=False, pos_att_type="p2c|c2p")


@case("DebertaV2ForMaskedLM", "own-pos-proj", greedy=False)
def deberta_own_projections():
    """Separate position key / query projections, plain distances within max_relative_positions, segments."""
    return _deberta(max_relative_positions=6, type_vocab_size=2, legacy=False)


@case("DebertaV2ForMaskedLM", "p2c-only", greedy=False)
def deberta_p2c():
    return _deberta(pos_att_type=["p2c"], position_buckets=6, share_att_key=False, tie_word_embeddings=False)


@case("DebertaV2ForMaskedLM", "c2p-only-absolute", greedy=False)
def deberta_c2p():
    return _deberta(pos_att_type=["c2p"], position_buckets=4, max_relative_positions=16, share_att_key=True)


@case("DebertaV2Model", "headless", reference=_last_hidden, output="hidden", greedy=False)
def deberta_headless():
    return _deberta("DebertaV2Model", position_buckets=8, share_att_key=True, norm_rel_ebd="layer_norm")


@case("DebertaV2ForMaskedLM", "no-relative-scaled", greedy=False)
def deberta_no_relative():
    """relative_attention off with pos_att_type set: no terms, yet transformers' divisor still counts them."""
    return _deberta(relative_attention=False, type_vocab_size=2)


@case("DebertaV2ForMaskedLM", "v2-conv", greedy=False)
def deberta_v2_conv():
    """DeBERTa-v2 xlarge's layout: the convolution after layer 0 (kernel 3, grouped), buckets, shared keys."""
    return _deberta(conv_kernel_size=3, conv_groups=2, conv_act="gelu", position_buckets=8, share_att_key=True,
                    norm_rel_ebd="layer_norm", num_hidden_layers=3)
