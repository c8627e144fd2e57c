"""Sequence-classification heads (BERT, RoBERTa, DistilBERT): the first token's hidden state ->
dense + activation ("pooled") -> one score per label -> label probabilities.

BERT's pooler is tanh(dense([CLS])) then `classifier`; RoBERTa's head is dense, tanh, out_proj on
<s>; DistilBERT's is pre_classifier, ReLU, classifier on the first token. One module with the
activation as an option (POOLERS); how scores become probabilities is LABEL_PROBS (softmax for a
single label per text, an independent sigmoid per label for multi-label).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..config import ModelConfig
from ..hooks import HookPoint

# cfg.classifier -> (activation of the pooled vector, its name in the step descriptions)
POOLERS = {"tanh": (torch.tanh, "tanh"), "relu": (F.relu, "ReLU")}
# cfg.label_prob -> (scores [batch, label] -> probabilities, the step's description)
LABEL_PROBS = {
    "softmax": (lambda s: torch.softmax(s, dim=-1), "label probabilities = softmax(class logits): one label per text"),
    "sigmoid": (torch.sigmoid, "label probabilities = sigmoid(class logits), each label on its own (multi-label)"),
}
LABELS = ("batch", "label")


class ClassifierHead(nn.Module):
    """h [batch, pos, d_model] -> class logits [batch, label]; records first, pooled, logits, probs."""

    def __init__(self, cfg: ModelConfig, input_ref: str):
        super().__init__()
        self.act, act_name = POOLERS[cfg.classifier]
        self.act_name = cfg.classifier
        self.to_probs, probs_what = LABEL_PROBS[cfg.label_prob]
        self.label_prob = cfg.label_prob
        n = len(cfg.label_names)
        self.dense = nn.Linear(cfg.d_model, cfg.d_model)
        self.out = nn.Linear(cfg.d_model, n)
        self.hook_first = HookPoint(
            "the first token's final hidden state ([CLS] / <s>): all the classifier reads", ("batch", "d_model"),
            [input_ref])
        self.hook_pooled = HookPoint(f"pooled = {act_name}(first·W_poolᵀ + b_pool)", ("batch", "d_model"), ["hook_first"])
        self.hook_class_logits = HookPoint(
            f"class logits = pooled·W_clsᵀ + b_cls: one score for each of the {n} labels", LABELS, ["hook_pooled"])
        self.hook_class_probs = HookPoint(probs_what, LABELS, ["hook_class_logits"])

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        first = self.hook_first(h[:, 0])  # [batch, pos, d_model] -> [batch, d_model]
        pooled = self.hook_pooled(self.act(self.dense(first)))
        logits = self.hook_class_logits(self.out(pooled))  # [batch, label]
        self.hook_class_probs(self.to_probs(logits))
        return logits
