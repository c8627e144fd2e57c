"""Parity cases of ELECTRA: factorised embeddings (embedding_size < hidden_size, embeddings_project),
the generator head back to embedding_size with GELU whatever hidden_act says; and the unprojected
case (embedding_size == hidden_size)."""
from __future__ import annotations

from .case_existing import _last_hidden
from .cases import VOCAB, case, random_hf

ELECTRA = dict(vocab_size=VOCAB, embedding_size=16, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
               intermediate_size=48, max_position_embeddings=64)


@case("ElectraForMaskedLM", "factorised", greedy=False)
def electra_mlm():
    return random_hf("ElectraForMaskedLM", "ElectraConfig", **ELECTRA, hidden_act="relu")


@case("ElectraForMaskedLM", "unprojected", greedy=False)
def electra_mlm_same_width():
    return random_hf("ElectraForMaskedLM", "ElectraConfig", seed=1, **{**ELECTRA, "embedding_size": 32})


@case("ElectraModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def electra():
    return random_hf("ElectraModel", "ElectraConfig", **ELECTRA)
