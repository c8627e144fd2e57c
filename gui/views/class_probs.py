"""A sequence classifier's output: the label probabilities as bars under the model's own id2label
names, each with its class logit. Every number is the run's: hook_class_probs and hook_class_logits
as recorded (the softmax or sigmoid was the model's step, not this view's); the names come with the
trace (meta "label_names").

The same widget is the inspector's view of the classifier's steps (first token, pooled vector,
class logits, probabilities: the step and its inputs as heatmaps above the bars) and, through
OutputSwitch, the Output dock's picture of a classifier run.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QWidget

from ..i18n import tr
from .base import StepContext, View
from .heatmap import short_label
from .provenance import MAX_PANELS, ProvenanceRow

LABEL_CHARS = 24
CLASSIFIER_KINDS = ("hook_first", "hook_pooled", "hook_class_logits", "hook_class_probs")


def step_named(store, kind: str) -> str | None:
    """The store's step of this kind ('classifier.hook_class_probs'), if it was recorded."""
    return next((n for n in store.order if n.rsplit(".", 1)[-1] == kind and n in store), None)


def is_classifier_run(store) -> bool:
    return bool(store is not None and store.meta.get("label_names") and step_named(store, "hook_class_probs"))


class ClassProbsView(View):
    name = "class-probs"
    heatmaps = MAX_PANELS

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.row = ProvenanceRow()
        self.row.setMaximumHeight(170)
        lay.addWidget(self.row)
        self.widget = pg.PlotWidget(background="w", enableMenu=False)
        self.plot = self.widget.getPlotItem()
        self.plot.invertY(True)
        self.plot.setLabel("bottom", tr("probability"))
        self.plot.setXRange(0, 1.08, padding=0)
        self.plot.getAxis("bottom").setTicks([[(v, f"{v:g}") for v in (0, 0.25, 0.5, 0.75, 1)]])
        lay.addWidget(self.widget, 1)
        self.bars = pg.BarGraphItem(x0=0, y=[0], height=0.7, width=[0], brush=(30, 140, 90))
        self.plot.addItem(self.bars)
        self.values: list[pg.TextItem] = []
        self.shown: dict | None = None  # what the bars show: {"labels", "probs", "logits"} (tests read it)

    def show_step(self, ctx: StepContext) -> None:
        s = ctx.store
        inside = ctx.name.rsplit(".", 1)[-1] in CLASSIFIER_KINDS and ctx.name in s
        self.row.setVisible(inside)
        if inside:
            self.row.show_step(ctx)
        names = list(s.meta.get("label_names") or [])
        probs_name, logits_name = step_named(s, "hook_class_probs"), step_named(s, "hook_class_logits")
        if not names or probs_name is None or logits_name is None:
            self.note.setText(tr("this run recorded no label probabilities (not a sequence classifier)"))
            self._draw([], np.zeros(0), np.zeros(0))
            return
        probs = s[probs_name][0].float().numpy()  # [label]
        logits = s[logits_name][0].float().numpy()
        self._draw(names, probs, logits)
        step = s.step(probs_name)
        what = tr("sum to 1") if "softmax" in step.description else tr("are each label's own (sigmoid)")
        shown = s.step(ctx.name).description if inside else step.description
        self.note.setText(tr("{description} · {n} labels, from the first token; the probabilities {what}")
                          .format(description=shown, n=len(names), what=what))

    def _draw(self, labels: list[str], probs: np.ndarray, logits: np.ndarray) -> None:
        self.shown = {"labels": labels, "probs": probs.tolist(), "logits": logits.tolist()}
        n = len(labels)
        while len(self.values) < n:
            t = pg.TextItem("", color=(40, 40, 40), anchor=(0, 0.5))
            self.plot.addItem(t)
            self.values.append(t)
        self.bars.setOpts(y=np.arange(max(n, 1)), width=probs if n else np.zeros(1))
        for i, t in enumerate(self.values):
            if i < n:
                big = probs[i] >= 0.5  # a long bar carries its label inside, in white
                t.setText(tr("{p:.4f}  (logit {logit:.3f})").format(p=probs[i], logit=logits[i]))
                t.setColor((255, 255, 255) if big else (40, 40, 40))
                t.setAnchor((1, 0.5) if big else (0, 0.5))
                t.setPos(float(probs[i]), i)
            else:
                t.setText("")
        ticks = [(i, short_label(lb, LABEL_CHARS)) for i, lb in enumerate(labels)]
        left = self.plot.getAxis("left")
        left.setTicks([ticks])
        # wide enough for the longest name now (pyqtgraph widens only on a later paint, which a
        # one-shot render never gets); the bars keep at least 60 % of the width
        widest = max((QFontMetrics(QFont()).horizontalAdvance(t) for _, t in ticks), default=0) + 16
        left.setWidth(max(40, min(widest, int(self.width() * 0.4) or widest)))
        self.plot.setYRange(-0.6, max(n, 1) - 0.4, padding=0)


class OutputSwitch:
    """Lets the Output view hand a classifier run to a ClassProbsView: the host calls take(ctx)
    first and draws itself only when it returns False. What the host showed is hidden meanwhile."""

    def __init__(self, host: QWidget):
        self.host = host
        self.view: ClassProbsView | None = None
        self.hidden: list[QWidget] = []

    def take(self, ctx: StepContext) -> bool:
        if not is_classifier_run(ctx.store):
            self._release()
            return False
        if self.view is None:
            self.view = ClassProbsView()
            self.host.layout().addWidget(self.view, 1)
        if not self.hidden:
            lay = self.host.layout()
            others = [lay.itemAt(i).widget() for i in range(lay.count())]
            self.hidden = [w for w in others if w is not None and w is not self.view and not w.isHidden()]
            for w in self.hidden:
                w.hide()
        self.view.show()
        self.view.show_step(ctx)
        return True

    def _release(self) -> None:
        if self.view is not None:
            self.view.hide()
        for w in self.hidden:
            w.show()
        self.hidden = []
