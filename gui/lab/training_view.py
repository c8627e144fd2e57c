"""Training view: train the micro translator live — loss curve, the probe's predicted distribution
per position next to its one-hot target, and a cross-attention snapshot that sharpens as it
learns; pause / resume / stop; save the result as a loadable model folder.

Training runs on its own worker thread (its own model), reporting through the engine Trainer's
callbacks; the UI thread only moves arrays into existing plot items. Until the first report a
sentence stands where the charts go; the four charts sit 2×2 when there is height, else in a row.
"""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout, QWidget

from ..worker import Job, Jobs, Relay
from .placeholder import Placeholder
from .token_heatmap import TokenHeatmap
from .two_by_two import TwoByTwo
from .. import theme
from ..i18n import N_, tr

STEPS = (10, 100000)  # the steps box's range (tplay render --train-steps checks against it too)
IDLE = N_("press Train to start: the loss curve and attention appear here")
STARTING = N_("training: building the tokenizer and the model; the charts appear at the first report")


def _button(text: str, tip: str) -> QToolButton:
    """A compact button (a QPushButton is at least 80 px wide: the row would widen the whole lab)."""
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    return b


class TrainingView(QWidget):
    reported = Signal(object)  # engine StepReport
    finished = Signal(object)  # engine TrainResult
    saved = Signal(str)
    saveFailed = Signal(str)  # one line: why the model could not be saved (nothing was changed)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.jobs = Jobs(self)  # its own thread: training must not block the debugger's engine calls
        self.relay = Relay()
        self.relay.item.connect(self.show_report)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.controls = QWidget()  # the buttons: hidden in a rendered picture (tplay render)
        bar = QHBoxLayout(self.controls)
        bar.setContentsMargins(0, 0, 0, 0)
        self.steps = QSpinBox()
        self.steps.setRange(*STEPS)
        self.steps.setValue(300)
        self.steps.setPrefix(tr("steps "))
        self.start_btn = _button(tr("Train"), tr("train the micro translator for this many steps"))
        self.pause_btn = _button(tr("Pause"), tr("pause after the current step (Resume goes on)"))
        self.stop_btn = _button(tr("Stop"), tr("stop after the current step"))
        self.save_btn = _button(tr("Save…"), tr("save the trained model as a loadable model folder"))
        for w in (self.steps, self.start_btn, self.pause_btn, self.stop_btn, self.save_btn):
            bar.addWidget(w)
        bar.addStretch(1)
        lay.addWidget(self.controls)
        self.note = QLabel(tr("trains a 1-layer encoder-decoder on the example sentences (je suis étudiant → i am a student)"))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.loss_plot = pg.PlotWidget(background=theme.chart_background(), title=tr("training loss"))
        self.loss_plot.setLabel("bottom", tr("step"))
        self.loss_plot.setLabel("left", tr("cross-entropy (nats)"))
        self.loss_plot.getPlotItem().setMenuEnabled(False)
        self.curve = self.loss_plot.plot([], [], pen=pg.mkPen((200, 60, 30), width=2), symbol="o", symbolSize=4)
        self.pred = TokenHeatmap(title=tr("predicted distribution per position"))
        self.target = TokenHeatmap(title=tr("one-hot target"))
        self.attn = TokenHeatmap(title=tr("cross-attention snapshot"))
        self.charts = TwoByTwo((self.loss_plot, self.attn, self.pred, self.target))
        self.placeholder = Placeholder(self.charts, tr(IDLE))  # no empty axes before the first report
        lay.addWidget(self.placeholder, 1)
        self.run = None
        self.control = None
        self.history: list = []
        self.result = None
        self.running = False
        self.stopped_why = ""  # said when a run ends stopped (see stop())
        self.start_btn.clicked.connect(lambda: self.start())
        self.pause_btn.clicked.connect(self.toggle_pause)
        self.stop_btn.clicked.connect(lambda: self.stop())
        self.save_btn.clicked.connect(self._save_dialog)
        self._buttons(False)

    def _buttons(self, running: bool) -> None:
        self.running = running
        self.start_btn.setEnabled(not running)
        self.pause_btn.setEnabled(running)
        self.stop_btn.setEnabled(running)
        self.save_btn.setEnabled(not running and self.run is not None)

    def start(self, steps: int | None = None) -> None:
        from engine.training import Control

        from .training_calls import train_micro

        self.control = Control()
        self.stopped_why = ""
        self.history = []
        self.run = None
        self.curve.setData([], [])
        self.placeholder.say(tr(STARTING))
        job = Job(train_micro, steps or self.steps.value(), self.relay.item.emit, self.control,
                  name="training", cancel=True)
        job.signals.finished.connect(self.show_result)
        job.signals.failed.connect(self._failed)
        self._buttons(True)
        self.pause_btn.setText(tr("Pause"))
        self.jobs.submit(job)

    def _failed(self, msg: str) -> None:
        self.note.setText(f"<span style='color:#c00'>{msg}</span>")
        self._buttons(False)
        if not self.history:
            self.placeholder.say(tr(IDLE))

    def toggle_pause(self) -> None:
        if self.control is None:
            return
        if self.control.paused:
            self.control.resume()
            self.pause_btn.setText(tr("Pause"))
        else:
            self.control.pause()
            self.pause_btn.setText(tr("Resume"))

    def stop(self, why: str = "") -> None:
        """Stop after the current step; `why` is said when the run ends."""
        if self.control is not None:
            if self.running and why:
                self.stopped_why = why
                self.note.setText(tr("stopping: {why}…").format(why=why))
            self.control.stop()

    def show_report(self, rep) -> None:
        from .training_calls import MicroRun

        if isinstance(rep, MicroRun):
            self.run = rep
            return
        self.history.append(rep)
        self.placeholder.show_chart()
        self.curve.setData(np.array([r.step for r in self.history], float),
                           np.array([r.loss for r in self.history], float))
        self.note.setText(tr("step {step}/{total} · loss {loss:.4f} · token accuracy {accuracy:.0%} · lr {lr:.2e}")
                          .format(step=rep.step, total=rep.total, loss=rep.loss, accuracy=rep.accuracy, lr=rep.lr))
        snap = rep.snapshot
        if snap is not None and self.run is not None:
            probs = snap.probs.numpy()  # [pos, vocab]
            vocab = self.run.vocab
            cols = sorted(set(snap.labels) | set(np.argsort(-probs, axis=1)[:, :3].ravel().tolist()))
            onehot = np.zeros((len(snap.labels), len(cols)))
            for r, t in enumerate(snap.labels):
                onehot[r, cols.index(t)] = 1.0
            rows = [vocab[t] for t in snap.labels]
            names = [vocab[c] for c in cols]
            self.pred.set_matrix(probs[:, cols], rows, names, title=tr("predicted p per position (probe)"),
                                 row_name=N_("target position"), col_name=N_("token"), diverging=False)
            self.target.set_matrix(onehot, rows, names, title=tr("one-hot target"), row_name=N_("target position"),
                                   col_name=N_("token"), diverging=False)
            if snap.attention:
                name, pat = next(iter(snap.attention.items()))  # [head, query, key]
                src = [vocab[i] for i in snap.input_ids]
                self.attn.set_matrix(pat[0].numpy(), rows, src, title=tr("{module} head 0").format(module=name.rsplit('.', 2)[0]),
                                     row_name=N_("target"), col_name=N_("source"), diverging=False)
        self.reported.emit(rep)

    def show_result(self, out) -> None:
        self.run, result = out
        self.result = result
        self._buttons(False)
        if not self.history:  # stopped before the first report: nothing to draw
            self.placeholder.say(tr(IDLE))
        why = ": " + self.stopped_why if self.stopped_why else ""
        stopped = tr(" (stopped{why})").format(why=why) if result.stopped_early else ""
        self.note.setText(self.note.text() + tr(" · done in {s:.1f} s").format(s=result.elapsed_s) + stopped)
        self.finished.emit(result)

    def save_to(self, folder: str) -> str:
        from .training_calls import save_micro

        path = str(save_micro(self.run, folder))
        self.saved.emit(path)
        return path

    def _save_dialog(self) -> None:
        from engine.errors import PlaygroundError

        folder = QFileDialog.getExistingDirectory(self, tr("Save the trained model into a folder"))
        if not folder:
            return
        try:
            path = self.save_to(folder)
        except PlaygroundError as e:  # a folder of other files, a full or read-only disk: the old one is kept
            self.note.setText(f"<span style='color:#c00'>{html.escape(str(e))}</span>")
            return self.saveFailed.emit(str(e))
        self.note.setText(tr("saved to {path} — open it with File ▸ Open model folder").format(path=path))
