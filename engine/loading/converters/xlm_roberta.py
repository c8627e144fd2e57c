"""XLMRobertaModel / XLMRobertaForMaskedLM: RoBERTa with another vocabulary (transformers'
modular_xlm_roberta subclasses RoBERTa and changes nothing in the maths)."""
from __future__ import annotations

from ..registry import register
from .roberta import Roberta, RobertaMaskedLM


@register("XLMRobertaModel")
class XLMRoberta(Roberta):
    architecture = "XLMRobertaModel"
    PREFIXES = ("roberta.",)


@register("XLMRobertaForMaskedLM")
class XLMRobertaMaskedLM(RobertaMaskedLM):
    architecture = "XLMRobertaForMaskedLM"
