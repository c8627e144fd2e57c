"""Parity cases of RoBERTa and XLM-R: positions offset by padding_idx (a pad token inside the
prompt reads the padding row), the GELU LM head, and the <s> classification head."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf
from .case_existing import _last_hidden

ROBERTA = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=48,
               max_position_embeddings=66, pad_token_id=1, bos_token_id=0, eos_token_id=2, type_vocab_size=1)
WITH_PAD = (0, 5, 17, 1, 33, 9, 1, 41, 8, 60, 2)  # pad (1) inside the prompt: those tokens get position row 1


@case("RobertaForMaskedLM", "mlm", greedy=False)
def roberta_mlm():
    return random_hf("RobertaForMaskedLM", "RobertaConfig", **ROBERTA, hidden_act="gelu_new")


@case("RobertaForMaskedLM", "pad-in-prompt", greedy=False, prompt=WITH_PAD)
def roberta_mlm_pad():
    return random_hf("RobertaForMaskedLM", "RobertaConfig", seed=1, **ROBERTA)


@case("RobertaModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def roberta():
    return random_hf("RobertaModel", "RobertaConfig", **ROBERTA)


@case("XLMRobertaForMaskedLM", "mlm", greedy=False, prompt=WITH_PAD)
def xlm_roberta_mlm():
    return random_hf("XLMRobertaForMaskedLM", "XLMRobertaConfig", seed=2, **ROBERTA)


@case("XLMRobertaModel", "headless", reference=_last_hidden, output="hidden", greedy=False)
def xlm_roberta():
    return random_hf("XLMRobertaModel", "XLMRobertaConfig", seed=3, **ROBERTA)
