"""Every number and label a view widget shows, as arrays (heatmaps, curves, bars, tables), so a
replayed view can be compared with the live one array by array."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from gui.views.heatmap import Heatmap


def view_data(w) -> dict:
    out = {}
    for i, hm in enumerate(w.findChildren(Heatmap)):
        out[f"heatmap{i}"] = np.asarray(hm.data)
        out[f"heatmap{i}.rows"] = np.asarray(hm.rows, dtype=str)
        out[f"heatmap{i}.cols"] = np.asarray(hm.cols or [], dtype=str)
    for i, pw in enumerate(w.findChildren(pg.PlotWidget)):
        for j, item in enumerate(pw.getPlotItem().items):
            if isinstance(item, pg.PlotDataItem):
                x, y = item.getData()
                out[f"plot{i}.{j}"] = np.stack([np.asarray(x if x is not None else [], float),
                                               np.asarray(y if y is not None else [], float)])
            elif isinstance(item, pg.BarGraphItem):
                out[f"bars{i}.{j}"] = np.asarray(item.opts.get("width"), float)
        ticks = pw.getPlotItem().getAxis("left")._tickLevels
        if ticks:
            out[f"ticks{i}"] = np.asarray([t for level in ticks for _, t in level], dtype=str)
    for i, v in enumerate(w.findChildren(QAbstractItemView)):
        m = v.model()
        if m is None:
            continue
        from PySide6.QtCore import QModelIndex

        rows = m.rowCount(QModelIndex())
        try:
            cols = m.columnCount(QModelIndex())
        except TypeError:  # a list model: one column
            cols = 1
        out[f"table{i}"] = np.asarray([[str(m.index(r, c).data(Qt.DisplayRole)) for c in range(cols)]
                                       for r in range(rows)], dtype=str).reshape(rows, cols)  # [row, column] (also when empty)
    return out


DEBUGGER_VIEWS = ("tokens", "embedding", "positional", "attention", "qkv", "ffn", "logit-lens", "probabilities")
LAB_CHARTS = ("bars", "timeline", "stages")


def debugger_views(app, store, context, layer: int) -> dict:
    """view_data of each debugger view (tplay render's names) drawn from `context(name)`."""
    from gui.recording_replay import debugger_step
    from gui.views.registry import VIEWS

    out = {}
    for view in DEBUGGER_VIEWS:
        widget, name = debugger_step(store, view, layer)
        w = VIEWS[widget]()
        w.resize(900, 600)
        w.show()
        w.show_step(context(name))
        app.processEvents()
        out.update({f"{view}/{k}": v for k, v in view_data(w).items()})
        w.close()
        w.deleteLater()
    app.processEvents()
    return out


def lab_charts(lab) -> dict:
    out = {}
    for chart in LAB_CHARTS:
        out.update({f"lab.{chart}/{k}": v for k, v in view_data(getattr(lab, chart)).items()})
    nodes = sorted(str(n.to_json()) for n in lab.tree.model.nodes.values())
    out["lab.tree/nodes"] = np.asarray(nodes, dtype=str)
    out["lab.output"] = np.asarray([lab.panel.output.toPlainText()], dtype=str)
    return out
