"""Parity cases of DistilBERT: no token types, its own layer names, the vocab_transform head, and a
checkpoint whose position table was initialised sinusoidally (sinusoidal_pos_embds)."""
from __future__ import annotations

import torch

from .cases import VOCAB, case, random_hf
from .case_existing import _last_hidden

DISTIL = dict(vocab_size=VOCAB, dim=32, n_layers=2, n_heads=4, hidden_dim=48, max_position_embeddings=64)


@case("DistilBertForMaskedLM", "mlm", greedy=False)
def distilbert_mlm():
    return random_hf("DistilBertForMaskedLM", "DistilBertConfig", **DISTIL)


@case("DistilBertForMaskedLM", "sinusoidal-relu", greedy=False)
def distilbert_sinusoidal():
    from transformers.models.distilbert.modeling_distilbert import create_sinusoidal_embeddings

    m = random_hf("DistilBertForMaskedLM", "DistilBertConfig", seed=1, **DISTIL, sinusoidal_pos_embds=True,
                  activation="relu")
    table = m.distilbert.embeddings.position_embeddings.weight
    with torch.no_grad():  # perturbed() moved the sinusoidal table too: put it back
        create_sinusoidal_embeddings(table.shape[0], table.shape[1], table)
    return m


@case("DistilBertModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def distilbert():
    return random_hf("DistilBertModel", "DistilBertConfig", **DISTIL)
