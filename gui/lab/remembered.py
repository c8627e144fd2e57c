"""The lab's remembered settings: its prompt, every GenerationSettings knob and the open tab, kept
in the window's QSettings under "lab/" from one launch to the next.

A stored value the lab can no longer show (a strategy that is gone, a number outside its knob's
range, text where a number belongs) is skipped and that knob keeps its default: a stale or
hand-edited settings file never stops the window from starting.
"""
from __future__ import annotations

from ..stored import as_kind
from .lab_calls import GenerationSettings

GROUP = "lab"


def write(st, values: dict) -> None:
    """Store `values` (key -> str / int / float) under lab/."""
    st.beginGroup(GROUP)
    for k, v in values.items():
        st.setValue(k, v)
    st.endGroup()


def read(st) -> dict:
    """Every value stored under lab/, as QSettings returns it (from an INI file: str, or a list
    for unquoted text with commas)."""
    st.beginGroup(GROUP)
    raw = {k: st.value(k) for k in st.childKeys()}
    st.endGroup()
    return raw


def text(raw: dict, key: str, allowed=None) -> str | None:
    """The stored text for `key` when it is one (and in `allowed`, if given), else None."""
    v = as_kind(raw.get(key), str)
    return v if v is not None and (allowed is None or v in allowed) else None


def settings_from(raw: dict, panel) -> GenerationSettings:
    """The panel's settings with every stored value it accepts put in; the others stay as they are."""
    good = {}
    for name, kind in GenerationSettings.kinds().items():  # processors registered since import count too
        v = as_kind(raw.get(name), kind)
        if v is not None and panel.accepts(name, v):
            good[name] = v
    return GenerationSettings.from_flat({**panel.settings().flat(), **good})
