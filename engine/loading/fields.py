"""Which Hugging Face config fields a converter reads, ignores or refuses: declared, never guessed.

Never silently wrong: a config field that changes the maths is either implemented (USED) or
refused by name with a one-line reason (REFUSED). Fields that cannot change the numbers of an
inference run (dropout, initialisation, caching, bookkeeping) are IGNORED with the reason.
tests/engine/test_converter_fields.py walks every registered architecture's transformers config
against its declaration, so a field added by a future transformers release fails a test instead
of slipping through; at load time an undeclared field becomes a note the user sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..errors import UnsupportedArchitecture

# Every transformers config has these; none of them changes an inference run's numbers.
COMMON_IGNORED: dict[str, str] = {
    "_name_or_path": "bookkeeping",
    "architectures": "read by the loader to pick the converter",
    "chunk_size_feed_forward": "chunks the FFN over positions: same numbers",
    "dtype": "we compute in the dtype the user picks",
    "torch_dtype": "we compute in the dtype the user picks",
    "id2label": "classification heads only",
    "label2id": "classification heads only",
    "is_encoder_decoder": "implied by the architecture",
    "model_type": "bookkeeping",
    "output_attentions": "what the reference returns, not what it computes",
    "output_hidden_states": "what the reference returns, not what it computes",
    "problem_type": "training loss selection",
    "return_dict": "what the reference returns",
    "transformers_version": "bookkeeping",
    "use_cache": "caching gives the same numbers",
    "pretraining_tp": "tensor-parallel slicing of the same matmuls (transformers ignores it too)",
    "gradient_checkpointing": "training only",
    "tie_encoder_decoder": "weights are loaded as stored",
    "attn_implementation": "eager / sdpa give the same numbers",
    "_attn_implementation_autoset": "bookkeeping",
    "task_specific_params": "generation presets",
    "finetuning_task": "bookkeeping",
    "quantization_config": "refused separately when weights are quantised",
}
# Fields named like these never change inference numbers (dropout is off in eval mode; weights are loaded).
IGNORED_PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r".*(dropout|_pdrop|dropout_prob|layerdrop|drop_rate)$"), "dropout is off at inference"),
    (re.compile(r"^(initializer_range|init_std|initializer_factor|.*_init_.*|init_.*)$"), "weights are loaded, not initialised"),
    (re.compile(r"^(bos|eos|pad|sep|cls|unk|mask)_token_id$"), "special-token ids (read where decoding needs them)"),
    (re.compile(r"^(forced_bos_token_id|forced_eos_token_id|decoder_start_token_id)$"), "generation setting"),
)


def ignored_reason(key: str) -> str | None:
    if key in COMMON_IGNORED:
        return COMMON_IGNORED[key]
    for pattern, why in IGNORED_PATTERNS:
        if pattern.match(key):
            return why
    return None


Accept = tuple | Callable[[Any], bool]


@dataclass(frozen=True)
class Refusal:
    accept: Accept  # the values we implement (a tuple), or a predicate on the value
    why: str

    def allows(self, value: Any) -> bool:
        if callable(self.accept):
            return bool(self.accept(value))
        return value in self.accept


@dataclass(frozen=True)
class FieldRules:
    used: frozenset[str] = frozenset()
    ignored: Mapping[str, str] = field(default_factory=dict)
    refused: Mapping[str, Refusal] = field(default_factory=dict)

    def declared(self, key: str) -> bool:
        return key in self.used or key in self.ignored or key in self.refused or ignored_reason(key) is not None

    def refuse(self, hf: dict, architecture: str) -> None:
        """Raise UnsupportedArchitecture naming the first field whose value we do not implement."""
        for key, rule in self.refused.items():
            if key in hf and not rule.allows(hf[key]):
                raise UnsupportedArchitecture(f"{architecture} with {key}={hf[key]!r} is not supported: {rule.why}")

    def undeclared(self, hf: dict) -> list[str]:
        return sorted(k for k in hf if not self.declared(k))


def rules_of(cls) -> FieldRules:
    """A converter class's declaration: USED, IGNORED and REFUSED class attributes (inherited ones too)."""
    refused = {k: v if isinstance(v, Refusal) else Refusal(*v) for k, v in getattr(cls, "REFUSED", {}).items()}
    return FieldRules(frozenset(getattr(cls, "USED", ())), dict(getattr(cls, "IGNORED", {})), refused)
