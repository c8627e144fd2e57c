"""Q, K, V of one head side by side ([position × d_head]), then z = pattern·V and the head's
result after W_O. For grouped-query attention, K and V show the kv head serving the query head."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from .base import StepContext, View, matrix
from .heatmap import Heatmap, with_zoom_hint
from ..i18n import N_, tr

ROWS = (
    (("hook_q", "hook_rot_q"), ("hook_k", "hook_rot_k"), ("hook_v",)),
    (("hook_z",), ("hook_result",)),
)
LABEL = {"hook_q": "Q", "hook_rot_q": N_("Q after RoPE"), "hook_k": "K", "hook_rot_k": N_("K after RoPE"),
         "hook_v": "V", "hook_z": N_("z = pattern·V"), "hook_result": N_("head result = z·W_O[h]")}


class QKVView(View):
    name = "qkv"
    heatmaps = sum(len(row) for row in ROWS)

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        grid_host = QWidget()
        self.grid = QGridLayout(grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(grid_host, 1)
        self.maps: dict[str, Heatmap] = {}
        for r, row in enumerate(ROWS):
            for c, kinds in enumerate(row):
                h = Heatmap.take()
                self.grid.addWidget(h, r, c)
                self.maps[kinds[0]] = h

    def _pick(self, ctx: StepContext, kinds: tuple[str, ...]) -> str | None:
        """Prefer the current step, then the rotated version, then the plain one."""
        names = [ctx.sibling(k) for k in kinds]
        if ctx.name in names:
            return ctx.name
        for n in reversed(names):
            if n in ctx.store:
                return n
        return None

    def show_step(self, ctx: StepContext) -> None:
        notes = []
        for row in ROWS:
            for kinds in row:
                h = self.maps[kinds[0]]
                name = self._pick(ctx, kinds)
                m = matrix(ctx, name) if name else None
                h.setVisible(m is not None)
                if m is None:
                    continue
                kind = name.rsplit(".", 1)[-1]
                mark = "▶ " if name == ctx.name else ""
                head = m.note.split(" serves")[0] if m.note else tr("head {head}").format(head=ctx.head)
                h.set_matrix(m.data, m.rows, None, title=f"{mark}{tr(LABEL.get(kind, kind))} · {head}",
                             row_name=m.row_name, col_name=m.col_name)
                if m.note and m.note not in notes:
                    notes.append(m.note)
        step = ctx.store.step(ctx.name)
        note = " · ".join([f"{ctx.layer}: {step.description}" if step else ctx.name] + notes)
        self.note.setText(with_zoom_hint(note, self.maps.values()))
