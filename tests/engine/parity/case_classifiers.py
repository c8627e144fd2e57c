"""Parity cases of the sequence-classification heads: BERT's pooler (tanh on [CLS]) + classifier,
RoBERTa's dense / tanh / out_proj on <s>, DistilBERT's pre_classifier + ReLU + classifier;
single-label (softmax) and multi-label (sigmoid). `tplay logits` saves the class logits [label]."""
from __future__ import annotations

from .case_distilbert import DISTIL
from .case_existing import BERT
from .case_roberta import ROBERTA
from .cases import case, random_hf

LABELS = {0: "negative", 1: "neutral", 2: "positive"}


def class_logits(model, ids, target):
    return model(input_ids=ids).logits  # [1, label]


@case("BertForSequenceClassification", "sentiment", reference=class_logits, greedy=False)
def bert_classifier():
    return random_hf("BertForSequenceClassification", "BertConfig", **BERT, id2label=LABELS)


@case("BertForSequenceClassification", "multi-label", reference=class_logits, greedy=False)
def bert_multi_label():
    return random_hf("BertForSequenceClassification", "BertConfig", seed=1, **BERT,
                     id2label={0: "toxic", 1: "insult"}, problem_type="multi_label_classification")


@case("RobertaForSequenceClassification", "sentiment", reference=class_logits, greedy=False)
def roberta_classifier():
    return random_hf("RobertaForSequenceClassification", "RobertaConfig", **ROBERTA, id2label=LABELS)


@case("DistilBertForSequenceClassification", "sentiment", reference=class_logits, greedy=False)
def distilbert_classifier():
    return random_hf("DistilBertForSequenceClassification", "DistilBertConfig", **DISTIL,
                     id2label={0: "NEGATIVE", 1: "POSITIVE"})
