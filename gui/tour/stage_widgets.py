"""Draw a PreparedStop: the debugger's views for trace stops, the lab's widgets for lab stops,
and the positional-encoding picture with its diagram half labelled as a diagram.

`build(prep, step)` returns a Stage: the widget to show, the heatmap the highlight goes on, and
what to close afterwards (the lab widget that owns a lab stage's chart)."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..views.base import StepContext
from ..views.heatmap import Heatmap
from ..i18n import tr  # the app's one translation context (resources/i18n)




@dataclass
class Stage:
    widget: QWidget
    heatmap: Heatmap | None = None  # where the highlight is drawn (None: no cell to point at)
    owners: list = field(default_factory=list)  # widgets to close with the stage
    home: QWidget | None = None  # a lab chart goes back to its (hidden, reused) lab instead of closing


def _trace_view(prep, step: int, cache: dict) -> Stage:
    from ..views.registry import VIEWS

    w = VIEWS[prep.stop.view]()
    name = prep.steps[min(step, len(prep.steps) - 1)]
    w.show_step(StepContext(prep.store, name, prep.head, prep.position, prep.lm.tokenizer, {}))
    maps = [h for h in w.findChildren(Heatmap)]
    return Stage(w, getattr(w, "heatmap", None) or (maps[0] if maps else None))


class PositionsDiagram(QWidget):
    """The model's real position table beside the paper's formula drawn at 20 × 512 (a diagram)."""

    def __init__(self, prep):
        super().__init__()
        from engine.models.components import sinusoidal_table

        v = prep.values
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.real = Heatmap()
        pe = prep.store[prep.steps[0]].float().numpy()  # [pos, d_model]
        self.real.set_matrix(pe, prep.store.tokens_for(prep.steps[0]), None, row_name="position", col_name="dimension",
                             title=tr("this model: %1, %2 positions × %3 dimensions (from the run)")
                             .replace("%1", prep.steps[0]).replace("%2", str(pe.shape[0])).replace("%3", str(pe.shape[1])))
        n, d = v.get("paper_positions", 20), v.get("paper_d_model", 512)
        self.diagram = Heatmap()
        self.diagram.set_matrix(sinusoidal_table(n, d).numpy(), None, None, row_name="position", col_name="dimension",
                                title=tr("DIAGRAM: the paper's formula at %1 × %2 (not this model's tensor)")
                                .replace("%1", str(n)).replace("%2", str(d)))
        row.addWidget(self.real, 1)
        row.addWidget(self.diagram, 1)
        lay.addLayout(row, 1)
        self.note = QLabel(tr("Left: the tensor this model adds to its embeddings. Right: a diagram computed from "
                              "the formula sin | cos at the paper's size, drawn for comparison."))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.heatmap = self.real


def _positions(prep, step: int, cache: dict) -> Stage:
    w = PositionsDiagram(prep)
    return Stage(w, w.real)


def _lab(prep, cache: dict, step: int):
    """The lab (one per presenter, hidden: building one costs a second) fed the stop's run."""
    from ..lab.lab_widget import LabWidget
    from .prepare import settings_for

    if "lab" not in cache:
        cache["lab"] = LabWidget()
    lab = cache["lab"]
    ctl = lab.controller
    lab.panel.prompt.setText(prep.stop.prompt)
    lab.panel.set_settings(settings_for(prep.stop))
    ctl.set_model(prep.lm, prep.lm.name)
    ctl.start()  # tokenizes and resets the charts; the run itself was done by prepare()
    for ev in prep.events[:step + 1]:  # F10 replays the run one generation step at a time
        ctl.charts.receive(ev)
    ctl.charts.flush()
    return lab


def _beam(prep, step: int, cache: dict) -> Stage:
    lab = _lab(prep, cache, step)
    w = lab.tree
    home = w.parentWidget()
    w.setParent(None)
    return Stage(w, None, home=home)


def _greedy(prep, step: int, cache: dict) -> Stage:
    lab = _lab(prep, cache, step)
    w = lab.translation
    home = w.parentWidget()
    w.setParent(None)
    w.example.hide()  # a tour picture has no example buttons to press
    w.summary.hide()
    w.layer.setValue(prep.layer)
    w.head.setCurrentIndex(prep.head + 1 if prep.stop.head is not None else 0)
    return Stage(w, None, home=home)


def _training(prep, step: int, cache: dict) -> Stage:
    from ..lab.training_view import TrainingView

    run, reports, result = prep.training
    w = TrainingView()
    w.controls.hide()
    w.show_report(run)
    w.history = list(reports[:-1])  # the loss curve's earlier points; the last report draws it all once
    w.show_report(reports[-1])
    w.show_result((run, result))
    return Stage(w, w.pred)


BUILDERS = {"positions-diagram": _positions, "beam": _beam, "greedy": _greedy, "training": _training}


def build(prep, step: int = 0, cache: dict | None = None) -> Stage:
    """The stop's widget at F10 step `step`; `cache` keeps widgets worth reusing between stops."""
    return BUILDERS.get(prep.stop.view, _trace_view)(prep, step, {} if cache is None else cache)


def close(stage: Stage) -> None:
    if stage.home is not None:
        stage.widget.hide()
        stage.widget.setParent(stage.home)
    else:
        stage.widget.close()
        stage.widget.deleteLater()
    for w in stage.owners:
        w.close()
        w.deleteLater()


def close_cache(cache: dict) -> None:
    for w in cache.values():
        w.close()
        w.deleteLater()
    cache.clear()
