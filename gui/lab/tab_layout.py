"""The layout the lab's tool tabs share: a row of controls, a wrapped note under it, then the body."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def tool_tab(widget: QWidget, controls, note: str, stretch_first: bool = False) -> tuple[QVBoxLayout, QLabel]:
    """Lay out `widget`: `controls` in a row (the first one stretching, or a stretch after them),
    then a word-wrapped label showing `note`. Returns the layout (add the body to it) and the label."""
    lay = QVBoxLayout(widget)
    lay.setContentsMargins(2, 2, 2, 2)
    bar = QHBoxLayout()
    for w in controls:
        bar.addWidget(w)
    if stretch_first:
        bar.setStretch(0, 1)
    else:
        bar.addStretch(1)
    lay.addLayout(bar)
    label = QLabel(note)
    label.setWordWrap(True)
    lay.addWidget(label)
    return lay, label
