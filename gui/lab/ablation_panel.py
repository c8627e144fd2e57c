"""Head interventions: a layers × heads grid; click a cell to cycle off → zero → mean → scale.

Apply runs the text so far twice in the worker (as is, and with the edits through
engine.interventions) and shows the next-token chart before and after side by side.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QWidget)

from ..worker import Job
from .prob_bars import LABEL_WIDTH, ProbBars, short
from .tab_layout import tool_tab
from ..i18n import N_, tr

CYCLE = ["", "zero", "mean", "scale"]
HINT = N_("runs the lab's prompt (the box on the left) plus what the lab generated, not the debugger's · "
          "click a cell (row = layer, column = head) to choose it: each click cycles off → 0 zero → μ mean → × scale")
NONE_CHOSEN = N_("choose at least one head in the grid, then Apply")
MODE_NAME = {"": N_("unchanged"), "zero": N_("zero"), "mean": N_("mean"), "scale": N_("scale")}
MARK = {"": "", "zero": "0", "mean": "μ", "scale": "×"}
COLOURS = {"": QColor("white"), "zero": QColor(240, 120, 120), "mean": QColor(240, 200, 110),
           "scale": QColor(150, 190, 240)}


def paint_cell(item: QTableWidgetItem, mode: str) -> None:
    """An edited head in its mode's colour with dark ink; an unchanged one in the theme's colours."""
    if mode:
        item.setBackground(COLOURS[mode])
        item.setForeground(QColor(20, 20, 20))
    else:
        item.setData(Qt.BackgroundRole, None)
        item.setData(Qt.ForegroundRole, None)


def head_choices(model) -> dict:
    """The model's head stacks by label, the one nearest the output first (cross-attention first)."""
    stacks = sorted(model.head_stacks, key=lambda s: (s.prefix != model.output_stack, not s.cross))
    return {s.label: s for s in stacks}


