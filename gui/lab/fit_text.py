"""The longest of several wordings that fits a given width (chart titles that shorten, never clip)."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF


def longest_fitting(wordings: tuple[str, ...], font: QFont, width: float) -> str:
    """The first of `wordings` (longest first) no wider than `width` px, else the last one."""
    fm = QFontMetricsF(font)
    return next((t for t in wordings if fm.horizontalAdvance(t) <= width), wordings[-1])
