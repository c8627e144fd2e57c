"""Caption templates: every number is a {placeholder} (with an optional format, {weight:.3f})
filled from the stop's facts; a placeholder no fact provides is an error, not a blank."""
from __future__ import annotations

import string

from ..errors import InputError

_FMT = string.Formatter()


def placeholders(template: str) -> list[str]:
    """The field names a template uses, in order."""
    return [name for _, name, _, _ in _FMT.parse(template) if name]


def literal_text(template: str) -> str:
    """The template without its placeholders (a test checks no number is typed in there)."""
    return "".join(lit for lit, _, _, _ in _FMT.parse(template))


def fill_caption(template: str, values: dict, where: str = "the caption") -> str:
    missing = [n for n in placeholders(template) if n not in values]
    if missing:
        have = ", ".join(sorted(k for k in values if not k.startswith("_"))) or "none"
        raise InputError(f"{where} uses {{{missing[0]}}}, which no fact of the stop provides (facts give: {have})")
    try:
        return _FMT.vformat(template, (), values)
    except (ValueError, TypeError, IndexError) as e:
        raise InputError(f"{where}: bad placeholder format ({e})") from None
