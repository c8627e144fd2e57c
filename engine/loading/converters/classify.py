"""What every …ForSequenceClassification converter shares: the labels, how scores become
probabilities, and the refusals (regression heads)."""
from __future__ import annotations

from ...errors import UnsupportedArchitecture

# problem_type -> how the label probabilities are computed (engine/models/classifier_head.LABEL_PROBS)
LABEL_PROB = {None: "softmax", "single_label_classification": "softmax", "multi_label_classification": "sigmoid"}


class Classifier:
    """Mixin for a converter class: cls.fields(hf) gains the classifier options."""

    POOLER = "tanh"  # a key of classifier_head.POOLERS
    USED = {"id2label", "label2id", "num_labels"}
    REFUSED = {
        "problem_type": (tuple(LABEL_PROB), "a regression head outputs a score, not label probabilities"),
    }

    @classmethod
    def classifier_fields(cls, hf: dict, arch: str) -> dict:
        names = labels_of(hf, arch)
        if len(names) < 2:
            raise UnsupportedArchitecture(
                f"{arch} with num_labels=1 is a regression head (a score, not label probabilities): not supported")
        return dict(lm_head="none", lm_head_bias=False, classifier=cls.POOLER, label_names=names,
                    label_prob=LABEL_PROB[hf.get("problem_type")])


def labels_of(hf: dict, arch: str) -> list[str]:
    """id2label as a list in id order ({"0": "NEGATIVE", "1": "POSITIVE"} -> ["NEGATIVE", "POSITIVE"])."""
    raw = hf.get("id2label") or {f"{i}": f"LABEL_{i}" for i in range(int(hf.get("num_labels", 2)))}
    try:
        by_id = {int(k): str(v) for k, v in dict(raw).items()}
    except (TypeError, ValueError):
        raise UnsupportedArchitecture(f"{arch}: id2label must map label ids to names, not {raw!r}") from None
    if sorted(by_id) != list(range(len(by_id))):
        raise UnsupportedArchitecture(f"{arch}: id2label ids must be 0..{len(by_id) - 1}, not {sorted(by_id)}")
    return [by_id[i] for i in range(len(by_id))]
