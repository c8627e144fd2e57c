"""Empty a lab heatmap (a model change must not leave the previous model's matrix on screen)."""
from __future__ import annotations

import numpy as np


def blank_heatmap(h, title: str) -> None:
    """Show nothing in `h` (a gui.views.heatmap.Heatmap) but `title`; hovering reads nothing."""
    h.data = np.zeros((0, 0), np.float32)
    h.rows, h.cols = [], []
    h.img.clear()
    h._mark_infinite(np.ones((0, 0), bool))  # drop "−∞" cell texts
    for axis in ("left", "bottom"):
        h.plot.getAxis(axis).setTicks([[]])
    h.title.setText(title)
    h.info.setText("")
