"""Reading values back from QSettings, where a hand-edited or damaged file may hold anything.

An INI file gives text for everything ("3", "true"), a list for repeated values, and one
plain text for a list of one; another backend may give real ints and bools. Each reader
returns the value as the kind asked for, or a default / None: never an exception, so a bad
settings file can't stop the window from starting.
"""
from __future__ import annotations


def as_kind(raw, kind):
    """`raw` as `kind` (str, int, float), or None when it is not one ("2.5" is no int; a list is
    never a single value; a bool is never a number)."""
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        return None
    if kind is str:
        return raw if isinstance(raw, str) else None
    try:
        return kind(str(raw))
    except (TypeError, ValueError):  # TypeError: a kind that takes no text (NoneType, dataclasses.MISSING)
        return None


def as_int(raw, default: int) -> int:
    v = as_kind(raw, int)
    return default if v is None else v


def as_text(raw, default: str | None = None) -> str | None:
    v = as_kind(raw, str)
    return default if v is None else v


def as_names(raw) -> tuple[str, ...]:
    """Stored names: a list of text (one name reads back as plain text); anything else is none."""
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        return ()
    return tuple(dict.fromkeys(x for x in raw if isinstance(x, str) and x))