class AblationPanel(QWidget):
    resultReady = Signal(object)  # {"before": {...}, "after": {...}}
    failed = Signal(str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctl = controller
        self.module = QComboBox()
        self.factor = QDoubleSpinBox()
        self.factor.setRange(-10, 10)
        self.factor.setSingleStep(0.1)
        self.factor.setValue(0.5)
        self.factor.setPrefix(tr("scale × "))
        self.apply_btn = QPushButton(tr("Apply"))
        self.reset_btn = QPushButton(tr("Reset"))
        lay, self.hint = tool_tab(self, (QLabel(tr("module")), self.module, self.factor, self.apply_btn,
                                         self.reset_btn), tr(HINT))
        body = QHBoxLayout()
        self.grid = QTableWidget(0, 0)
        self.grid.setEditTriggers(QTableWidget.NoEditTriggers)
        self.grid.setMaximumWidth(320)
        self.grid.cellClicked.connect(self.cycle)
        body.addWidget(self.grid)
        self.before = ProbBars(n=10, title=tr("before"))
        self.after = ProbBars(n=10, title=tr("after"))
        for bars in (self.before, self.after):
            bars.setMinimumWidth(LABEL_WIDTH + 60)  # the token labels and some bar (the grid scrolls)
        body.addWidget(self.before, 1)
        body.addWidget(self.after, 1)
        lay.addLayout(body, 1)
        self.note = QLabel(tr(NONE_CHOSEN))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.modes: dict[tuple[int, int], str] = {}
        self.choices: dict = {}  # label -> HeadStack of the loaded model
        self.result: dict | None = None
        self._running = False
        self.apply_btn.clicked.connect(self.apply)
        self.reset_btn.clicked.connect(self.reset)
        self.module.currentIndexChanged.connect(lambda _i: self._clear_modes())

    def set_model(self, lm) -> None:
        self.choices = head_choices(lm.model)
        self.module.blockSignals(True)
        self.module.clear()
        for key, s in self.choices.items():  # shown in the interface's language, looked up by key
            what = tr("cross-attention") if s.cross else tr("self-attention")
            self.module.addItem(f"{s.stack} {what}" if s.stack else what, key)
        self.module.blockSignals(False)
        self._clear_modes()
        self.result = None
        self.before.clear_bars(tr("before"))
        self.after.clear_bars(tr("after"))
        self.note.setText(tr(NONE_CHOSEN))

    def _layers(self) -> int:
        return self._stack().n_layers

    def _stack(self):
        """The chosen HeadStack (module, stack prefix, layers)."""
        return self.choices.get(self.module.currentData()) or next(iter(self.choices.values()))

    def _module(self) -> tuple[str, str | None]:
        s = self._stack()
        return s.module, s.stack

    def _sync_apply(self) -> None:
        """Apply needs a model, at least one chosen head and no Apply still running."""
        self.apply_btn.setEnabled(bool(self.modes) and self.ctl.lm is not None and not self._running)
        self.apply_btn.setToolTip("" if self.modes else tr(NONE_CHOSEN))

    def _clear_modes(self) -> None:
        self.modes = {}
        self._sync_apply()
        if self.ctl.lm is None:
            return
        L, H = self._layers(), self.ctl.lm.cfg.n_heads
        self.grid.setRowCount(L)
        self.grid.setColumnCount(H)
        self.grid.setVerticalHeaderLabels([f"L{i}" for i in range(L)])
        self.grid.setHorizontalHeaderLabels([f"h{j}" for j in range(H)])
        for i in range(L):
            for j in range(H):
                self.grid.setItem(i, j, QTableWidgetItem(""))
                self.grid.item(i, j).setTextAlignment(Qt.AlignCenter)
        self.grid.resizeColumnsToContents()

    def set_mode(self, layer: int, head: int, mode: str) -> None:
        if mode:
            self.modes[(layer, head)] = mode
        else:
            self.modes.pop((layer, head), None)
        self._sync_apply()
        item = self.grid.item(layer, head)
        if item is not None:
            item.setText(MARK[mode])
            item.setToolTip(tr("layer {layer} head {head}: {mode}").format(layer=layer, head=head, mode=tr(MODE_NAME[mode])))
            paint_cell(item, mode)

    def cycle(self, layer: int, head: int) -> None:
        cur = self.modes.get((layer, head), "")
        self.set_mode(layer, head, CYCLE[(CYCLE.index(cur) + 1) % len(CYCLE)])

    def edits(self) -> list:
        from engine.interventions import HeadEdit

        module, stack = self._module()
        return [HeadEdit(L, h, m, self.factor.value(), module, stack) for (L, h), m in sorted(self.modes.items())]

    def apply(self) -> None:
        if self.ctl.lm is None:
            self.failed.emit(tr("no model is loaded yet"))
            return
        if not self.modes:
            self.note.setText(tr(NONE_CHOSEN))
            return
        from .lab_calls import next_token_top

        lm = self.ctl.lm
        ids, target = self.ctl.context_ids()
        edits = self.edits()
        job = Job(next_token_top, lm, ids, target, edits, name="ablation", cancel=True)
        # what the job says is about `lm`: once another model is in, its panel has moved on
        job.signals.finished.connect(lambda r, e=edits: self._show(r, e) if lm is self.ctl.lm else None)
        job.signals.failed.connect(lambda m: self._failed(m) if lm is self.ctl.lm else None)
        job.signals.cancelled.connect(lambda: self.ctl.say_stopped(self.note.setText, tr("Apply"))
                                      if lm is self.ctl.lm else None)
        self._running = True
        self._sync_apply()
        job.signals.done.connect(self._done)
        self.ctl.submit(job)

    def _done(self) -> None:
        self._running = False
        self._sync_apply()

    def _failed(self, msg: str) -> None:
        self.note.setText(f"<span style='color:#c00'>{msg}</span>")
        self.failed.emit(msg)

    def _show(self, r: dict, edits) -> None:
        self.result = r
        b, a = r["before"], r["after"]
        self.before.set_bars(b["tokens"], b["probs"], None, tr("before (no edits)"), b["ids"])
        self.after.set_bars(a["tokens"], a["probs"], None, tr("after ({n} head edit(s))").format(n=len(edits)), a["ids"])
        top_b, top_a = b["tokens"][0], a["tokens"][0]
        what = "; ".join(e.describe() for e in edits) or tr("no edits")
        text = short(self.ctl.panel.prompt.text(), 40)
        self.note.setText(tr("on the lab's text “{text}”{generated} · {what} · top token ‘{top_b}’ p={p_b:.4f} → ‘{top_a}’ p={p_a:.4f}").format(
            text=text, generated=tr(" + generated") if self.ctl.run.tokens else "", what=what, top_b=top_b,
            p_b=b['probs'][0], top_a=top_a, p_a=a['probs'][0]))
        self.resultReady.emit(r)

    def reset(self) -> None:
        for key in list(self.modes):
            self.set_mode(*key, "")
        if self.result is not None:
            b = self.result["before"]
            self.after.set_bars(b["tokens"], b["probs"], None, tr("after = before (edits reset)"), b["ids"])
        self.note.setText(tr("edits reset: the model runs unchanged · ") + tr(NONE_CHOSEN))
