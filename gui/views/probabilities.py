"""Output: what the model outputs. With a language-model head: logits → softmax at the selected
position, as a top-k bar chart with token strings (the softmax and top-k come from
engine.lens.top_k; the logits are the traced hook_logits). Without one (minilm-l6, any `…Model`):
the final hidden state, named as such, and for sentence-embedding models the pooled embedding and
its cosine similarity with a second prompt (gui/views/hidden_output.py): never hidden states
drawn as if they were token scores.

The bar item and the K value labels are made once and updated in place: re-creating them on
every run cost ~10 ms of UI-thread time plus a full scene re-layout."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QScrollArea


from .base import StepContext, View
from .class_probs import OutputSwitch
from .heatmap import short_label
from .. import theme
from .hidden_output import HiddenOutputPanel
from ..i18n import tr

K = 10
X_MAX = 1.08
LABEL_CHARS = 16  # longer tokens are shortened with …, so one long token cannot squeeze the bars
INSIDE_FROM = 0.5  # bars at least this long carry their value label inside


class ProbabilitiesView(View):
    name = "probabilities"

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = self._layout_with_note()
        self.widget = pg.PlotWidget(background=theme.chart_background(), enableMenu=False)
        self.plot = self.widget.getPlotItem()
        self.plot.invertY(True)
        lay.addWidget(self.widget, 1)
        self.top: dict | None = None
        self.bars = pg.BarGraphItem(x0=0, y=np.arange(K), height=0.7, width=np.zeros(K), brush=(30, 90, 200))
        self.plot.addItem(self.bars)
        self.values = []
        for _ in range(K):
            t = pg.TextItem("", color=(40, 40, 40), anchor=(0, 0.5))
            self.plot.addItem(t)
            self.values.append(t)
        self.plot.setLabel("bottom", tr("probability"))
        self.plot.setYRange(-0.6, K - 0.4, padding=0)
        self.plot.setXRange(0, X_MAX, padding=0)  # probabilities: 0..1 (+ room for small bars' labels)
        self.plot.getAxis("bottom").setTicks([[(v, f"{v:g}") for v in (0, 0.25, 0.5, 0.75, 1)]])
        self.hidden = HiddenOutputPanel()
        # a short dock scrolls the two charts and the comparison rather than squeezing them together
        self.hidden_area = QScrollArea()
        self.hidden_area.setWidget(self.hidden)
        self.hidden_area.setWidgetResizable(True)
        self.hidden_area.setFrameShape(QScrollArea.NoFrame)
        self.hidden_area.hide()
        lay.addWidget(self.hidden_area, 1)
        self.hidden.compare_btn.clicked.connect(self.compare)
        self.hidden.second.returnPressed.connect(self.compare)
        self.session = None
        self._pooling_of: tuple | None = None  # (lm, Pooling | None, why-not text)
        self._compared_key: tuple | None = None  # (store, second prompt) last submitted
        self._job = None
        self.classifier = OutputSwitch(self)  # a classifier's label probabilities (gui/views/class_probs.py)

    def bind(self, session) -> None:
        """The session whose model computes sentence embeddings (on its worker thread)."""
        self.session = session

    def _clear(self) -> None:
        self.bars.setOpts(width=np.zeros(K))
        for t in self.values:
            t.setText("")
        self.plot.getAxis("left").setTicks([[]])

    def _show_mode(self, tokens: bool) -> None:
        self.widget.setVisible(tokens)
        self.hidden_area.setVisible(not tokens)

    def show_step(self, ctx: StepContext) -> None:
        from ..engine_calls import top_probabilities

        if self.classifier.take(ctx):
            return

        s = ctx.store
        if "hook_logits" not in s.order and s.output is not None and s.output.dim() == 3:
            self._show_hidden(ctx)
            return
        self._show_mode(True)
        logits = s["hook_logits"] if "hook_logits" in s else s.output
        if logits is None or ctx.tokenizer is None:
            self.note.setText(tr("this model has no output head (no logits to show)"))
            self._clear()
            return
        n = logits.shape[1]
        p = ctx.pos(n)
        self.top = top = top_probabilities(s, p, ctx.tokenizer, K)
        probs = np.asarray(top["probs"], np.float64)
        raw = logits[0, p, top["ids"]].float().numpy()
        width = np.zeros(K)
        width[: len(probs)] = probs
        self.bars.setOpts(width=width)
        for i, t in enumerate(self.values):
            if i < len(probs):
                inside = probs[i] >= INSIDE_FROM  # a long bar carries its label inside, in white
                t.setText(tr("{p:.4f}  (logit {logit:.3f})").format(p=probs[i], logit=raw[i]))
                t.setColor((255, 255, 255) if inside else theme.current().text)  # outside the bar: the theme's ink
                t.setAnchor((1, 0.5) if inside else (0, 0.5))
                t.setPos(probs[i], i)
            else:
                t.setText("")
        labels = [(i, repr(short_label(tok, LABEL_CHARS))) for i, tok in enumerate(top["tokens"])]
        left = self.plot.getAxis("left")
        left.setTicks([labels])
        # wide enough for the longest token now: pyqtgraph would widen it only on a later paint,
        # dropping the labels that don't fit from this one (a one-shot render would keep them out)
        fm = QFontMetrics(QFont())  # pyqtgraph's default tick font
        widest = max((fm.horizontalAdvance(lb) for _, lb in labels), default=0) + 16
        left.setWidth(max(40, min(widest, int(self.width() * 0.4) or widest)))  # bars keep ≥ 60 %
        toks = s.tokens_for("hook_logits")
        tok = toks[p] if p < len(toks) else ""
        if s.meta.get("fills_masks"):  # a masked LM: each position's logits score its own token
            self.note.setText(tr("token at position {p} ‘{token}’ as the masked-LM head predicts it: "
                                 "softmax of the logits, top {k} (put [MASK] in the prompt to ask for a word)")
                              .format(p=p, token=tok, k=len(probs)))
        else:
            self.note.setText(tr("next token after position {p} ‘{token}’: softmax of the logits, top {k}")
                              .format(p=p, token=tok, k=len(probs)))

    # --- a model without a language-model head ------------------------------------------------
    def _lm(self):
        s = self.session  # a recording shown is not the loaded model's run
        return s.lm if s is not None and getattr(s, "replay", None) is None else None

    def _pooling(self):
        """(Pooling | None, why there is none) for the session's model, read once per model."""
        from engine.errors import PlaygroundError
        from engine.sentence_embedding import pooling_of

        lm = self._lm()
        if self._pooling_of is None or self._pooling_of[0] is not lm:
            try:
                p = pooling_of(lm) if lm is not None else None
                why = "" if p else tr("it is not packaged as a sentence-embedding model (no modules.json pooling)")
            except PlaygroundError as e:
                p, why = None, str(e)
            self._pooling_of = (lm, p, why)
        return self._pooling_of[1], self._pooling_of[2]

    def _hidden_name(self, s) -> str:
        lm = self._lm()
        if lm is not None:
            from engine.sentence_embedding import final_hidden_name

            return final_hidden_name(lm.model)
        return [n for n in s.order if n.endswith("hook_resid_post") or n == "ln_final.hook_normalized"][-1]

    def _show_hidden(self, ctx: StepContext) -> None:
        from engine.sentence_embedding import pool

        s = ctx.store
        self._show_mode(False)
        out = s.output  # [1, pos, d_model]: the final hidden state, the model's whole output
        n, d = out.shape[1], out.shape[2]
        p = ctx.pos(n)
        toks = s.tokens_for(self._hidden_name(s))
        tok = toks[p] if p < len(toks) else ""
        name = self._hidden_name(s)
        arch = self._lm().cfg.architecture if self._lm() is not None else tr("this model")
        self.note.setText(
            tr("{arch} has no language-model head: its output is the final hidden state ({name}, "
               "[{n} positions × d_model {d}]), a vector per position, not a score per vocabulary entry, "
               "so there are no token probabilities to show.").format(arch=arch, name=name, n=n, d=d))
        self.hidden.show_hidden(out[0, p].float().numpy(), tr("final hidden state at position {p} ‘{token}’").format(p=p, token=tok))
        pooling, why = self._pooling()
        if pooling is None:
            self.hidden.show_embedding(None, tr("no sentence embedding: {why}").format(why=why))
            self.hidden.compare_btn.setEnabled(False)
            self.hidden.second.setEnabled(False)
            return
        self.hidden.compare_btn.setEnabled(True)
        self.hidden.second.setEnabled(True)
        emb = pool(out, None, pooling)[0].numpy()  # [d_model]
        self.hidden.show_embedding(emb, tr("sentence embedding of the prompt: {pooling} (as {source} say)")
                                   .format(pooling=pooling.describe(), source=pooling.source))
        if (s, self.hidden.second.text()) != self._compared_key and self.hidden.second.text().strip():
            self.compare()

    def compare(self) -> None:
        """Cosine similarity of the prompt's and the second prompt's embeddings, off the UI thread."""
        from engine.sentence_embedding import compare

        from ..worker import Job

        lm, store = self._lm(), self.session.store if self.session is not None else None
        pooling, _ = self._pooling()
        second = self.hidden.second.text()
        if lm is None or store is None or pooling is None or not second.strip():
            return
        if self._job is not None:
            self._job.cancel()
        self._compared_key = (store, second)
        self.hidden.similarity.setText(tr("computing the cosine similarity …"))
        job = Job(compare, lm, store.prompt, second, pooling, name="sentence similarity", cancel=True)
        job.signals.finished.connect(
            lambda c, lm=lm, key=(store, second): self.hidden.show_comparison(c)
            if lm is self._lm() and key == self._compared_key else None)
        job.signals.failed.connect(lambda msg: self.hidden.similarity.setText(tr("no similarity: {msg}").format(msg=msg)))
        self._job = job
        self.session.jobs.submit(job)
