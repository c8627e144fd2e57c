"""The explainer's vocabulary: Step, Explanation, the error it raises, and the model registry.

A Step is plain data (kind, one-line description, JSON-serialisable `data`) so a GUI can
animate the list and `tplay tokenize --explain --json` can print it unchanged.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from ..errors import InputError


class ExplainError(InputError):
    """The explainer cannot show this tokenizer/text faithfully (it never returns wrong steps)."""


@dataclass
class Step:
    kind: str  # e.g. "normalize", "pre_tokenize", "bpe_merge", "wordpiece_match", "post_process"
    description: str  # one human sentence
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Explanation:
    text: str
    model: str  # the tokenizers model class: "BPE", "WordPiece", "Unigram", "WordLevel"
    steps: list[Step]
    ids: list[int]  # equal to tok.encode(text).ids (checked)
    tokens: list[str]
    offsets: list[tuple[int, int]]  # the library's, in characters of `text`

    def to_dict(self) -> dict:
        d = asdict(self)
        d["offsets"] = [list(o) for o in self.offsets]
        return d


class StepLog:
    """Collects steps; model explainers call `emit` and never build Step objects themselves."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def emit(self, kind: str, description: str, **data: Any) -> None:
        self.steps.append(Step(kind, description, data))


# One explainer class per `tokenizers` model class name. An explainer is built once from the
# model's JSON (`tok.to_str()` -> ["model"]) and then called per pre-tokenized word:
#   explainer.tokenize(word: str, word_index: int, log: StepLog) -> list[(id, token string)]
ModelExplainer = Callable[[dict], Any]
MODEL_EXPLAINERS: dict[str, ModelExplainer] = {}


def model_explainer(kind: str):
    def deco(cls):
        MODEL_EXPLAINERS[kind] = cls
        return cls

    return deco


def show(s: str) -> str:
    """A token/word as a quoted literal with invisible characters escaped (for descriptions)."""
    out = []
    for ch in s:
        cp = ord(ch)
        if ch == "'" or ch == "\\":
            out.append("\\" + ch)
        elif cp < 0x20 or 0x7F <= cp < 0xA0 or ch.isspace() and ch != " ":
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


# Words with more initial symbols than this get no "symbols"/"position" in their merge steps (a
# 3,000-character word would otherwise cost millions of strings); "start" still says where.
MAX_SYMBOLS_PER_STEP = 256
