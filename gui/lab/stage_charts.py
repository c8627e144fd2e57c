"""The distribution after each processor stage, side by side: raw → temperature → top-k → top-p …

Each chart titles its stage with how many tokens survive and the probability mass the stage
removed (under the previous stage's distribution); the chosen token's bar is orange.
"""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine.decoding.processors import PROCESSORS, STAGES, stage_label
from ..i18n import N_, tr

# the engine's stage labels (processors' own are in generation_panel.KNOB_LABELS)
STAGE_LABELS = (N_("raw"), N_("banned tokens"), N_("min new tokens"), N_("forced first token"), N_("forced last token"))

from ..staggered import Staggered
from .prob_bars import ProbBars
from .stats import StepView


class StageCharts(QWidget):
    def __init__(self, parent=None, n: int = 10):
        super().__init__(parent)
        self.n = n
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.note = QLabel(tr("generate a token to see every processor stage"))
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.row = QHBoxLayout()
        lay.addLayout(self.row, 1)
        self.charts: list[ProbBars] = []
        self.view: StepView | None = None
        for i in range(len(PROCESSORS) + len(STAGES)):  # made up front: creating plots mid-generation stalls the UI
            self._chart(i).setVisible(False)

    def _chart(self, i: int) -> ProbBars:
        while len(self.charts) <= i:
            c = ProbBars(n=self.n)
            c.setMinimumWidth(150)
            self.row.addWidget(c, 1)
            self.charts.append(c)
        return self.charts[i]

    def show_view(self, view: StepView, stagger: Staggered | None = None) -> None:
        """Draw `view` now, or one chart per event-loop turn through `stagger`."""
        self.view = view
        if self.window().isVisible() and not self.isVisible():
            self._dirty = True  # in a hidden tab: draw when shown
            return
        if stagger is None:
            self._draw(view)
            return
        for i in range(len(view.stages)):
            stagger.later(f"stage {i}", lambda i=i: self._draw_chart(view, i))
        stagger.later("stage rest", lambda: self._draw_rest(view))

    def clear_view(self) -> None:
        self.view = None
        self._dirty = False
        for c in self.charts:
            c.setVisible(False)
        self.note.setText(tr("generate a token to see every processor stage"))

    def showEvent(self, e) -> None:
        super().showEvent(e)
        if getattr(self, "_dirty", False) and self.view is not None:
            self._dirty = False
            self._draw(self.view)

    def _draw(self, view: StepView) -> None:
        for i in range(len(view.stages)):
            self._draw_chart(view, i)
        self._draw_rest(view)

    def _draw_chart(self, view: StepView, i: int) -> None:
        if view is not self.view:
            return  # a newer view replaced it while this waited in the stagger queue
        st = view.stages[i]
        c = self._chart(i)
        c.setVisible(True)
        labels = [view.labels.get(t, str(t)) for t in st.ids]
        chosen = st.ids.index(view.chosen) if view.chosen in st.ids else None
        removed = tr(" · removed {share:.1%}").format(share=st.removed) if i else ""
        title = tr("{stage}: {kept:,} kept").format(stage=tr(stage_label(st.name)), kept=st.kept) + removed  # STAGE_LABELS
        c.set_bars(labels, st.probs, chosen, title, st.ids)

    def _draw_rest(self, view: StepView) -> None:
        """Hide the charts of stages this view lacks; say what was chosen."""
        if view is not self.view:
            return
        for c in self.charts[len(view.stages):]:
            c.setVisible(False)
        tok = view.labels.get(view.chosen, "?") if view.chosen is not None else "—"
        self.note.setText(tr("step {step} ({strategy}): chose ‘{token}’ p = {p:.4f} under the final stage · "
                             "orange = the token taken").format(step=view.step, strategy=view.strategy, token=tok,
                                                                p=view.chosen_prob))
