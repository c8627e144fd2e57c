"""Parity cases of ALBERT: factorised embeddings (embedding_size < hidden_size, then
embedding_hidden_mapping_in), one layer's weights run at every depth; two shared groups
(num_hidden_groups=2); and the headless model."""
from __future__ import annotations

from .case_existing import _last_hidden
from .cases import VOCAB, case, random_hf

ALBERT = dict(vocab_size=VOCAB, embedding_size=16, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
              intermediate_size=48, max_position_embeddings=64)


@case("AlbertForMaskedLM", "shared", greedy=False)
def albert_mlm():
    return random_hf("AlbertForMaskedLM", "AlbertConfig", **ALBERT)


@case("AlbertForMaskedLM", "two-groups", greedy=False)
def albert_groups():
    return random_hf("AlbertForMaskedLM", "AlbertConfig", seed=1, **{**ALBERT, "num_hidden_layers": 4},
                     num_hidden_groups=2, hidden_act="gelu")


@case("AlbertModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def albert():
    return random_hf("AlbertModel", "AlbertConfig", **{**ALBERT, "embedding_size": 32})
