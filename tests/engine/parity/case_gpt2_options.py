"""GPT-2's remaining options: scores divided by (layer + 1), no 1/√d_head scale, the reordered
and upcast attention (float32 scores and softmax), and a separate output matrix."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

GPT2 = dict(vocab_size=VOCAB, n_positions=64, n_embd=32, n_layer=3, n_head=4)


@case("GPT2LMHeadModel", "inverse_layer_idx")
def gpt2_inverse_layer():
    return random_hf("GPT2LMHeadModel", "GPT2Config", **GPT2, scale_attn_by_inverse_layer_idx=True)


@case("GPT2LMHeadModel", "unscaled_upcast_untied")
def gpt2_unscaled():
    return random_hf("GPT2LMHeadModel", "GPT2Config", **GPT2, scale_attn_weights=False,
                     reorder_and_upcast_attn=True, tie_word_embeddings=False)
