"""Masked fill (encoder-only): type text with [MASK], see the candidates per mask with their
probabilities, and where each [MASK] looks: its row of the chosen layer and head's attention. A model without a masked-LM head (e.g. minilm-l6) says why fill is unavailable
and still shows its attention (any layer / head) and the token embeddings of the text.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QLabel, QLineEdit, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from ..worker import Job
from .placeholder import Placeholder
from .tab_layout import tool_tab
from .token_heatmap import TokenHeatmap
from ..i18n import N_, tr

EXAMPLE = "the animal didn't [MASK] the street."  # the bundled tiny-bert's own kind of sentence
MASK_KEYS = 5  # keys named per [MASK] under the candidates
ATTN_EMPTY = N_("press Fill: the text's attention (any layer, head) appears here")
EMBED_EMPTY = N_("press Fill: the text's token embeddings appear here")


class MaskedFillView(QWidget):
    filled = Signal(object)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.ctl = controller
        self.text = QLineEdit(EXAMPLE)
        self.go = QPushButton(tr("Fill"))
        self.layer = QSpinBox()
        self.layer.setPrefix(tr("layer "))
        self.head = QSpinBox()
        self.head.setPrefix(tr("head "))
        lay, self.why = tool_tab(self, (self.text, self.go, self.layer, self.head),
                                 tr("load an encoder-only model (BERT-style) and press Fill"), stretch_first=True)
        split = QSplitter()
        self.table = QTableWidget(0, 0)
        self.mask_attention = QLabel("")  # each [MASK]'s attention row, keys by weight
        self.mask_attention.setWordWrap(True)
        self.mask_rows: dict[int, np.ndarray] = {}  # [MASK] position -> its attention row [key] shown
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.table, 1)
        col.addWidget(self.mask_attention)
        self.attn = TokenHeatmap(title=tr("attention"))
        self.embed = TokenHeatmap(title=tr("token embeddings"))
        self.attn_box = Placeholder(self.attn, tr(ATTN_EMPTY))  # no empty axes before a fill
        self.embed_box = Placeholder(self.embed, tr(EMBED_EMPTY))
        for w in (left, self.attn_box, self.embed_box):
            split.addWidget(w)
        split.setSizes([330, 330, 240])  # the candidates and the [MASK]'s attention keep a readable width
        lay.addWidget(split, 1)
        self.result: dict | None = None
        controller.modelReady.connect(self.clear)
        self.go.clicked.connect(self.fill)
        self.text.returnPressed.connect(self.fill)
        self.layer.valueChanged.connect(self._draw_attention)
        self.head.valueChanged.connect(self._draw_attention)

    def fill(self) -> None:
        if self.ctl.lm is None:
            self.why.setText(tr("no model is loaded yet"))
            return
        from .lab_calls import mask_fill

        lm = self.ctl.lm
        job = Job(mask_fill, lm, self.text.text(), name="masked fill", cancel=True)
        # what the job says is about `lm`: once another model is in, this view has moved on
        job.signals.finished.connect(lambda r: self._show(r) if lm is self.ctl.lm else None)
        job.signals.failed.connect(lambda m: self.why.setText(f"<span style='color:#c00'>{m}</span>")
                                   if lm is self.ctl.lm else None)
        job.signals.cancelled.connect(lambda: self.ctl.say_stopped(self.why.setText, tr("Fill"))
                                      if lm is self.ctl.lm else None)
        self.ctl.submit(job)

    def clear(self, lm) -> None:
        """A new model: the previous model's candidates, attention and embeddings go."""
        had = self.result is not None
        self.result = None
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.mask_attention.setText("")
        self.mask_rows = {}
        self.attn.blank(tr("attention"))
        self.embed.blank(tr("token embeddings"))
        self.attn_box.say(tr(ATTN_EMPTY))
        self.embed_box.say(tr(EMBED_EMPTY))
        cleared = tr(" (the previous model's results were cleared)") if had else ""
        self.why.setText(tr("{model} loaded: press Fill").format(model=lm.name) + cleared)

    def _show(self, r: dict) -> None:
        self.result = r
        toks = r["tokens"]
        if r["fill"]:
            pos = sorted(r["fill"])
            k = max(len(v) for v in r["fill"].values())
            self.table.setRowCount(k)
            self.table.setColumnCount(len(pos))
            self.table.setHorizontalHeaderLabels([f"[MASK] @ {p}" for p in pos])
            for c, p in enumerate(pos):
                for row, (tok, pr) in enumerate(r["fill"][p]):
                    self.table.setItem(row, c, QTableWidgetItem(f"{tok}  {pr:.4f}"))
            self.table.resizeColumnsToContents()
            self.table.show()
            self.why.setText(tr("{n} mask(s): top {k} candidates each (softmax of the MLM head's logits)").format(n=len(pos), k=k))
        else:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.table.hide()
            self.why.setText(tr("fill is unavailable: {why}. Attention and embeddings are still shown.").format(why=r['why']))
        names = sorted(r["patterns"])
        self.layer.setRange(0, max(0, len(names) - 1))
        first = r["patterns"][names[0]] if names else None
        self.head.setRange(0, (first.shape[0] - 1) if first is not None else 0)
        self._draw_attention()
        if r["embed"] is not None:
            self.embed.set_matrix(r["embed"], toks, None, title=tr("token embeddings (hook_embed)"),
                                  row_name=N_("position"), col_name="d_model")
            self.embed_box.show_chart()
        self.filled.emit(r)

    def _draw_attention(self) -> None:
        r = self.result
        if not r or not r["patterns"]:
            return
        names = sorted(r["patterns"], key=lambda n: [int(t) if t.isdigit() else t for t in n.split(".")])
        name = names[min(self.layer.value(), len(names) - 1)]
        pat = r["patterns"][name]  # [head, query, key]
        h = min(self.head.value(), pat.shape[0] - 1)
        self.attn.set_matrix(np.asarray(pat[h]), r["tokens"], r["tokens"], title=tr("{name}, head {head}").format(name=name, head=h),
                             row_name=N_("query"), col_name=N_("key"), diverging=False)
        self.attn_box.show_chart()
        self._mask_rows(np.asarray(pat[h]), h)

    def _mask_rows(self, pattern: np.ndarray, head: int) -> None:
        """Each [MASK] position's row of the pattern [query, key]: every key with its weight."""
        r = self.result
        toks = r["tokens"]
        self.mask_rows = {p: pattern[p] for p in sorted(r["fill"] or {})}
        lines = []
        for p, row in self.mask_rows.items():
            order = np.argsort(-row, kind="stable")[:MASK_KEYS]
            keys = " · ".join(f"‘{toks[k]}’@{k} {row[k]:.3f}" for k in order)
            more = tr(" (top {k} of {n})").format(k=MASK_KEYS, n=len(row)) if len(row) > MASK_KEYS else ""
            lines.append(tr("<b>[MASK] @ {p} attends to</b> (layer {layer}, head {head}): {keys}").format(
                p=p, layer=self.layer.value(), head=head, keys=keys) + more)
        self.mask_attention.setText("<br>".join(lines))
