"""A row of heatmaps: a step's inputs (from its recorded provenance) and the step itself."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from engine.hook_names import kind_of
from .base import Matrix, StepContext, matrix
from .heatmap import Heatmap
from ..i18n import tr

MAX_PANELS = 3


class ProvenanceRow(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.lay = QHBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.maps = [Heatmap.take() for _ in range(MAX_PANELS)]
        for h in self.maps:
            self.lay.addWidget(h)

    def names(self, ctx: StepContext) -> list[str]:
        step = ctx.store.step(ctx.name)
        inputs = [n for n in (step.inputs if step else ()) if n in ctx.store]
        return (inputs[: MAX_PANELS - 1] + [ctx.name]) if step else []

    def show_step(self, ctx: StepContext) -> list[Matrix]:
        shown = []
        names = self.names(ctx)
        for i, h in enumerate(self.maps):
            m = matrix(ctx, names[i]) if i < len(names) else None
            h.setVisible(m is not None)
            if m is None:
                continue
            arrow = "▶ " if names[i] == ctx.name else tr("input: ")
            extra = tr(" · head {head}").format(head=ctx.head) if "head" in ctx.store.step(names[i]).axes else ""
            h.set_matrix(m.data, m.rows, None, title=f"{arrow}{names[i]}{extra}",
                         row_name=m.row_name, col_name=m.col_name)
            shown.append(m)
        return shown


def short(name: str) -> str:
    return kind_of(name).removeprefix("hook_")
