"""Inspector: the current step — its name, description, shape and inputs, a head and a
position selector — and the view that draws it (chosen by the step's kind)."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QStackedWidget, QVBoxLayout, QWidget

from ..trace_store import TOKENS
from ..views.base import StepContext, View
from ..views.heatmap import Heatmap, render_queue
from ..views.registry import VIEWS, view_name_for
from ..i18n import tr
from .navigator import step_label

ANNOUNCE_AFTER_MS = 1000  # viewShown at the latest this long after a view was asked for, drawn or not


class Inspector(QWidget):
    headChanged = Signal(int)
    positionChanged = Signal(int)
    viewShown = Signal(str)  # step name, after its view has drawn it

    def __init__(self, parent=None):
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.setContentsMargins(4, 4, 4, 4)
        self.header = QLabel(tr("Load a model, type a prompt and press Enter."))
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.RichText)
        bar = QHBoxLayout()
        self.head = QSpinBox()
        self.head.setPrefix(tr("head "))
        self.position = QSpinBox()
        self.position.setPrefix(tr("position "))
        self.position.setMinimum(-1)
        self.position.setSpecialValueText(tr("position: last"))
        self.position.setValue(-1)
        self.pending = QLabel("")
        bar.addWidget(self.head)
        bar.addWidget(self.position)
        bar.addWidget(self.pending, 1)
        self.stack = QStackedWidget()
        v.addWidget(self.header)
        v.addLayout(bar)
        v.addWidget(self.stack, 1)
        self.views: dict[str, View] = {}
        self.current_view: View | None = None
        self._shown_for: tuple | None = None  # (view, step name) last shown: what viewShown will announce
        self.head.valueChanged.connect(self.headChanged)
        self.position.valueChanged.connect(self.positionChanged)

    def view(self, name: str) -> View:
        if name not in self.views:
            w = VIEWS[name]()
            self.views[name] = w
            self.stack.addWidget(w)
            if hasattr(w, "positionClicked"):
                w.positionClicked.connect(self.position.setValue)
        return self.views[name]

    def set_limits(self, heads: int, positions: int) -> None:
        self.head.setMaximum(max(heads - 1, 0))
        self.position.setMaximum(max(positions - 1, 0))

    def show_selection(self, head: int, position: int, heads: int, positions: int) -> None:
        """Show a head and position chosen elsewhere (restored, or a grid click) without
        announcing them back."""
        self.set_limits(heads, positions)
        for box, value in ((self.head, head), (self.position, position)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def show_hint(self, text: str) -> None:
        """What to do next, while no step is shown (a model loaded, a prompt refused)."""
        if self.current_view is None:
            self.header.setText(text)

    def show_pending(self, name: str) -> None:
        self.pending.setText(tr("capturing {layer}…").format(layer=name.split('.hook')[0]))

    def show_context(self, ctx: StepContext) -> None:
        self.pending.setText("")
        step = ctx.store.step(ctx.name, ctx.head)
        if ctx.name == TOKENS:
            self.header.setText(tr("<b>tokens</b> — the tokenizer's output: text → token ids"))
        elif step is not None:
            shape = "×".join(str(s) for s in step.tensor.shape)
            if getattr(step, "heads", None):  # a long prompt: this head's matrix recomputed alone
                shape += f" (head {', '.join(map(str, step.heads))} of {ctx.store.n_heads}, recomputed alone)"
            ins = ", ".join(step.inputs) or "—"
            self.header.setText(tr("<b>{name}</b> · {label} — {description}<br>"
                                   "<small>[{axes}] = [{shape}] · from: {inputs}</small>")
                                .format(name=ctx.name, label=step_label(ctx.name, step.description),
                                        description=step.description, axes=", ".join(step.axes), shape=shape, inputs=ins))
        self.set_limits(ctx.store.n_heads, len(ctx.store.tokens_for(ctx.name)))
        view = self.view(view_name_for(ctx.name))
        self.stack.setCurrentWidget(view)
        self.current_view = view
        view.show_step(ctx)
        self._announce(view, ctx.name)

    def _announce(self, view: View, name: str) -> None:
        """viewShown once the view is drawn: at once, or when its large matrices' images, drawn one
        per event-loop turn (gui/views/heatmap.py RenderQueue), are all in."""
        self._shown_for = (view, name)

        def waiting() -> bool:
            return any(h.pending and h.isVisible() for h in view.findChildren(Heatmap))

        if not waiting():
            self.viewShown.emit(name)
            return

        done = []

        def check(*_) -> None:
            if done:
                return
            if self._shown_for != (view, name):  # another step was shown meanwhile: it announces itself
                done.append(True)
            elif not waiting():
                done.append(True)
                self.viewShown.emit(name)
            if done:
                render_queue.rendered.disconnect(check)

        render_queue.rendered.connect(check)
        QTimer.singleShot(ANNOUNCE_AFTER_MS, self, check)  # a heatmap hidden meanwhile (another tab) is not waited for
